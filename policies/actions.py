"""Load the policy files into the database.

A stored version is what applications pin, so it is immutable: re-loading the same files
changes nothing, and files that would change a stored version's content are refused
(add a new version with a new effective date instead).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from core import events
from core.errors import Conflict, InvalidInput
from policies.loader import PolicyError, load_dir
from policies.models import PolicyVersion


@dataclass
class LoadResult:
    inserted: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    # Stored versions no file produces any more: kept (applications may be pinned to them).
    not_in_files: list[tuple[str, str]] = field(default_factory=list)


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def _same(a: Any, b: Any) -> bool:
    # By their JSON text, as hashed: 53 and 53.0 are equal in Python but not in the hash.
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def first_difference(stored: Any, loaded: Any, path: str = "") -> str:
    """The first key path where two JSON values differ, for a readable refusal."""
    if isinstance(stored, dict) and isinstance(loaded, dict):
        for key in sorted(set(stored) | set(loaded)):
            if not _same(stored.get(key), loaded.get(key)):
                return first_difference(stored.get(key), loaded.get(key), f"{path}.{key}" if path else key)
    if isinstance(stored, list) and isinstance(loaded, list):
        for index, (a, b) in enumerate(zip(stored, loaded, strict=False)):
            if not _same(a, b):
                return first_difference(a, b, f"{path}[{index}]")
        if len(stored) != len(loaded):
            return f"{path} (length {len(stored)} → {len(loaded)})"
    return f"{path}: {json.dumps(stored, ensure_ascii=False)[:80]} → {json.dumps(loaded, ensure_ascii=False)[:80]}"


def policy_load(*, path: Path | str | None = None, by: Any = None) -> LoadResult:
    """Validate every policy file, then store the versions not stored yet, all or nothing."""
    directory = Path(path) if path is not None else Path(settings.POLICY_DIR)
    try:
        policies = load_dir(directory)
    except PolicyError as exc:
        raise InvalidInput(
            f"{len(exc.errors)} problem(s) in the policy files:\n" + "\n".join(exc.errors),
            fields={"policy_files": exc.errors[0]},
        ) from exc

    loaded: dict[tuple[str, str], tuple[Any, dict[str, Any], str]] = {}
    for region in policies.regions():
        for snap in policies.snapshots(region):
            document = json.loads(canonical_json(snap.document.model_dump(mode="json", exclude_none=True)))
            loaded[(region, snap.version)] = (snap, document, content_hash(document))

    result = LoadResult()
    with transaction.atomic():
        stored = {(pv.region, pv.version): pv for pv in PolicyVersion.objects.select_for_update()}
        dates = {(pv.region, pv.effective_from): pv for pv in stored.values()}
        conflicts: list[str] = []
        new: list[PolicyVersion] = []
        for key, (snap, document, digest) in loaded.items():
            existing = stored.get(key)
            if existing is None:
                clash = dates.get((snap.region, snap.effective_from))
                if clash is not None:
                    conflicts.append(
                        f"{snap.region} {snap.version}: {snap.effective_from} is already the date of stored version {clash.version}"
                    )
                    continue
                new.append(
                    PolicyVersion(
                        region=snap.region,
                        name=snap.document.name,
                        parent_region=snap.document.parent or "",
                        version=snap.version,
                        effective_from=snap.effective_from,
                        document=document,
                        sha256=digest,
                    )
                )
            elif existing.sha256 != digest:
                conflicts.append(
                    f"{snap.region} {snap.version}: stored content (sha256 {existing.sha256[:12]}) differs from the files "
                    f"(sha256 {digest[:12]}) at {first_difference(existing.document, document)}"
                )
            else:
                result.unchanged.append(key)
        if conflicts:
            raise Conflict(
                "refusing to change stored policy versions (applications may be pinned to them); "
                "add a new version with its own effective date instead: " + "; ".join(conflicts),
                fields={"version": conflicts[0]},
            )
        try:
            with transaction.atomic():
                for version in new:
                    version.save(force_insert=True)
                    events.record(
                        actor=by,
                        verb="policy.loaded",
                        subject=version,
                        data={
                            "region": version.region,
                            "version": version.version,
                            "effective_from": version.effective_from,
                            "sha256": version.sha256,
                        },
                    )
        except IntegrityError as exc:
            raise Conflict(f"another load stored the same versions meanwhile; run it again ({exc})") from exc
        result.inserted = [(v.region, v.version) for v in new]
        result.not_in_files = sorted(set(stored) - set(loaded))
    return result
