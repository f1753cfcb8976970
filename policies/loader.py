"""Load the policy files, apply inheritance, resolve the version in force, run the checks.

Pure (no Django): `load_dir(path)` returns a `PolicySet` or raises `PolicyError` listing
every problem as "<file>: <key path>: <what is wrong>".

Inheritance, in one place:
- Within a file each version overlays the one before it; the first overlays the parent
  region's version in force on the same date (`national` is the root).
- Mappings merge key by key; lists are replaced; an object that carries its own `source`
  (a number, a cited rule) is replaced whole, so a citation always matches its content;
  `stages` merge by stage code; `null` removes what was inherited.
- A child category inherits the fields of the parent category it refines (`parent_category`,
  or the same code). Parent categories that no child category refines are inherited as
  they are.
- A region's timeline has a snapshot at each of its own versions and at each later change
  of an ancestor; a snapshot made by an ancestor's change is named "<own>+<parent>-<version>".

Checks: a child may tighten its parent's promises, never loosen them (compared per
snapshot by the declared rule table in policies.rules); one-way rules declared in a file
(`one_way`) hold between consecutive snapshots unless a note declares the exception.
"""
from __future__ import annotations

import bisect
import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from policies import profiles, rules
from policies.schema import (
    META_KEYS,
    OneWayRule,
    PolicyDocument,
    PolicyFile,
    Quantity,
    error_path,
)
from policies.units import Incomparable, WorkdaySpan, max_workday_span, no_looser

