#!/usr/bin/env python
"""Django's command-line utility for PALS Desk."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.env import ImproperEnvironment

    try:
        execute_from_command_line(sys.argv)
    except ImproperEnvironment as problem:
        # A setting missing from the environment is the operator's to fix: say which, without a traceback.
        sys.exit(f"PALS Desk cannot start: {problem}")
