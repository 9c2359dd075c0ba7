"""The `talad` console script (DESIGN.md §8).

Every subcommand is a Django management command living in the app it belongs to
(`serve`, `createshop`, `token`, `doctor`, …), so `talad X` is exactly `manage.py X`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talad.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talad", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
