"""A real Celery worker (`celery -A config worker`, solo pool) for the killed-worker tests, run as a
subprocess: `python -m tests.reports.slow_worker QUEUE`.

Test-only hook, here and nowhere in the app: when KZ_STARTED is set, the compile writes that file as it
starts, then waits until the file KZ_RELEASE exists (never, when the test means to kill this worker). The
real compiler then runs. KZ_VISIBILITY sets the broker's visibility timeout: how long an unacknowledged
message of a dead worker waits before Redis gives it to another worker.
"""

import os
import pathlib
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from config.celery import app  # noqa: E402
from reports import compiling  # noqa: E402

_real_compile = compiling.compile_report


def _slow_compile(*, report, progress):
    started = os.environ.get("KZ_STARTED")
    if started:
        pathlib.Path(started).write_text(str(os.getpid()))
        release = pathlib.Path(os.environ["KZ_RELEASE"])
        while not release.exists():
            time.sleep(0.1)
    return _real_compile(report=report, progress=progress)


compiling.compile_report = _slow_compile

if __name__ == "__main__":
    app.conf.broker_transport_options = {"visibility_timeout": int(os.environ.get("KZ_VISIBILITY", "3600"))}
    app.conf.task_always_eager = False
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--queues",
            sys.argv[1],
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"{sys.argv[2] if len(sys.argv) > 2 else 'slow'}@%h",
        ]
    )