# libyaml's safe loader when the wheel has it (ten times faster), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PolicyError(Exception):
    """One or more policy files are broken; `errors` holds one line per problem."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class UnknownRegion(LookupError):
    pass


class NoVersionInForce(LookupError):
    pass


@dataclass(frozen=True)
class Snapshot:
    region: str
    version: str
    effective_from: date
    document: PolicyDocument
    own_version: str  # the file's version this snapshot belongs to


@dataclass
class LoadedFile:
    path: Path
    spec: PolicyFile


@dataclass
class PolicySet:
    files: dict[str, LoadedFile]
    timelines: dict[str, list[Snapshot]] = field(default_factory=dict)

    def regions(self) -> list[str]:
        """Roots first, then every region after its parent, alphabetically within a level."""
        return _topological(self.files)

    def snapshots(self, region: str) -> list[Snapshot]:
        if region not in self.timelines:
            raise UnknownRegion(region)
        return self.timelines[region]

    def in_force(self, region: str, on: date) -> Snapshot:
        return in_force(self.snapshots(region), on, region=region)


def in_force(snapshots: list[Snapshot], on: date, *, region: str) -> Snapshot:
    dates = [s.effective_from for s in snapshots]
    index = bisect.bisect_right(dates, on) - 1
    if index < 0:
        first = dates[0].isoformat() if dates else "never"
        raise NoVersionInForce(f"no version of {region} is in force on {on.isoformat()} (the first starts {first})")
    return snapshots[index]


# --- merging -----------------------------------------------------------------------------


def overlay(base: Any, top: Any) -> Any:
    """`top` over `base` by the rules in the module docstring; never mutates either."""
    if isinstance(top, dict) and isinstance(base, dict) and "source" not in top:
        merged = copy.deepcopy(base)
        for key, value in top.items():
            if value is None:
                # null in an overlay removes what was inherited, from this file or from the
                # parent: kept as a tombstone until the parent is applied (see _drop_removed)
                merged[key] = None
            elif key == "stages" and isinstance(value, list) and isinstance(base.get(key), list):
                merged[key] = merge_stages(base[key], value)
            elif key in base:
                merged[key] = overlay(base[key], value)
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    return copy.deepcopy(top)


def _drop_removed(node: Any) -> Any:
    """The merged content without the nulls that marked removals."""
    if isinstance(node, dict):
        return {k: _drop_removed(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_drop_removed(v) for v in node]
    return node


def merge_stages(base: list[Any], top: list[Any]) -> list[Any]:
    """Stages keep the base order; a top stage updates the base stage with its code, a new
    code is appended (the parent check refuses a county adding a stage)."""
    merged = [copy.deepcopy(s) for s in base]
    by_code = {s.get("code"): i for i, s in enumerate(merged) if isinstance(s, dict)}
    for stage in top:
        code = stage.get("code") if isinstance(stage, dict) else None
        if code in by_code:
            merged[by_code[code]] = overlay(merged[by_code[code]], stage)
        else:
            merged.append(copy.deepcopy(stage))
    return merged


def inherit(parent: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """A child's own content over its parent's resolved content."""
    base = {k: v for k, v in parent.items() if k not in META_KEYS and k not in ("one_way", "notes")}
    parent_categories = base.pop("categories", {})
    merged = overlay(base, {k: v for k, v in own.items() if k != "categories"})
    categories: dict[str, Any] = {}
    refined: set[str] = set()
    for code, category in (own.get("categories") or {}).items():
        if not isinstance(category, dict):
            continue  # a parent's category cannot be removed; it is inherited below
        # The parent's own code always refines the parent's category of that code, whatever
        # parent_category says, so the rule table can refuse a re-pointed category by name.
        refines = code if code in parent_categories else category.get("parent_category")
        if refines in parent_categories:
            refined.add(refines)
            categories[code] = overlay(parent_categories[refines], category)
            categories[code]["parent_category"] = category.get("parent_category") or refines
        else:
            categories[code] = copy.deepcopy(category)
    for code, category in parent_categories.items():
        if code not in refined and code not in categories:
            # Kept as the parent has it, so it refines the parent's category of the same code.
            categories[code] = {**copy.deepcopy(category), "parent_category": code}
    merged["categories"] = categories
    return merged


# --- reading and validating ---------------------------------------------------------------


def read_file(path: Path) -> tuple[LoadedFile | None, list[str]]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        return None, [f"{path}: {where}not valid YAML: {getattr(exc, 'problem', None) or exc}"]
    except OSError as exc:
        return None, [f"{path}: cannot read: {exc}"]
    if not isinstance(raw, dict):
        return None, [f"{path}: the file must be a mapping with region, name, versions, ..."]
    try:
        spec = PolicyFile.model_validate(raw)
    except ValidationError as exc:
        return None, _format(path, "", exc, raw)
    if spec.region != path.stem:
        return None, [f"{path}: region: '{spec.region}' must match the file name '{path.stem}'"]
    return LoadedFile(path=path, spec=spec), []


def _format(path: Path, prefix: str, exc: ValidationError, document: Any, raw: Any = None) -> list[str]:
    return [line for _, line in _problems(path, prefix, exc, document, raw)]


def _problems(path: Path, prefix: str, exc: ValidationError, document: Any, raw: Any = None) -> list[tuple[str, str]]:
    """(merged key path + message, line) per pydantic error. With `raw` (the version as
    written) the key path points into the file where it can; otherwise it is the path in
    the merged document."""
    messages: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    for err in exc.errors():
        key, in_raw = _walk(err["loc"], document, raw)
        if raw is not None and not in_raw:
            where = f"{prefix} (as merged): {key}" if key else f"{prefix} (as merged)"
        else:
            where = ".".join(p for p in (prefix, key) if p).replace(".[", "[")
        message = err["msg"].removeprefix("Value error, ")
        keys[where] = _merged_key(err["loc"], document)
        # A union (int | float) reports each member; one line per key path is enough.
        if message not in messages.setdefault(where, []):
            messages[where].append(message)
    return [(f"{keys[w]}: {' / '.join(m)}", f"{path}: {w}: {' / '.join(m)}") for w, m in messages.items()]


def _merged_key(loc: tuple[Any, ...], document: Any) -> str:
    key, _ = _walk(loc, document, None)
    return key


def _walk(loc: tuple[Any, ...], document: Any, raw: Any) -> tuple[str, bool]:
    """Turn a pydantic location in `document` into a key path, following `raw` alongside;
    drops pydantic's union tags ('int', 'function-after[...]'), which are not keys."""
    parts: list[Any] = []
    node, mirror, in_raw = document, raw, raw is not None
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            item, index = node[part], part
            if in_raw and isinstance(mirror, list):
                if parts and parts[-1] == "stages" and isinstance(item, dict):
                    found = [j for j, s in enumerate(mirror) if isinstance(s, dict) and s.get("code") == item.get("code")]
                    index = found[0] if found else part
                    in_raw = bool(found)
                else:
                    in_raw = part < len(mirror)
                mirror = mirror[index] if in_raw else None
            else:
                in_raw = False
            parts.append(index)
            node = item
        elif isinstance(node, dict):
            parts.append(part)
            missing = part not in node
            node = node.get(part)
            if in_raw and isinstance(mirror, dict) and part in mirror:
                mirror = mirror[part]
            elif not (in_raw and isinstance(mirror, dict) and missing):
                # A key missing from an object written in this version is this version's
                # error; anything else came from the merge.
                in_raw = False
        # anything else is a tag of a union member: not part of the key path
    return error_path(tuple(parts)), in_raw


def _topological(files: dict[str, LoadedFile]) -> list[str]:
    order: list[str] = []
    level = sorted(r for r, f in files.items() if f.spec.parent is None)
    while level:
        order += level
        level = sorted(r for r, f in files.items() if f.spec.parent in level and r not in order)
    return order


