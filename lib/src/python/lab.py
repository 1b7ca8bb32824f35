"""What the course's programs share here: the CPU function, a record per task, and the report.

Each program times itself from just before its pool starts to just after the pool has shut
down (the way the course timed them), records every task as {index, pid, threadId, start,
end, ok, error} in epoch milliseconds (time.time() * 1000, the clock Node's records use:
performance.timeOrigin + performance.now()), and prints one JSON object on stdout.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time


def cpu_bound(num):
    """The course's CPU-bound function: a triple loop multiplying a running total by i * j * k."""
    total = 1
    for i in range(1, num):
        for j in range(1, num):
            for k in range(1, num):
                total *= i * j * k
    return total.bit_length()


def now():
    """Milliseconds since the Unix epoch."""
    return time.time() * 1000


def record(index, start, value=None, error=None):
    """One task's record, ended now, and its value."""
    task = {
        "index": index,
        "pid": os.getpid(),
        "threadId": threading.get_ident(),
        "start": start,
        "end": now(),
        "ok": error is None,
    }
    if error is not None:
        task["error"] = error
    return task, value


def message(error):
    """An exception as one line."""
    text = str(error).split("\n")[0] or type(error).__name__
    return f"{type(error).__name__}: {text}"


def timed(fn, index, *args):
    """Runs fn(*args) and records it; never raises (module level, so a process pool can pickle it)."""
    start = now()
    try:
        return record(index, start, fn(*args))
    except Exception as error:  # noqa: BLE001 - every failure is recorded, the others go on
        return record(index, start, error=message(error))


def report(program, label, workers, start, end, outcomes, **extra):
    """Prints the run as one JSON object: its timing, every task's record, and every result."""
    outcomes = sorted(outcomes, key=lambda outcome: outcome[0]["index"])
    print(
        json.dumps(
            {
                "program": program,
                "label": label,
                "workers": workers,
                "python": sys.version.split()[0],
                "executable": sys.executable,
                "gilEnabled": getattr(sys, "_is_gil_enabled", lambda: True)(),
                "switchIntervalMs": sys.getswitchinterval() * 1000,
                "pid": os.getpid(),
                "start": start,
                "end": end,
                "wallMs": end - start,
                "tasks": [task for task, _ in outcomes],
                "results": [value for _, value in outcomes],
                **extra,
            }
        ),
        flush=True,
    )


def watch_parent():
    """Ends this program, and the pool it started, when the process that started it is gone.

    The runner starts each program as the leader of its own process group, and names itself
    in CLAB_PARENT_PID: a thread checks that process four times a second and kills the group
    (the pool's processes too, and a wrapper such as a shim or `conda run` that started this
    Python) once it has died, however busy the main thread is. Run by hand, the parent
    watched is the one that started it.
    """
    runner = int(os.environ.get("CLAB_PARENT_PID", "0") or 0)
    parent = os.getppid()

    def gone():
        if not runner:
            return os.getppid() != parent
        try:
            os.kill(runner, 0)
            return False
        except ProcessLookupError:
            return True
        except PermissionError:
            return False

    def watch():
        while True:
            time.sleep(0.25)
            if gone():
                if runner or os.getpgrp() == os.getpid():
                    os.killpg(0, signal.SIGKILL)
                os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def arguments(description, **options):
    """Parses the command line: the options this program takes, each a (type, default, help).

    Every program also takes --switch-interval-ms (sys.setswitchinterval; 0 leaves Python's own).
    """
    parser = argparse.ArgumentParser(description=description)
    options["switch_interval_ms"] = (float, 0.0, "sys.setswitchinterval, in ms (0: leave Python's default)")
    for name, (kind, default, text) in options.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=default, help=text)
    args = parser.parse_args()
    if args.switch_interval_ms > 0:
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    return args


def io_arguments(description, **options):
    """Parses the command line of an I/O program: the options every one takes, then its own.

    Returns the arguments and the request targets: --urls a,b,c taken in turn, or --url
    repeated --count times.
    """
    args = arguments(
        description,
        url=(str, "http://127.0.0.1:8000/", "the URL to request"),
        urls=(str, "", "comma-separated URLs, requested in turn (instead of --url)"),
        count=(int, 100, "how many requests"),
        timeout=(float, 30.0, "seconds a request may take"),
        **options,
    )
    targets = [u for u in (args.urls or "").split(",") if u] or [args.url]
    return args, [targets[i % len(targets)] for i in range(args.count)]
