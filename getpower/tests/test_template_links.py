"""Links in templates come from `{% url %}`, never literal paths: a moved URL then breaks at
render time in a test, not silently in a user's browser."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["getpower", "core", "applications", "customers", "payments", "contracts", "appointments"]
LITERAL = re.compile(r'(?:href|action|hx-get|hx-post|src)="/(?!static/)')


def test_templates_link_by_url_name():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
             for app in APPS for path in (ROOT / app).rglob("templates/**/*.html")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if LITERAL.search(line)]
    assert found == []
