"""Drive a real tslab kernel through jupyter_client: interrupt a running cell, then restart
the kernel mid-run, and report (as JSON on stdout) what was left running each time.

usage: python3 kernel_lifecycle.py NOTEBOOKS_DIR
"""
import json
import os
import sys
import time

from jupyter_client.manager import KernelManager

PATTERN = ("lib/dist/core/pool-worker.js",)


def proc_table():
    """pid -> (ppid, cmdline) of every live, non-zombie process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] == "Z":
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            table[int(entry)] = (int(fields[1]), cmd)
        except (OSError, ValueError):
            pass
    return table


def workers_of(pid):
    return [p for p, (ppid, cmd) in proc_table().items() if ppid == pid and any(s in cmd for s in PATTERN)]


def threads_of(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def wait_until(predicate, timeout):
    start = time.time()
    while time.time() - start < timeout:
        if predicate():
            return time.time() - start
        time.sleep(0.05)
    return None


def reply_to(kc, msg_id, timeout=30):
    """The shell reply to one request (replies to earlier requests are skipped)."""
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply


LONG_RUN = """
import { compare } from 'concurrency-lab';
await compare({ workload: 'spin', inputs: Array(60).fill(1000), modes: ['%s'], workers: 2, repeats: 1, warmup: 0 });
"""


def main():
    km = KernelManager(kernel_name="tslab")
    km.start_kernel(cwd=sys.argv[1])
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    report = {}
    kernel_pid = km.provisioner.process.pid

    # 1. A cell running a process pool, interrupted.
    msg_id = kc.execute(LONG_RUN % "processes")
    report["processes_started"] = wait_until(lambda: len(workers_of(kernel_pid)) >= 2, 60) is not None
    time.sleep(1)
    t0 = time.time()
    km.interrupt_kernel()
    gone = wait_until(lambda: not workers_of(kernel_pid), 10)
    report["processes_gone_after_interrupt_s"] = gone
    report["interrupted_reply_status"] = reply_to(kc, msg_id)["content"]["status"]
    report["interrupt_reply_s"] = time.time() - t0
    time.sleep(0.5)

    # 2. A cell running a thread pool, interrupted: the worker threads end.
    time.sleep(0.5)
    baseline_threads = threads_of(kernel_pid)
    report["threads_baseline"] = baseline_threads
    msg_id = kc.execute(LONG_RUN % "threads")
    report["threads_started"] = wait_until(lambda: threads_of(kernel_pid) >= baseline_threads + 2, 60) is not None
    time.sleep(1)
    report["threads_running"] = threads_of(kernel_pid)
    km.interrupt_kernel()
    report["threads_gone_after_interrupt_s"] = wait_until(lambda: threads_of(kernel_pid) <= baseline_threads, 10)
    report["threads_after"] = threads_of(kernel_pid)
    # The interrupted cell's reply must come before the next request: a kernel aborts
    # requests queued behind a cell that failed.
    report["threads_interrupted_reply_status"] = reply_to(kc, msg_id)["content"]["status"]
    # tslab aborts whatever arrives within 200 ms of a failed cell (its stop-on-error).
    time.sleep(0.5)

    report["kernel_alive_after_interrupts"] = km.is_alive()

    # 3. The kernel still works after the interrupts.
    def hook(msg):
        if msg["msg_type"] == "stream":
            report["after_interrupt_output"] = report.get("after_interrupt_output", "") + msg["content"].get("text", "")

    reply = kc.execute_interactive("console.log('still alive')", timeout=60, output_hook=hook)
    report["after_interrupt_status"] = reply["content"]["status"]

    # 4. A cell running a process pool, then the kernel restarted mid-run: nothing may survive it.
    kc.execute(LONG_RUN % "processes")
    wait_until(lambda: len(workers_of(kernel_pid)) >= 2, 60)
    old = workers_of(kernel_pid)
    report["workers_before_restart"] = len(old)
    km.restart_kernel(now=True)
    alive = lambda: [p for p in old if p in proc_table()]
    report["orphans_gone_after_restart_s"] = wait_until(lambda: not alive(), 10)
    report["orphans_left"] = alive()
    new_pid = km.provisioner.process.pid
    report["new_kernel"] = new_pid != kernel_pid

    # 5. Shut down: the new kernel's process tree is gone too.
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    report["kernel_gone_after_shutdown"] = wait_until(lambda: new_pid not in proc_table(), 10) is not None
    print(json.dumps(report))


if __name__ == "__main__":
    main()
