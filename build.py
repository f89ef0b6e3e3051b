#!/usr/bin/env python3
"""Command-line entry point: `python build.py build`, `check`, `serve`, `new`, `import`, `deploy`. See README.md."""

import sys

if __name__ == "__main__":
    try:
        from newsroom.cli import main

        code = main()
    except KeyboardInterrupt:  # Ctrl-C while Python was still loading newsroom's libraries
        print("stopped (Ctrl-C) before anything was done", file=sys.stderr)
        code = 130
    sys.exit(code)
