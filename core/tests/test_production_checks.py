"""A server with DEBUG off refuses keys and passwords that are published in this repository,
and a fresh machine gets keys of its own instead of those defaults."""
import json
import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from core.models import Event
from getpower import localkeys

GETPOWER = str(Path(sys.executable).with_name("getpower"))
REPO = Path(__file__).resolve().parents[2]
PUBLISHED = {variable: next(iter(values)) for variable, values in localkeys.PUBLISHED.items()}


def production_env(tmp_path, **extra):
    """What a deployment sets: its own keys, its host, TLS in front; no test settings."""
    private, public = localkeys.sm2_key_pair()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GETPOWER_", "DJANGO_", "SECRET_KEY", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="getpower.settings", DEBUG="0", GETPOWER_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="getpower.example.cn", SECRET_KEY="k" * 20 + os.urandom(24).hex(),
        GETPOWER_AUDIT_KEY=os.urandom(24).hex(), GETPOWER_PII_KEY=os.urandom(24).hex(),
        GETPOWER_SM2_PRIVATE_KEY=private, GETPOWER_SM2_PUBLIC_KEY=public,
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run([GETPOWER, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)


@override_settings(
    DEBUG=False, SECRET_KEY=PUBLISHED["SECRET_KEY"], AUDIT_KEY=PUBLISHED["GETPOWER_AUDIT_KEY"],
    PII_KEY=PUBLISHED["GETPOWER_PII_KEY"], SM2_PRIVATE_KEY=PUBLISHED["GETPOWER_SM2_PRIVATE_KEY"],
)
def test_check_names_every_published_key_when_debug_is_off(db):
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", stdout=StringIO())
    message = str(refused.value)
    for variable in ("SECRET_KEY", "GETPOWER_AUDIT_KEY", "GETPOWER_PII_KEY", "GETPOWER_SM2_PRIVATE_KEY"):
        assert f"{variable} is the default published in the getpower repository" in message


def test_in_debug_the_published_keys_are_tolerated(db):
    with override_settings(DEBUG=True, AUDIT_KEY=PUBLISHED["GETPOWER_AUDIT_KEY"]):
        call_command("check", stdout=StringIO())


@override_settings(DEBUG=False)
def test_an_administrator_on_the_published_password_fails_the_check(django_user_model):
    admin = django_user_model.objects.create_superuser(username="admin", password="getpower-admin")
    with pytest.raises(SystemCheckError, match="administrator 'admin' has the default password"):
        call_command("check", stdout=StringIO())
    admin.set_password("a-password-of-this-site-only")
    admin.save()
    call_command("check", stdout=StringIO())


def test_a_fresh_data_dir_gets_random_keys_once_readable_by_the_owner_only(tmp_path):
    first = localkeys.load(tmp_path)
    again = localkeys.load(tmp_path)
    assert first == again
    assert stat.S_IMODE((tmp_path / localkeys.FILE_NAME).stat().st_mode) == 0o600
    for variable, published in localkeys.PUBLISHED.items():
        assert first[variable] not in published
    from contracts.checks import key_pair_problem

    assert key_pair_problem(first["GETPOWER_SM2_PRIVATE_KEY"], first["GETPOWER_SM2_PUBLIC_KEY"]) is None
    elsewhere = tmp_path / "another-machine"
    elsewhere.mkdir()
    assert localkeys.load(elsewhere)["GETPOWER_AUDIT_KEY"] != first["GETPOWER_AUDIT_KEY"]


def test_without_any_key_in_the_environment_a_fresh_machine_starts_on_its_own_keys(tmp_path):
    env = production_env(tmp_path)
    for variable in ("SECRET_KEY", "GETPOWER_AUDIT_KEY", "GETPOWER_PII_KEY", "GETPOWER_SM2_PRIVATE_KEY",
                     "GETPOWER_SM2_PUBLIC_KEY"):
        env.pop(variable)
    checked = run(["check"], env)
    assert checked.returncode == 0, checked.stderr
    assert json.loads((tmp_path / localkeys.FILE_NAME).read_text())["GETPOWER_AUDIT_KEY"]


def test_check_exits_non_zero_on_a_published_key_and_serve_refuses_to_start(tmp_path):
    env = production_env(tmp_path, GETPOWER_PII_KEY=PUBLISHED["GETPOWER_PII_KEY"])
    checked = run(["check"], env)
    assert checked.returncode != 0
    assert "GETPOWER_PII_KEY is the default published in the getpower repository" in checked.stderr
    served = run(["serve", "--port", "8199"], env)
    assert served.returncode != 0
    assert "GETPOWER_PII_KEY" in served.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    checked = run(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "no issues" in checked.stdout


def test_bootstrap_generates_the_administrator_password_and_prints_it_once(db, monkeypatch):
    monkeypatch.delenv("GETPOWER_ADMIN_PASSWORD", raising=False)
    out = StringIO()
    call_command("bootstrap", stdout=out)
    line = next(text for text in out.getvalue().splitlines() if "administrator (created)" in text)
    password = line.split(" / ")[1].split()[0]
    assert password != "getpower-admin" and len(password) >= 12
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="admin").check_password(password)
    assert Event.objects.filter(verb="platform.bootstrapped").count() == 1

    again = StringIO()
    call_command("bootstrap", stdout=again)
    assert password not in again.getvalue() and "already present" in again.getvalue()
    assert Event.objects.filter(verb="platform.bootstrapped").count() == 1


def test_bootstrap_refuses_the_published_password(db, monkeypatch):
    from django.core.management import CommandError

    monkeypatch.setenv("GETPOWER_ADMIN_PASSWORD", "getpower-admin")
    with pytest.raises(CommandError, match="published"):
        call_command("bootstrap", stdout=StringIO())


def test_pages_carry_the_content_security_policy_and_signed_in_pages_are_not_stored(client, world):
    public = client.get("/policies/")
    assert "default-src 'self'" in public["Content-Security-Policy"]
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(world.bob)
    private = client.get("/work/")
    assert private.status_code == 200
    assert "no-store" in private["Cache-Control"]


def test_every_pdf_is_rendered_in_one_place_and_never_stored_by_a_cache(tmp_path, settings):
    from pypdf import PdfReader

    from core import pdf

    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "receipt.html").write_text("<p>收据 {{ number }}</p>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
    document = pdf.render("receipt.html", {"number": "SK2026"})
    assert document.startswith(b"%PDF")
    import io

    assert "SK2026" in PdfReader(io.BytesIO(document)).pages[0].extract_text()
    answer = pdf.response(document, filename="SK2026.pdf", download=True)
    assert answer["Content-Type"] == "application/pdf" and answer["Cache-Control"] == "no-store, private"
    assert answer["Content-Disposition"] == 'attachment; filename="SK2026.pdf"'
