/**
 * The queue mode under a real tslab kernel (test/helpers/queue_kernel.py): an interrupt and a
 * kernel restart in the middle of a run leave no redis-server, guard or worker process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureJupyter, installKernel, jupyterEnv } from '../build/tools/jupyter';
import { newTag } from './helpers/processes';

/** Pids of each kind of process the queue starts. */
interface Left {
  redis: number[];
  guard: number[];
  worker: number[];
}

interface Report {
  started: boolean;
  before_interrupt: Left;
  gone_after_interrupt_s: number | null;
  left_after_interrupt: Left;
  interrupted_reply_status: string;
  kernel_alive_after_interrupt: boolean;
  started_again: boolean;
  before_restart: Left;
  gone_after_restart_s: number | null;
  left_after_restart: Left;
}

let report: Report;

beforeAll(() => {
  const python = ensureJupyter();
  installKernel(python);
  const tag = newTag().CLAB_TEST_TAG;
  const script = path.join(__dirname, 'helpers', 'queue_kernel.py');
  const r = spawnSync(python, [script, path.join(__dirname, '..', 'notebooks'), tag], {
    env: jupyterEnv(),
    encoding: 'utf8',
    timeout: 400_000,
  });
  if (r.status !== 0) throw new Error(`queue_kernel.py failed: ${r.stderr}`);
  report = JSON.parse(r.stdout.trim().split('\n').pop()!);
}, 420_000);

test('an interrupt stops our redis-server, its guard and every queue worker, and the kernel lives on', () => {
  expect(report.started).toBe(true);
  expect(report.before_interrupt.redis).toHaveLength(1);
  expect(report.left_after_interrupt).toEqual({ redis: [], guard: [], worker: [] });
  expect(report.gone_after_interrupt_s).not.toBeNull();
  expect(report.gone_after_interrupt_s!).toBeLessThan(5);
  expect(report.interrupted_reply_status).toBe('error');
  expect(report.kernel_alive_after_interrupt).toBe(true);
});

test('a kernel restart mid-run leaves no redis-server, guard or queue worker behind', () => {
  expect(report.started_again).toBe(true);
  expect(report.before_restart.worker.length).toBeGreaterThanOrEqual(2);
  expect(report.left_after_restart).toEqual({ redis: [], guard: [], worker: [] });
});
