"""Read-only policy pages, in Chinese, open to everyone (public disclosure of the limits)."""
from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.dates import strict_date
from core.errors import NotFound
from policies import queries
from policies.present import category_for_people, ordered_approval_limits, ordered_categories
from policies.schema import STAGE_CODES


def policy_list(request):
    return render(request, "policies/list.html", {"rows": queries.policy_list(), "today": timezone.localdate()})


def _parse_on(value: str) -> date:
    return strict_date(value)


def _region_name(versions) -> str:
    return versions[-1].name


def policy_detail(request, region: str):
    try:
        versions = queries.versions(region)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    today = timezone.localdate()
    error, status = "", 200
    chosen_on, chosen_version = request.GET.get("on", ""), request.GET.get("version", "")
    pinned = None
    try:
        if chosen_version:
            pinned = queries.version_by_id(region=region, version=chosen_version)
        elif chosen_on:
            pinned = queries.version_in_force(region=region, on=_parse_on(chosen_on))
    except ValueError:
        error, status = f"日期“{chosen_on}”格式不对，应为 YYYY-MM-DD；下面显示今天适用的版本。", 400
    except NotFound as exc:
        if "version" in exc.fields:
            error = f"{_region_name(versions)}没有版本“{chosen_version}”；下面显示今天适用的版本。"
        else:
            error = (
                f"{chosen_on} 时{_region_name(versions)}尚无生效的版本（最早的版本自 {versions[0].effective_from:%Y-%m-%d} 起）；"
                "下面显示今天适用的版本。"
            )
        status = 404
    if pinned is None:
        in_force = [pv for pv in versions if pv.effective_from <= today]
        pinned = in_force[-1] if in_force else versions[0]
    doc = pinned.policy()

    columns = [code for code in STAGE_CODES if any(s.code == code for c in doc.categories.values() for s in c.stages)]
    rows = []
    for code, category in ordered_categories(doc):
        by_code = {s.code: s for s in category.stages}
        rows.append({"code": code, "category": category, "cells": [by_code.get(c) for c in columns]})
    names = queries.source_names()
    context = {
        "doc": doc,
        "names": names,
        "for_people": [category_for_people(doc, code, category) for code, category in ordered_categories(doc) if category.stages],
        "parents": [{"name": names.get(link.region, link.region), "version": link.version} for link in doc.chain],
        # A target the seed itself loosens (a declared exception to a one-way rule), flagged.
        "loosened": [
            t
            for t in doc.reliability_targets
            if any(
                n.exception_for is not None and (n.exception_for.key, n.exception_for.version) == (t.key, str(t.year))
                for n in doc.notes
            )
        ],
        "pinned": pinned,
        "versions": versions,
        "columns": columns,
        "rows": rows,
        "error": error,
        "on_value": chosen_on if chosen_on and not error else today.isoformat(),
        "today": today,
        "readings_count": len(doc.notes),
        "document_rows": [
            (code, category, [s for s in category.stages if s.documents is not None])
            for code, category in ordered_categories(doc)
            if category.stages
        ],
        "approval_limits": ordered_approval_limits(doc),
        "category_names": {code: c.name for code, c in doc.categories.items()},
        "document_names": {code: t.name for code, t in doc.document_types.items()},
    }
    return render(request, "policies/detail.html", context, status=status)
