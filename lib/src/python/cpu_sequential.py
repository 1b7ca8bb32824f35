"""The course's CPU-bound program, one task after another: python3 cpu_sequential.py --num 30 --count 100"""

from lab import arguments, cpu_bound, now, report, timed, watch_parent


def main():
    args = arguments(
        __doc__,
        num=(int, 30, "each task is cpu_bound(num)"),
        count=(int, 100, "how many tasks"),
    )
    start = now()
    outcomes = [timed(cpu_bound, index, args.num) for index in range(args.count)]
    end = now()
    report("cpu_sequential", "sequential", 1, start, end, outcomes)


if __name__ == "__main__":
    watch_parent()
    main()
