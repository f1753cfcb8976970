"""core.commands: what every command does the same way. A refused input is one line naming
the argument the person typed; JSON keeps Chinese readable; a date is YYYY-MM-DD or argparse
names the argument."""
import argparse
from datetime import date

import pytest
from django.core.management.base import CommandError

from core.commands import date_argument, directory_argument, named_user, refused, to_json
from core.errors import DomainError, invalid


def test_a_refusal_names_the_option_of_the_field():
    error = refused(invalid("voltage_kv", "must be a positive number of kV"))
    assert (str(error), error.returncode) == ("--voltage-kv: must be a positive number of kV", 2)


def test_a_refusal_names_what_the_person_typed_when_it_is_not_the_field():
    error = refused(invalid("period", "2027Q1 尚未开始"), arguments={"period": "--quarter"})
    assert str(error) == "--quarter: 2027Q1 尚未开始"


def test_a_refusal_without_a_field_is_its_message_or_the_name_given_for_it():
    assert str(refused(DomainError("服务暂不可用"))) == "服务暂不可用"
    assert str(refused(DomainError("服务暂不可用"), unnamed="--request")) == "--request: 服务暂不可用"
    assert refused(DomainError("x"), returncode=1).returncode == 1


def test_json_keeps_chinese_readable():
    assert to_json({"name": "枣庄"}) == '{"name": "枣庄"}'
    assert to_json([1], indent=2) == "[\n  1\n]"


def test_a_named_user_is_found_or_the_argument_is_named(world):
    assert named_user("alice", argument="--user") == world.alice
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])
    assert named_user("alice", argument="--user") == world.alice
    with pytest.raises(CommandError) as missing:
        named_user("alice", argument="--by", active=True)
    assert (str(missing.value), missing.value.returncode) == ("--by: no active user 'alice'", 2)


def test_a_directory_is_checked_before_anything_is_loaded(tmp_path):
    assert directory_argument(None) is None
    assert directory_argument(str(tmp_path)) == tmp_path
    with pytest.raises(CommandError) as missing:
        directory_argument(str(tmp_path / "nope"))
    assert str(missing.value) == f"--path: no such directory: {tmp_path / 'nope'}"
    assert missing.value.returncode == 2


@pytest.mark.parametrize("typed", ["2026-13-01", "20261001", "2026-W40", "9999-01-01", ""])
def test_a_date_argument_is_strict(typed):
    with pytest.raises(argparse.ArgumentTypeError):
        date_argument(typed)


def test_a_date_argument_reads_iso_dates():
    assert date_argument("2026-09-29") == date(2026, 9, 29)
