"""The `khabar` command: Django's management commands behind one name, like `django-admin`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

KHABAR_APPS = ("khabar.newsroom", "khabar.site", "khabar.api")


def _one_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0].rstrip(".") if text else ""


def command_lines() -> list[tuple[str, str, str]]:
    """Return (group, name, one-line help) for every command, Khabar's first."""
    from django.core.management import get_commands, load_command_class

    rows: list[tuple[str, str, str]] = []
    for name, app in sorted(get_commands().items()):
        try:
            help_text = load_command_class(app, name).help
        except (ImportError, AttributeError) as exc:
            help_text = f"(cannot load: {exc})"
        group = "khabar" if app in KHABAR_APPS else app.rsplit(".", 1)[-1]
        rows.append((group, name, _one_line(str(help_text))))
    rows.sort(key=lambda r: (r[0] != "khabar", r[0], r[1]))
    return rows


def print_help() -> None:
    """Print every command, one line each."""
    print("usage: khabar COMMAND [options]      (khabar COMMAND --help for its options)\n")
    print("Data lives in $KHABAR_DATA (default ./khabar-data/).\n")
    group = None
    for grp, name, text in command_lines():
        if grp != group:
            group = grp
            print(f"\n[{grp}]" if grp != "khabar" else "[khabar]")
        print(f"  {name:<24} {text}")


def main(argv: Sequence[str] | None = None) -> None:
    """Run a Khabar command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    import django

    from khabar.errors import KhabarError

    try:
        django.setup()
    except KhabarError as exc:
        print(f"khabar: {exc}", file=sys.stderr)
        sys.exit(2)
    if not args or (args[0] in {"-h", "--help", "help"} and len(args) == 1):
        print_help()
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["khabar", *args])


if __name__ == "__main__":
    main()
