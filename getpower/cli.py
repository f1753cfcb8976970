"""The `getpower` console script: Django's management utility with settings preset.

Operators type `getpower migrate`, `getpower deadline ...`, `getpower calendar show 2027`
without knowing about manage.py or DJANGO_SETTINGS_MODULE.
"""
import os
import sys

# Command words that would make bad module names (a `calendar` module shadows the
# stdlib) map to the management command that implements them.
ALIASES = {
    "calendar": "calendar_schedule",
    "worker": "run_huey",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "getpower.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "getpower"
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
