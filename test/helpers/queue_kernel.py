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

KINDS = {"guard": "queue/guard.js", "worker": "queue/queue-worker.js"}

# compare's one-worker baseline row would start a second broker: this run has one.
LONG_RUN = """
import { compare } from 'concurrency-lab';
await compare({ workload: 'spin', inputs: Array(60).fill(1000), modes: ['queue'], workers: 2, repeats: 1, warmup: 0, oneWorker: false });
"""

# redis-server rewrites its command line (and the environment beside it) to "redis-server
# 127.0.0.1:PORT", so it is found by the port its guard gave it, remembered here.
PORTS = set()


def processes():
    """pid -> (environ, cmdline) of every live process we may read."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            if stat[stat.rindex(")") + 2:].split()[0] == "Z":
                continue
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        found[int(entry)] = (environ, cmd)
    return found


def ours(tag):
    """kind -> pids of live processes of this run: the tagged guard and workers, and the Redis they serve."""
    found = {"redis": [], "guard": [], "worker": []}
    needle = f"CLAB_TEST_TAG={tag}\0".encode()
    live = processes()
    for pid, (environ, cmd) in live.items():
        if needle not in environ:
            continue
        for kind, part in KINDS.items():
            if part in cmd:
                found[kind].append(pid)
        if KINDS["guard"] in cmd and "--port" in cmd.split():
            words = cmd.split()
            PORTS.add(words[words.index("--port") + 1])
    for pid, (_environ, cmd) in live.items():
        words = cmd.split()
        if words and words[0].endswith("redis-server") and any(w.endswith(f":{port}") for w in words for port in PORTS):
            found["redis"].append(pid)
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
