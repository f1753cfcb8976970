"""What a `source` string quotes, so a test can hold it to the seed's own words. Pure.

A source reads "<file> <where> <words>; <where> <words> ...":
- <file> is the seed (or a county's own document) the words come from;
- <where> is a run of location marks: a section number (二, 三(一)2, 五(三)), 附件N, 注N,
  第N项 / 第N、M项, 任务台账, 表头, 标题, or a line L72;
- <words> are the seed's own words, copied; "……" marks words left out. A table row or
  column name is quoted the same way (it is the seed's words too).
Whatever is ours — an inference, a sum, "no documents at this stage" — is not written in
the source but in the `reading` (or `derived`) field next to it. A note's `quote` is held to
the same standard (`quote_missing`).
"""
from __future__ import annotations

import re
import unicodedata

FILE = re.compile(r"(\S+\.(?:txt|pdf|docx?|html?))\s*(.*)", re.S)
LOCATION = re.compile(
    r"附件\d+|注\d+(?:[、,]注\d+)*|第[\d、,，–-]+项|任务台账|表头|标题|L\d+(?:[-–]L?\d+)?"
    r"|[一二三四五六七八九十]+(?:\([一二三四五六七八九十]+\)\d*)?(?![\u4e00-\u9fff])"
)
OMISSION = re.compile(r"……|…")
# Quote marks differ between the seeds and a YAML file (“三零” / ‘三零’), and a seed's bold marks
# (**2、5、8、15**) are layout; none of them carry words.
_IGNORED = re.compile(r"[\s“”‘’\"'「」『』*]")


def normalise(text: str) -> str:
    """Full-width punctuation to its plain form (NFKC), spaces and quote marks dropped."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def quoted(source: str) -> tuple[str | None, list[str]]:
    """(file, the fragments of the seed's words) of one source string; (None, []) for 'setting'."""
    match = FILE.match(source)
    if match is None:
        return None, []
    fragments: list[str] = []
    for part in re.split(r"\s*[;；]\s*", match.group(2)):
        for token in part.split():
            while (location := LOCATION.match(token)) is not None and location.group(0):
                token = token[location.end():]
            fragments += [f for f in (f.strip("、，,。 ") for f in OMISSION.split(token)) if f]
    return match.group(1), fragments


def missing(source: str, seeds: dict[str, str]) -> list[str]:
    """Fragments of `source` that its seed does not contain (seeds: file name -> text)."""
    file, fragments = quoted(source)
    if file is None or file not in seeds:
        return []
    text = normalise(seeds[file])
    return [f for f in fragments if normalise(f) not in text]


def quote_missing(quote: str, file: str, seeds: dict[str, str]) -> list[str]:
    """Fragments of a note's `quote` that its seed does not contain. A quote is the seed's own
    words (a table row as its cells, in order); "……" marks words left out between two
    fragments; anything of ours belongs in the note's `reading`."""
    if file not in seeds:
        return []
    text = normalise(seeds[file])
    fragments = [f for f in (f.strip("、，,。；; ") for f in OMISSION.split(quote)) if f]
    return [f for f in fragments if normalise(f) not in text]