def load_dir(path: Path | str, *, workday_span: WorkdaySpan = max_workday_span) -> PolicySet:
    """Read, validate, resolve and check every *.yaml file in `path`."""
    directory = Path(path)
    if not directory.is_dir():
        raise PolicyError([f"{directory}: no such directory"])
    paths = sorted(list(directory.glob("*.yaml")) + list(directory.glob("*.yml")))
    if not paths:
        raise PolicyError([f"{directory}: no policy files (*.yaml)"])
    errors: list[str] = []
    files: dict[str, LoadedFile] = {}
    for file_path in paths:
        loaded, problems = read_file(file_path)
        errors += problems
        if loaded is not None:
            if loaded.spec.region in files:
                errors.append(f"{file_path}: region '{loaded.spec.region}' is also in {files[loaded.spec.region].path}")
            files[loaded.spec.region] = loaded
    for loaded in files.values():
        parent = loaded.spec.parent
        if parent is not None and parent not in files:
            errors.append(f"{loaded.path}: parent: no policy file for region '{parent}'")
    ordered = _topological(files)
    for region in sorted(set(files) - set(ordered)):
        if files[region].spec.parent in files:
            errors.append(f"{files[region].path}: parent: '{region}' is its own ancestor (a cycle)")
    policies = PolicySet(files=files)
    for region in ordered:
        loaded = files[region]
        parent = loaded.spec.parent
        if parent is not None and parent not in policies.timelines:
            errors.append(f"{loaded.path}: not checked: its parent '{parent}' did not load")
            continue
        timeline, problems = _resolve(loaded, policies.timelines.get(parent, []) if parent else [])
        errors += problems
        if problems:
            continue
        errors += _check(loaded, timeline, policies.timelines.get(parent, []) if parent else [], workday_span)
        policies.timelines[region] = timeline
    if errors:
        raise PolicyError(errors)
    return policies


def _resolve(loaded: LoadedFile, parent_timeline: list[Snapshot]) -> tuple[list[Snapshot], list[str]]:
    spec = loaded.spec
    own_dates = [v.effective_from for v in spec.versions]
    if spec.parent is not None and (not parent_timeline or parent_timeline[0].effective_from > own_dates[0]):
        return [], [f"{loaded.path}: versions[0]: no version of parent '{spec.parent}' is in force on {own_dates[0]}"]
    dates = sorted(set(own_dates) | {s.effective_from for s in parent_timeline if s.effective_from > own_dates[0]})
    cumulative: list[dict[str, Any]] = []
    for version in spec.versions:
        cumulative.append(overlay(cumulative[-1] if cumulative else {}, version.content()))
    timeline: list[Snapshot] = []
    errors: list[str] = []
    reported: set[str] = set()
    for when in dates:
        k = bisect.bisect_right(own_dates, when) - 1
        own = spec.versions[k]
        parent = in_force(parent_timeline, when, region=spec.parent) if parent_timeline else None
        content = _drop_removed(
            inherit(parent.document.model_dump(exclude_none=True), cumulative[k]) if parent else cumulative[k]
        )
        name = own.version if when == own.effective_from else f"{own.version}+{spec.parent}-{parent.version}"
        parent_rules = parent.document.one_way if parent else []
        inherited_notes = parent.document.notes if parent else []
        document = {
            "region": spec.region,
            "name": spec.name,
            "title": spec.title,
            "parent": spec.parent,
            "seed": spec.seed,
            "unit": spec.unit,
            "version": name,
            "effective_from": when,
            "basis": own.basis,
            "chain": ([link.model_dump() for link in parent.document.chain] if parent else [])
            + [{"region": spec.region, "version": own.version}],
            **content,
            "one_way": [r.model_dump() for r in _union_rules(parent_rules, spec.one_way)],
            "notes": [n.model_dump() for n in inherited_notes]
            + [{**n.model_dump(), "region": spec.region} for n in spec.notes],
        }
        prefix = f"versions[{k}]"
        try:
            resolved = PolicyDocument.model_validate(document)
        except ValidationError as exc:
            # A problem carried on by inheritance into later snapshots is reported once.
            for problem, line in _problems(loaded.path, prefix, exc, document, own.content()):
                if problem not in reported:
                    reported.add(problem)
                    errors.append(line)
            continue
        timeline.append(Snapshot(spec.region, name, when, resolved, own.version))
    return timeline, errors


def _union_rules(inherited: Iterable[OneWayRule], own: Iterable[OneWayRule]) -> list[OneWayRule]:
    rules = {rule.rule: rule for rule in inherited}
    rules.update({rule.rule: rule for rule in own})
    return list(rules.values())


