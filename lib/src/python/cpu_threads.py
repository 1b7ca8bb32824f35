"""The course's CPU-bound program on a ThreadPoolExecutor: python3 cpu_threads.py --num 30 --count 100 --workers 10

The threads take turns holding the GIL, so they run the Python loop one at a time.
"""

from concurrent.futures import ThreadPoolExecutor

from lab import arguments, cpu_bound, now, report, timed, watch_parent


def main():
    args = arguments(
        __doc__,
        num=(int, 30, "each task is cpu_bound(num)"),
        count=(int, 100, "how many tasks"),
        workers=(int, 10, "threads in the pool"),
    )
    start = now()
    with ThreadPoolExecutor(max_workers=args.workers) as executor:
        outcomes = list(executor.map(timed, [cpu_bound] * args.count, range(args.count), [args.num] * args.count))
    end = now()
    report("cpu_threads", f"ThreadPoolExecutor({args.workers})", args.workers, start, end, outcomes)


if __name__ == "__main__":
    watch_parent()
    main()
