"""Every quantified target in every policy version has an indicator that measures it."""
import pytest
from django.conf import settings

from monitoring.indicators import INDICATORS
from monitoring.targets import SCOPE_BOUNDS, is_scope_bound, matches, targets, walk
from policies.loader import load_dir


def _all_documents():
    policy_set = load_dir(settings.POLICY_DIR)
    for region in policy_set.regions():
        for snapshot in policy_set.snapshots(region):
            yield f"{region} {snapshot.version}", snapshot.document.model_dump(mode="json")


DOCUMENTS = list(_all_documents())


@pytest.mark.parametrize("label,document", DOCUMENTS, ids=[label for label, _ in DOCUMENTS])
def test_every_target_of_every_version_is_measured(label, document):
    patterns = [p for indicator in INDICATORS.values() for p in indicator.measures]
    unmeasured = sorted({ref.path for ref in targets(document)
                         if not any(matches(ref.pattern, p) for p in patterns)})
    assert not unmeasured, f"{label}: targets without an indicator: {unmeasured}"


def test_the_walk_finds_the_seeds_numbers_and_sets_bounds_apart():
    zaozhuang = dict(DOCUMENTS)[next(label for label, _ in DOCUMENTS if label.startswith("zaozhuang"))]
    found = {ref.path: ref for ref in walk(zaozhuang)}
    assert any(path.endswith("grid_side_limit") for path in found)
    bounds = [ref for ref in found.values() if is_scope_bound(ref)]
    assert bounds and all(not ref.path.endswith("grid_side_limit") for ref in bounds)
    assert all(reason for reason in SCOPE_BOUNDS.values())


def test_each_indicator_has_a_chinese_name_and_a_direction():
    for code, indicator in INDICATORS.items():
        assert indicator.name and not indicator.name.isascii(), code
        assert indicator.direction in ("<=", ">=")
