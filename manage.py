#!/usr/bin/env python
"""Django's command-line utility for Maillage."""

import os
import sys
from pathlib import Path

# platform/ is a plain folder (no __init__.py): its packages are import roots of their
# own, so nothing named "platform" ever shadows the standard library.
sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
