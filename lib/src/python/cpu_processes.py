"""The course's CPU-bound program on a ProcessPoolExecutor: python3 cpu_processes.py --num 30 --count 100 --workers 10

Each process has its own interpreter and its own GIL, so they run in parallel; inputs and
results are pickled across. The time includes starting the processes and shutting them down.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from lab import arguments, cpu_bound, now, report, timed, watch_parent


def main():
    args = arguments(
        __doc__,
        num=(int, 30, "each task is cpu_bound(num)"),
        count=(int, 100, "how many tasks"),
        workers=(int, 10, "processes in the pool"),
    )
    start = now()
    with ProcessPoolExecutor(max_workers=args.workers) as executor:
        outcomes = list(executor.map(timed, [cpu_bound] * args.count, range(args.count), [args.num] * args.count))
    end = now()
    report(
        "cpu_processes",
        f"ProcessPoolExecutor({args.workers})",
        args.workers,
        start,
        end,
        outcomes,
        startMethod=multiprocessing.get_start_method(),
    )


if __name__ == "__main__":
    watch_parent()
    main()
