/**
 * Interrupt and restart, as Jupyter does them: a real tslab kernel driven through
 * jupyter_client (test/helpers/kernel_lifecycle.py), with the process tree read from /proc.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureJupyter, installKernel, jupyterEnv } from '../build/tools/jupyter';

interface Report {
  processes_started: boolean;
  processes_gone_after_interrupt_s: number | null;
  interrupted_reply_status: string;
  interrupt_reply_s: number;
  threads_started: boolean;
  threads_interrupted_reply_status: string;
  threads_gone_after_interrupt_s: number | null;
  kernel_alive_after_interrupts: boolean;
  after_interrupt_output?: string;
  after_interrupt_status: string;
  workers_before_restart: number;
  orphans_gone_after_restart_s: number | null;
  orphans_left: number[];
  new_kernel: boolean;
  kernel_gone_after_shutdown: boolean;
}

let report: Report;

beforeAll(() => {
  const python = ensureJupyter();
  installKernel(python);
  const r = spawnSync(
    python,
    [path.join(__dirname, 'helpers', 'kernel_lifecycle.py'), path.join(__dirname, '..', 'notebooks')],
    {
      env: jupyterEnv(),
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (r.status !== 0) throw new Error(`kernel_lifecycle.py failed: ${r.stderr}`);
  report = JSON.parse(r.stdout.trim().split('\n').pop()!);
}, 320_000);

test('interrupting a cell stops its worker processes within a second, and the cell reports an error', () => {
  expect(report.processes_started).toBe(true);
  expect(report.processes_gone_after_interrupt_s).not.toBeNull();
  expect(report.processes_gone_after_interrupt_s!).toBeLessThan(1);
  expect(report.interrupted_reply_status).toBe('error');
});

test('interrupting a cell stops its worker threads within a second', () => {
  expect(report.threads_started).toBe(true);
  expect(report.threads_gone_after_interrupt_s).not.toBeNull();
  expect(report.threads_gone_after_interrupt_s!).toBeLessThan(1);
  expect(report.threads_interrupted_reply_status).toBe('error');
});

test('the kernel keeps working after interrupts', () => {
  expect(report.kernel_alive_after_interrupts).toBe(true);
  expect(report.after_interrupt_status).toBe('ok');
  expect(report.after_interrupt_output).toBe('still alive\n');
});

test('restarting the kernel mid-run leaves no worker process behind', () => {
  expect(report.workers_before_restart).toBeGreaterThanOrEqual(2);
  expect(report.new_kernel).toBe(true);
  expect(report.orphans_left).toEqual([]);
});

test('shutting the kernel down ends it', () => {
  expect(report.kernel_gone_after_shutdown).toBe(true);
});
