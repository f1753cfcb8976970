"""Reads of stored policy versions, for the pages, the API, the CLI and other apps."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from core.errors import NotFound
from policies.models import PolicyVersion
from policies.present import policy_json


def region_names() -> dict[str, str]:
    """Each loaded region's name (from its latest version): the one lookup pages use to name a region."""
    return dict(PolicyVersion.objects.order_by("region", "effective_from").values_list("region", "name"))


def known_regions() -> list[str]:
    return list(PolicyVersion.objects.order_by("region").values_list("region", flat=True).distinct())


def _require_region(region: str) -> None:
    if not PolicyVersion.objects.filter(region=region).exists():
        known = ", ".join(known_regions()) or "none loaded; run `getpower policy load`"
        raise NotFound(f"unknown region '{region}' (known: {known})", fields={"region": f"unknown region '{region}'"})


def versions(region: str) -> list[PolicyVersion]:
    _require_region(region)
    return list(PolicyVersion.objects.filter(region=region).order_by("effective_from"))


def version_in_force(*, region: str, on: date | None = None) -> PolicyVersion:
    """The version of `region` in force on `on` (today in Asia/Shanghai by default)."""
    on = on or timezone.localdate()
    _require_region(region)
    found = PolicyVersion.objects.filter(region=region, effective_from__lte=on).order_by("-effective_from").first()
    if found is None:
        first = PolicyVersion.objects.filter(region=region).order_by("effective_from").first()
        raise NotFound(
            f"no version of {region} is in force on {on.isoformat()} (the first starts {first.effective_from.isoformat()})",
            fields={"on": f"before the first version of {region} ({first.effective_from.isoformat()})"},
        )
    return found


def version_by_id(*, region: str, version: str) -> PolicyVersion:
    _require_region(region)
    found = PolicyVersion.objects.filter(region=region, version=version).first()
    if found is None:
        raise NotFound(f"{region} has no version '{version}'", fields={"version": f"no such version of {region}"})
    return found


def policy_show(*, region: str, on: date | None = None) -> dict[str, Any]:
    """The JSON of `getpower policy show REGION --json` and GET /api/v1/policies/{region}."""
    return policy_json(version_in_force(region=region, on=on).policy())


def policy_list(*, on: date | None = None) -> list[dict[str, Any]]:
    """Every region with its versions and the one in force on `on` (today by default)."""
    on = on or timezone.localdate()
    rows: dict[str, list[PolicyVersion]] = {}
    for pv in PolicyVersion.objects.order_by("region", "effective_from"):
        rows.setdefault(pv.region, []).append(pv)
    roots = [r for r, vs in rows.items() if not vs[-1].parent_region]
    ordered = roots + [r for r in rows if r not in roots]
    out = []
    for region in ordered:
        stored = rows[region]
        current = [pv for pv in stored if pv.effective_from <= on]
        out.append(
            {
                "region": region,
                "name": stored[-1].name,
                "parent": stored[-1].parent_region or None,
                "parent_name": rows[stored[-1].parent_region][-1].name if stored[-1].parent_region in rows else None,
                "in_force": current[-1].version if current else None,
                "versions": [
                    {
                        "version": pv.version,
                        "effective_from": pv.effective_from.isoformat(),
                        "sha256": pv.sha256,
                        "loaded_at": pv.loaded_at.isoformat(),
                    }
                    for pv in stored
                ],
            }
        )
    return out


def source_names() -> dict[str, str]:
    """Seed file name -> the name people know the document by, and region code -> name,
    for pages that show citations and inheritance without file names or codes."""
    names: dict[str, str] = {}
    for pv in PolicyVersion.objects.order_by("region", "-effective_from"):
        names.setdefault(pv.region, pv.name)
        seed = pv.document.get("seed")
        if seed:
            names.setdefault(seed, f"{pv.name}文件")
    return names
