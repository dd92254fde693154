"""``ketenconf``: the one command-line entry point for everything an operator does.

``ketenconf assign`` runs the assignment engine on a JSON file and needs no database;
every other command is a Django management command (migrate, demo, runserver, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "assign":
        from ketenconf.allocation.engine.cli import main as assign_main

        return assign_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenconf.settings")
    from django.core.management import execute_from_command_line

    from ketenconf.audit.context import process_source_set

    # Changes an operator makes here are the command line's (the worker says it is the worker).
    process_source_set("command", args[0] if args else "")

    execute_from_command_line(["ketenconf", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
