"""Anchors: the chain head written outside the database, so a wiped, cut or rewound log is
visible even to someone who rewrote the database consistently (or restored an old backup).

An anchor is {seq, hash, at, anchored_at, signature}: the head's sequence number and hash,
the head event's time, when it was anchored, and HMAC-SM3 of those under the audit key (the
key is outside the database too, so an anchor cannot be forged by someone holding the DB).

Stores are a registry (`STORES`): an append-only file under the data directory by default,
or an HTTP witness (another host that keeps the anchors; `core.witness` is a small one).
`settings.ANCHOR_STORE` says which: "file:/path/anchors.jsonl" or "http(s)://witness/...".
"""
from __future__ import annotations

import datetime as dt
import hmac as std_hmac
import json
import os
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core.events import canonical_json
from core.models import ChainHead, Event

WITNESS_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str  # the head event's time (ISO, UTC)
    anchored_at: str
    signature: str

    def signed_part(self) -> dict:
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "anchored_at": self.anchored_at}

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> Anchor:
        return cls(seq=int(raw["seq"]), hash=str(raw["hash"]), at=str(raw["at"]),
                   anchored_at=str(raw["anchored_at"]), signature=str(raw["signature"]))


def _sign(part: dict, key: str | bytes | None = None) -> str:
    raw = settings.AUDIT_KEY if key is None else key
    mac = hmac.HMAC(raw.encode("utf-8") if isinstance(raw, str) else bytes(raw), hashes.SM3())
    mac.update(b"getpower-anchor\x00")  # never the same bytes as an event hash
    mac.update(canonical_json(part))
    return mac.finalize().hex()


def signature_holds(anchor: Anchor, key: str | bytes | None = None) -> bool:
    return std_hmac.compare_digest(_sign(anchor.signed_part(), key), anchor.signature)


class FileStore:
    """JSON lines appended with O_APPEND and fsync'd; nothing here ever rewrites a line."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __str__(self) -> str:
        return f"file:{self.path}"

    def append(self, anchor: Anchor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(anchor.as_dict(), sort_keys=True) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def all(self) -> list[Anchor]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [Anchor.from_dict(json.loads(line)) for line in lines if line.strip()]


class HttpWitness:
    """A witness on another host: POST an anchor to <url>, GET <url> lists them all."""

    def __init__(self, url: str):
        self.url = url.rstrip("/") + "/anchors"

    def __str__(self) -> str:
        return self.url

    def append(self, anchor: Anchor) -> None:
        body = json.dumps(anchor.as_dict()).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=WITNESS_TIMEOUT_SECONDS) as answer:
                answer.read()
        except urllib.error.HTTPError as refused:
            raise AnchorError(f"witness {self.url} refused the anchor: {refused.code} "
                              f"{refused.read().decode('utf-8', 'replace')[:200]}") from None
        except OSError as exc:
            raise AnchorError(f"witness {self.url} did not answer: {exc}") from None

    def all(self) -> list[Anchor]:
        try:
            with urllib.request.urlopen(self.url, timeout=WITNESS_TIMEOUT_SECONDS) as answer:
                return [Anchor.from_dict(raw) for raw in json.loads(answer.read())["anchors"]]
        except OSError as exc:
            raise AnchorError(f"witness {self.url} did not answer: {exc}") from None


class AnchorError(Exception):
    """The anchor store could not be written or read."""


STORES = {"file": FileStore, "http": HttpWitness, "https": HttpWitness}


def store(spec: str | None = None) -> FileStore | HttpWitness:
    spec = spec or settings.ANCHOR_STORE
    scheme, _, rest = spec.partition(":")
    if scheme not in STORES or not rest:
        raise ImproperlyConfigured(f"GETPOWER_ANCHOR_STORE {spec!r}: use file:/path or http(s)://host/path")
    return STORES[scheme](rest if scheme == "file" else spec)


def anchor(*, into=None) -> Anchor | None:
    """Write the current head to the store; None when the log is empty or the head is the
    one anchored last (nothing new to witness)."""
    target = into or store()
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or head.last_seq == 0:
        return None
    anchors = target.all()
    if anchors and anchors[-1].seq == head.last_seq and anchors[-1].hash == head.last_hash:
        return None
    part = {"seq": head.last_seq, "hash": head.last_hash,
            "at": head.last_at.astimezone(dt.timezone.utc).isoformat(),
            "anchored_at": timezone.now().isoformat()}
    made = Anchor(**part, signature=_sign(part))
    target.append(made)
    return made


def problems(*, table_end: int, source=None, key: str | bytes | None = None) -> list[str]:
    """What the anchors say is wrong with a log whose highest stored seq is `table_end`."""
    anchors = (source or store()).all()
    if not anchors:
        return []
    found = []
    forged = {a.seq for a in anchors if not signature_holds(a, key)}
    if forged:
        shown = ", ".join(f"#{seq}" for seq in sorted(forged)[:5])
        found.append(f"anchor forged: the anchor(s) for {shown} do not carry the audit key's signature")
    genuine = sorted((a for a in anchors if a.seq not in forged), key=lambda a: a.seq)
    if not genuine:
        return found
    last = genuine[-1]
    if table_end == 0:
        found.append(f"empty log after anchors: #{last.seq} was anchored at {last.anchored_at}, the log has no events")
        return found
    if table_end < last.seq:
        found.append(f"head behind the last anchor: the log ends at #{table_end}, #{last.seq} was anchored at "
                     f"{last.anchored_at} (cut off, or restored from an older backup)")
    stored: dict[int, str] = {}
    seqs = sorted({a.seq for a in genuine if a.seq <= table_end})
    for start in range(0, len(seqs), 1000):
        stored.update(Event.objects.filter(seq__in=seqs[start:start + 1000]).values_list("seq", "hash"))
    for a in genuine:
        if a.seq > table_end:
            continue  # reported above as the head being behind
        if a.seq not in stored:
            found.append(f"missing anchored event: #{a.seq} (anchored at {a.anchored_at}) is not in the log")
        elif stored[a.seq] != a.hash:
            found.append(f"anchored event changed: #{a.seq} has hash {stored[a.seq][:16]}…, anchored as "
                         f"{a.hash[:16]}… at {a.anchored_at} (the log was rewritten)")
    return found
