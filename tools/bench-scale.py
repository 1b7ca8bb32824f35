"""The Python side of the bench's `scale` key (tools/bench-scale.ts).

    python3 bench-scale.py threads|processes TASKS WORKERS

The course's executor with WORKERS workers runs `executor.map(f, range(TASKS))` of a no-op
and prints one JSON line: the map's wall time on a pool already up (one task per worker
first), the pool's start-up apart, and the peak RSS (VmHWM) of this process and of every
process under it, read before the pool shuts down. Linux only (/proc).
"""

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def noop(x):
    return x


def peak_kb(pid):
    """VmHWM of one process in kB (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(pid):
    """This process and every process under it (children are listed per thread that forked them)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except OSError:
            pass
    return found


def main():
    kind, tasks, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pool = ThreadPoolExecutor if kind == "threads" else ProcessPoolExecutor
    begun = time.perf_counter()
    with pool(workers) as executor:
        list(executor.map(noop, range(workers)))
        up = time.perf_counter()
        results = list(executor.map(noop, range(tasks)))
        end = time.perf_counter()
        peaks = [peak_kb(p) for p in tree(os.getpid())]
    assert len(results) == tasks
    print(
        json.dumps(
            {
                "wallMs": (end - up) * 1000,
                "startupMs": (up - begun) * 1000,
                "peakKb": max(peaks),
                "treeKb": sum(peaks),
                "processes": len(peaks),
            }
        )
    )


if __name__ == "__main__":
    main()