# --- checks ----------------------------------------------------------------------------


def _check(loaded: LoadedFile, timeline: list[Snapshot], parent_timeline: list[Snapshot], span: WorkdaySpan) -> list[str]:
    errors: list[str] = []
    index = {v.version: i for i, v in enumerate(loaded.spec.versions)}
    for snap in timeline:
        where = f"{loaded.path}: versions[{index[snap.own_version]}] ({snap.version} from {snap.effective_from})"
        if parent_timeline:
            parent = in_force(parent_timeline, snap.effective_from, region=loaded.spec.parent)
            label = f"{parent.region} {parent.version}"
            errors += [f"{where}: {p}" for p in compare_to_parent(snap.document, parent.document, label, span)]
    errors += _check_one_way(loaded, timeline, index, span)
    return errors


def _check_one_way(loaded: LoadedFile, timeline: list[Snapshot], index: dict[str, int], span: WorkdaySpan) -> list[str]:
    errors: list[str] = []
    # A note's exception names a version of the note's own region; a child inherits its
    # ancestors' exceptions for changes its ancestors make.
    notes = timeline[-1].document.notes if timeline else []
    exceptions = {
        (n.exception_for.rule, n.exception_for.key, n.region, n.exception_for.version): n
        for n in notes
        if n.exception_for is not None
    }
    used: set[tuple[str, str, str, str]] = set()
    rules = timeline[-1].document.one_way if timeline else []
    for before, after in zip(timeline, timeline[1:], strict=False):
        changed = {
            (link.region, link.version)
            for link in after.document.chain
            if (link.region, link.version) not in {(b.region, b.version) for b in before.document.chain}
        }
        for rule in rules:
            for key, problem in ONE_WAY[rule.rule](after.document, before.document, f"version {before.version}", span):
                excused = [(rule.rule, key, region, version) for region, version in changed]
                match = next((e for e in excused if e in exceptions), None)
                if match is not None:
                    used.add(match)
                    continue
                errors.append(
                    f"{loaded.path}: versions[{index[after.own_version]}] ({after.version}): "
                    f"one-way rule {rule.rule} ({rule.source}): {problem}"
                )
    for wanted, note in exceptions.items():
        if wanted not in used and wanted[2] == loaded.spec.region:
            errors.append(
                f"{loaded.path}: notes: {note.id} declares an exception to {wanted[0]} at {wanted[1]} in version "
                f"{wanted[3]}, but nothing there needs it (remove the exception or fix the data)"
            )
    return errors


def _cited(quantity: Quantity) -> str:
    return f"{quantity} ({quantity.source})"


def compare_to_parent(child: PolicyDocument, parent: PolicyDocument, label: str, span: WorkdaySpan = max_workday_span) -> list[str]:
    """Every way `child` would promise less than `parent` (the rule table in policies.rules)."""
    return [message for _, message in rules.compare(child, parent, label=label, span=span)]


def _zero_investment_shrinks(new: PolicyDocument, old: PolicyDocument, label: str, span: WorkdaySpan) -> list[tuple[str, str]]:
    """Scope, thresholds and boundaries of zero investment never shrink (ZJ 台账第37项, SX 第38项),
    by the same rules as a child against its parent, and no customer who had zero
    investment loses it (checked per customer profile, see policies.profiles)."""
    return rules.compare(new, old, label=label, span=span, sections=("zero_investment", "investment_boundary")) + (
        profiles.zero_investment_lost(new, old, label)
    )


def _saidi_loosens(new: PolicyDocument, old: PolicyDocument, label: str, span: WorkdaySpan) -> list[tuple[str, str]]:
    """A SAIDI target for a city group and area never rises from one version to the next."""
    found: list[tuple[str, str]] = []
    latest_old = {t.key: t for t in sorted(old.reliability_targets, key=lambda t: t.year) if t.saidi is not None}
    for target in new.reliability_targets:
        before = latest_old.get(target.key)
        if before is None or target.saidi is None:
            continue
        try:
            ok = no_looser(target.saidi, before.saidi, better="lower", workday_span=span)
        except Incomparable as exc:
            found.append((target.key, f"{target.key}: {exc}"))
            continue
        if not ok:
            found.append(
                (
                    target.key,
                    f"{target.key}: {target.year} SAIDI target {_cited(target.saidi)} is looser than "
                    f"{label}'s {before.year} target {_cited(before.saidi)}",
                )
            )
    return found


ONE_WAY = {
    "zero_investment_never_shrinks": _zero_investment_shrinks,
    "saidi_never_loosens": _saidi_loosens,
}

