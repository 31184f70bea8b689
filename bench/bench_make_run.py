"""`make run` on a fresh clone, to serving, then a restart. Goals: first run <= 90 s; a
restart <= 10 s.

The clone is of this repository's committed HEAD (uncommitted changes are not in it; the
BENCH_REF environment variable names another commit, to time an earlier version), in a
temporary folder, with `.venv` a symlink to this checkout's installed environment: the
dependency download is not timed (`make install` from nothing is a download of about
450 MB), but make's check of it is. `make run` starts in a fresh session on a free port,
without DATABASE_URL or a broker (SQLite, Celery eager, as on a bare machine), and the time
is until http://127.0.0.1:<port>/ answers (a redirect to the login page), polled every
0.2 s. It is then stopped (SIGINT, as Ctrl-C) and started again on the same clone: the
restart. The CPU figure is the user and system time of everything `make run` started (the
loaders' child processes included) up to serving, summed from /proc over its session.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF = os.environ.get("BENCH_REF", "HEAD")
LEFT_OUT = ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(url, timeout=2)
    except urllib.error.HTTPError:
        return True  # the redirect to the login page: Django is serving
    except OSError:
        return False
    return True


def session_cpu(session: int) -> float:
    """CPU seconds of the session's live processes and the children they have waited for."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        if int(fields[3]) == session:  # fields from the state on: state ppid pgrp session ...
            ticks += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def start_to_serving(clone: Path, log: Path) -> tuple[float, float]:
    """Seconds from `make run` to serving, and the CPU seconds it used until then."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    started = time.perf_counter()
    with open(log, "ab") as out:
        running = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while not answers(f"http://127.0.0.1:{port}/"):
                if running.poll() is not None:
                    raise RuntimeError(f"`make run` stopped; see {log}")
                if time.perf_counter() - started > 1800:
                    raise RuntimeError("`make run` did not serve within 30 minutes")
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            cpu = session_cpu(running.pid)
        finally:
            os.killpg(running.pid, signal.SIGINT)
            try:
                running.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(running.pid, signal.SIGKILL)
                running.wait()
    return seconds, cpu


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-make-run-"))
    try:
        clone = folder / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", REF],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=clone, check=True)
        (clone / ".venv").symlink_to(ROOT / ".venv")
        load = os.getloadavg()[0]
        log = folder / "make-run.log"
        first, first_cpu = start_to_serving(clone, log)
        restart, restart_cpu = start_to_serving(clone, log)
        print(
            f"`make run` on a fresh clone of {commit}, to serving: {first:.1f} s ({first_cpu:.0f} s of CPU) "
            f"(goal <= 90 s); a restart: {restart:.1f} s ({restart_cpu:.1f} s of CPU) "
            f"(goal <= 10 s); load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, "
            f"on {os.cpu_count()} cores"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
