#!/usr/bin/env python3
"""Command-line entry point: `python build.py build`, `check`, `serve`, `new`, `import`. See README.md."""

import sys

from newsroom.cli import main

if __name__ == "__main__":
    sys.exit(main())
