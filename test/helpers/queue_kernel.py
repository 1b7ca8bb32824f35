"""Drive a real tslab kernel through jupyter_client while it runs the queue mode: interrupt a
running cell, then restart the kernel mid-run, and report (as JSON on stdout) what of the
queue's processes (our redis-server, its guard, the worker processes) was left each time.

usage: python3 queue_kernel.py NOTEBOOKS_DIR TAG
"""
import json
import os
import sys
import time

from jupyter_client.manager import KernelManager

from kernel_lifecycle import reply_to, wait_until

KINDS = {"redis": "redis-server", "guard": "queue/guard.js", "worker": "queue/queue-worker.js"}

LONG_RUN = """
import { compare } from 'concurrency-lab';
await compare({ workload: 'spin', inputs: Array(60).fill(1000), modes: ['queue'], workers: 2, repeats: 1, warmup: 0 });
"""


def ours(tag):
    """kind -> pids of live processes that carry the tag, by what they run."""
    found = {kind: [] for kind in KINDS}
    needle = f"CLAB_TEST_TAG={tag}\0".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            if stat[stat.rindex(")") + 2:].split()[0] == "Z":
                continue
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle not in f.read():
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        for kind, part in KINDS.items():
            if part in cmd:
                found[kind].append(int(entry))
    return found


def started(tag):
    f = ours(tag)
    return len(f["redis"]) == 1 and len(f["guard"]) == 1 and len(f["worker"]) >= 2


def none_left(tag):
    return not any(ours(tag).values())


def main():
    notebooks, tag = sys.argv[1], sys.argv[2]
    km = KernelManager(kernel_name="tslab")
    km.start_kernel(cwd=notebooks, env={**os.environ, "CLAB_TEST_TAG": tag})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    report = {}

    # 1. A cell running the queue mode, interrupted.
    msg_id = kc.execute(LONG_RUN)
    report["started"] = wait_until(lambda: started(tag), 90) is not None
    report["before_interrupt"] = ours(tag)
    time.sleep(1)
    km.interrupt_kernel()
    report["gone_after_interrupt_s"] = wait_until(lambda: none_left(tag), 10)
    report["left_after_interrupt"] = ours(tag)
    report["interrupted_reply_status"] = reply_to(kc, msg_id, timeout=60)["content"]["status"]
    time.sleep(0.5)
    report["kernel_alive_after_interrupt"] = km.is_alive()

    # 2. The same, and the kernel restarted mid-run.
    kc.execute(LONG_RUN)
    report["started_again"] = wait_until(lambda: started(tag), 90) is not None
    report["before_restart"] = ours(tag)
    km.restart_kernel(now=True)
    report["gone_after_restart_s"] = wait_until(lambda: none_left(tag), 10)
    report["left_after_restart"] = ours(tag)

    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
