"""The real GIL: the same CPU tasks on one thread, then shared by N threads (threading).
python3 gil.py --num 30 --count 20 --threads 4 --repeats 3 [--switch-interval-ms 5]

The runs alternate (one thread, N threads, one thread, ...). With the GIL only one thread
runs Python at a time, so N threads take about as long as one, or longer: the speedup is
one thread's time over N threads' time.
"""

import json
import queue
import sys
import threading

from lab import arguments, cpu_bound, now, timed, watch_parent


def run_on(threads, num, count):
    """Runs `count` tasks of cpu_bound(num) on `threads` threads that take tasks from one queue."""
    tasks = queue.SimpleQueue()
    for index in range(count):
        tasks.put(index)
    outcomes = []

    def work():
        while True:
            try:
                index = tasks.get_nowait()
            except queue.Empty:
                return
            outcomes.append(timed(cpu_bound, index, num))

    start = now()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    end = now()
    outcomes.sort(key=lambda outcome: outcome[0]["index"])
    return {
        "threads": threads,
        "start": start,
        "end": end,
        "wallMs": end - start,
        "tasks": [task for task, _ in outcomes],
        "results": [value for _, value in outcomes],
    }


def main():
    args = arguments(
        __doc__,
        num=(int, 30, "each task is cpu_bound(num)"),
        count=(int, 20, "how many tasks"),
        threads=(int, 4, "threads sharing the tasks"),
        repeats=(int, 3, "timed runs of each"),
        switch_interval_ms=(float, 0.0, "sys.setswitchinterval, in ms (0: leave Python's default)"),
    )
    if args.switch_interval_ms > 0:
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    runs = []
    for repeat in range(args.repeats):
        for threads in (1, args.threads) if repeat % 2 == 0 else (args.threads, 1):
            runs.append({"repeat": repeat, **run_on(threads, args.num, args.count)})
    print(
        json.dumps(
            {
                "program": "gil",
                "python": sys.version.split()[0],
                "gilEnabled": getattr(sys, "_is_gil_enabled", lambda: True)(),
                "switchIntervalMs": sys.getswitchinterval() * 1000,
                "num": args.num,
                "count": args.count,
                "threads": args.threads,
                "runs": runs,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    watch_parent()
    main()
