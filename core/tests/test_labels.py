"""The one label registry: every code a policy uses reads as 中文, people by name, times in Shanghai."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template

from core import labels
from policies import loader


@pytest.fixture(scope="module")
def policies():
    return loader.load_dir(settings.POLICY_DIR)


def test_apps_contribute_namespaces():
    table = labels.registry()
    for namespace in ("stage", "document", "boundary", "pause_reason", "rest_reason", "region", "role",
                      "category", "area", "route", "department", "channel", "status"):
        assert table.get(namespace), namespace
    assert labels.label("boundary", "to_red_line_incl_metering") == "延伸至用户红线（含计量装置）"
    assert labels.label("stage", "scheme_reply") == "供电方案答复"
    assert labels.label("role", "supervisor") == "营销主管"


def test_unknown_code_shows_itself_and_nothing_shows_a_dash():
    assert labels.label("stage", "no_such_stage") == "no_such_stage"
    assert labels.label("stage", None) == labels.EMPTY
    assert labels.label("nope", "x") == "x"


def test_every_code_the_policies_use_has_a_label(policies):
    missing = []
    for region in policies.regions():
        assert labels.known("region", region), region
        for snapshot in policies.snapshots(region):
            doc = snapshot.document
            missing += [("category", c) for c in doc.categories if not labels.known("category", c)]
            missing += [("document", c) for c in doc.document_types if not labels.known("document", c)]
            for category in doc.categories.values():
                missing += [("stage", s.code) for s in category.stages if not labels.known("stage", s.code)]
            missing += [("boundary", b.boundary) for b in doc.investment_boundary
                        if b.boundary and not labels.known("boundary", b.boundary)]
            if doc.settings is not None:
                missing += [("pause_reason", r) for r in doc.settings.pause_reasons
                            if not labels.known("pause_reason", r)]
    assert not missing


def test_person_is_the_name_not_the_login():
    class Someone:
        display_name = "王小明"
        username = "wxm2026"

        def get_full_name(self):
            return ""

    assert labels.person(Someone()) == "王小明"
    Someone.display_name = ""
    assert labels.person(Someone()) == "用户"  # no name: never the login
    Someone.phone = "13812345678"
    from core.pii import mask

    assert labels.person(Someone()) == f"用户（{mask('13812345678')}）" and "5678" in mask("13812345678")
    assert labels.person(None) == labels.EMPTY


def test_times_read_in_shanghai_to_the_minute():
    utc = dt.datetime(2026, 12, 1, 14, 2, 31, tzinfo=dt.timezone.utc)
    assert labels.local_time(utc) == "2026-12-01 22:02"
    assert labels.local_time(utc.isoformat()) == "2026-12-01 22:02"
    assert labels.local_time(dt.date(2026, 12, 1)) == "2026-12-01"
    shanghai = utc.astimezone(ZoneInfo("Asia/Shanghai"))
    assert labels.local_time(shanghai) == "2026-12-01 22:02"


def test_template_filters():
    text = Template('{% load labels %}{{ b|label:"boundary" }}|{{ when|local_time }}|{{ v|verb }}').render(Context({
        "b": "to_red_line_incl_metering", "when": dt.datetime(2026, 12, 1, 14, 2, tzinfo=dt.timezone.utc),
        "v": "complaint.filed",
    }))
    assert text == "延伸至用户红线（含计量装置）|2026-12-01 22:02|提交投诉"
