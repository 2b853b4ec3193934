"""The app as in production, started for the benchmark: gunicorn (the Dockerfile's command, on a free
loopback port) and a Celery worker (docker-compose's command), and their peak memory."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN_WORKERS = 3  # as the Dockerfile and docker-compose.yml start it
CELERY_CONCURRENCY = 2  # as docker-compose.yml starts the worker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set (VmHWM in /proc/<pid>/status), in MB; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def children(pid: int) -> list[int]:
    """The process's direct children (gunicorn's workers, Celery's pool processes)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(x) for x in text.split()]


class Service:
    """A child process in a process group of its own, stopped with SIGTERM (then SIGKILL) on exit."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        self.handle = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our own commands)
            args, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def peak_rss_mb(self) -> dict[str, float | None]:
        """Peak RSS of the main process and of its largest child."""
        pids = children(self.process.pid)
        sizes = [size for size in (peak_rss_mb(pid) for pid in pids) if size is not None]
        return {"main_mb": peak_rss_mb(self.process.pid), "largest_child_mb": max(sizes, default=None)}

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def gunicorn(env: dict, port: int, log: Path) -> Service:
    service = Service(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
        ],
        env,
        log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not service.alive():
            raise RuntimeError(f"gunicorn stopped:\n{service.tail()}")
        try:
            with urlopen(f"http://127.0.0.1:{port}/i18n/setlang/", timeout=5):
                pass
            return service
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer (405 for a GET): it is up
                return service
            time.sleep(0.3)
    service.stop()
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{service.tail()}")


def celery_worker(env: dict, log: Path) -> Service:
    service = Service(
        "celery",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(CELERY_CONCURRENCY),
            "--hostname",
            f"bench-{os.getpid()}@%h",
        ],
        env,
        log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not service.alive():
            raise RuntimeError(f"the Celery worker stopped:\n{service.tail()}")
        if " ready." in service.log.read_text(errors="replace"):
            return service
        time.sleep(0.3)
    service.stop()
    raise RuntimeError(f"the Celery worker was not ready within 60 s:\n{service.tail()}")
