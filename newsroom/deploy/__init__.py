"""``build.py deploy``: bring a host up to date with ``output/``, moving only what changed.

plan.py     output/ against the record kept on the target; order; content types, cache times
run.py      one deploy: choose the target, lock output/, apply the plan, the summary
rclone.py   SFTP, FTP, FTPS, S3 (and rclone's own remotes) through one rclone daemon
targets.py  a folder on this machine (switched atomically), a git Pages branch (one push)
watch.py    --watch: publish scheduled articles on time, and every saved change
errors.py   DeployError, and keeping secrets out of messages
"""

from __future__ import annotations

from .errors import DeployError
from .plan import MANIFEST, PENDING, cache_control, content_type
from .run import DeployReport, choose_target, deploy_output
from .watch import SystemClock, watch

__all__ = [
    "MANIFEST",
    "PENDING",
    "DeployError",
    "DeployReport",
    "SystemClock",
    "cache_control",
    "choose_target",
    "content_type",
    "deploy_output",
    "watch",
]
