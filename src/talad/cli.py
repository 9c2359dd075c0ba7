"""The `talad` console script (docs/design/cli.md).

Every subcommand is a Django management command living in the app it belongs to
(`serve`, `createshop`, `token`, `doctor`, …), so `talad X` is exactly `manage.py X`.
`talad`, `talad help` and `talad --help` list Talad's own commands only; Django's and the
libraries' (`migrate`, `check`, `axes_reset_username`, …) stay reachable as
`talad django <command>` (and, for scripts written before, as `talad <command>`).
"""

import os
import sys

HELP_FLAGS = {"help", "--help", "-h"}


def talad_commands() -> dict[str, str]:
    """Talad's commands and the first sentence of each one's help, by name."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    found = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("talad."):
            text = " ".join((load_command_class(app, name).help or "").split())
            found[name] = text.split(". ", 1)[0].split(": talad", 1)[0]
    return found


def print_help() -> None:
    commands = talad_commands()
    width = max(map(len, commands))
    print("Usage: talad <command> [options]   (talad <command> --help for its options)\n")
    print("Commands:")
    for name, summary in commands.items():
        print(f"  {name.ljust(width)}  {summary}")
    print("\nDjango's own commands (migrate, check, shell, …): talad django <command>")
    print("List them: talad django help")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talad.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (len(args) == 1 and args[0] in HELP_FLAGS):
        print_help()
        return
    if args[0] == "django":
        args = args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talad", *args])


if __name__ == "__main__":
    main()
