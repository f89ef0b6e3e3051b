"""The test helpers themselves: ``run_cli_in_process`` must answer as ``python build.py`` does in a process."""

from __future__ import annotations

import pytest
from sitekit import run_cli, run_cli_in_process


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--help"),  # argparse's exit 0, the usage line naming build.py
        ("--lang", "en", "new", "Tin"),  # argparse's exit 2: a required option missing
        ("build", "--site", "/nonexistent/site"),  # newsroom's own error: exit 1, a located message
    ],
    ids=["help", "wrong-use", "error"],
)
def test_in_process_runs_answer_as_the_command_does(args):
    """Same exit status, same standard output, same errors: tests may use either."""
    expected, got = run_cli(*args), run_cli_in_process(*args)
    assert (got.returncode, got.stdout, got.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert got.args == expected.args
