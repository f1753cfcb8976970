"""`getpower token`: a regulator's integration gets a token shown once, that ends on its
date or when revoked."""
import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.models import ApiToken
from core.models import Event


def token_cli(*args):
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def api_me(client, token):
    return client.get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_issue_prints_the_token_once_and_it_opens_the_api_until_it_expires(client, world):
    out, _ = token_cli("issue", "--user", "rita", "--days", "30", "--json")
    issued = json.loads(out)
    token = issued["token"]
    assert api_me(client, token).status_code == 200
    assert not ApiToken.objects.filter(key_digest=token).exists()  # only the digest is kept
    listed, _ = token_cli("list", "--user", "rita", "--json")
    assert token not in listed and json.loads(listed)[0]["state"] == "active"
    assert Event.objects.filter(verb="api_token.created", subject_id=str(issued["id"])).exists()

    with time_machine.travel(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31)):
        assert api_me(client, token).status_code == 401
        assert json.loads(token_cli("list", "--json")[0])[0]["state"] == "expired"


def test_revoke_stops_the_token_at_once_and_is_logged_once(client, world):
    token = json.loads(token_cli("issue", "--user", "rita", "--json")[0])
    assert api_me(client, token["token"]).status_code == 200
    token_cli("revoke", "--id", str(token["id"]))
    token_cli("revoke", "--id", str(token["id"]))
    assert api_me(client, token["token"]).status_code == 401
    assert Event.objects.filter(verb="api_token.revoked").count() == 1


def test_revoke_all_tokens_of_a_user(world):
    for _ in range(2):
        token_cli("issue", "--user", "rita")
    out, _ = token_cli("revoke", "--user", "rita", "--all")
    assert out.strip() == "revoked 2 token(s)"
    assert not ApiToken.objects.filter(revoked=False).exists()


@pytest.mark.parametrize(
    "args, field",
    [
        (("issue", "--user", "nobody"), "--user"),
        (("issue", "--user", "rita", "--days", "0"), "--days"),
        (("issue", "--user", "rita", "--days", "5000"), "--days"),
        (("issue", "--user", "rita", "--name", "x" * 65), "--name"),
        (("revoke", "--id", "999"), "--id"),
    ],
)
def test_bad_arguments_exit_2_naming_the_option(world, args, field):
    with pytest.raises(CommandError) as refused:
        token_cli(*args)
    assert refused.value.returncode == 2 and str(refused.value).startswith(field)


def test_a_busy_token_is_not_written_on_every_request(client, world):
    token = json.loads(token_cli("issue", "--user", "rita", "--json")[0])["token"]
    assert api_me(client, token).status_code == 200
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as again:
        assert api_me(client, token).status_code == 200
    assert not [q for q in again.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get().last_used_at == used
