#!/usr/bin/env python3
"""Command-line entry point: `python build.py build`, `check`, `serve`, `new`, `import`, `deploy`. See README.md."""

import os
import signal
import sys


def _stopped_while_loading(signum, frame):
    """Ctrl-C before newsroom has loaded: nothing was done yet, so leave at once, quietly."""
    os.write(2, b"stopped (Ctrl-C) before anything was done\n")
    os._exit(130)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _stopped_while_loading)  # the command line installs its own handler
    from newsroom.cli import main

    code = main()
    # The command is over and has said how it went: a Ctrl-C from now on has nothing left to stop, and
    # must not turn a finished build's exit status into "killed by SIGINT" while Python shuts down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
