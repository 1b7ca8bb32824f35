/**
 * Workers on other machines, made real on this one: hosts that are network namespaces with
 * hostnames of their own (queue.startHosts), our redis-server on their network with a
 * password, the worker command on each, and a host cut off in the middle of a job. Then
 * nothing the run made may be left: no namespace, no link, no process, no temporary folder.
 * Making namespaces needs root on Linux: elsewhere these tests are skipped, and say why.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queue, timelineChart } from 'concurrency-lab';
import { openResources } from '../lib/dist/core/teardown';
import { HostsUnavailableError, hostsUnavailable, startHosts, type Cut } from '../lib/dist/concepts/queue/hosts';
import { startHostWorkers } from '../lib/dist/concepts/queue/hosts-workers';
import { recovery } from '../lib/dist/concepts/queue/recovery';
import { childPids, isLive, newTag, runCli, tagged } from './helpers/processes';

const why =
  process.platform !== 'linux'
    ? `network namespaces are Linux's (this is ${process.platform})`
    : process.getuid?.() !== 0
      ? `making network namespaces needs root (this is uid ${process.getuid?.()})`
      : undefined;
const describeHosts = why ? describe.skip : describe;
if (why) test.skip(`hosts tests skipped: ${why}`, () => {});

const HOSTS = ['clab-h1', 'clab-h2', 'clab-h3'];

/** Namespaces and links named after `pid` (what a run of that process made), now. */
function madeBy(pid: number): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return [
    ...[...ns.matchAll(new RegExp(`^clab-${pid}-\\S+`, 'gm'))].map((m) => m[0]),
    ...[...links.matchAll(new RegExp(`^\\d+: (clab${pid}[br]\\w*)`, 'gm'))].map((m) => m[1]!),
  ];
}

/** Waits until `check` holds, for at most `ms`; returns whether it did. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return check();
}

/** Every live process whose command line holds `text`. */
function argvHolding(text: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describeHosts('workers on three hosts, one cut off mid-job', () => {
  test('every task completes exactly once, the cut job on another host; the cut worker says so and rejoins', async () => {
    const run = await startHostWorkers({ count: 3, queueName: 'hosts-test', stallMs: 2000 });
    try {
      // Three hosts: their own names and addresses, on a network this run made; the broker on it.
      const { hosts, broker, workers } = run;
      expect(hosts.hosts.map((h) => h.hostname)).toEqual(HOSTS);
      expect(new Set(hosts.hosts.map((h) => h.address)).size).toBe(3);
      const net = hosts.subnet.replace(/\.0\/24$/, '.');
      for (const h of [...hosts.hosts.map((x) => x.address), hosts.address]) expect(h.startsWith(net)).toBe(true);
      expect(broker.host).toBe(hosts.address);
      expect(madeBy(process.pid)).toHaveLength(3 + 3 + 1); // namespaces, veth root sides, the bridge
      // Each worker found its hostname by itself, and the password is in no argv and no output.
      const password = decodeURIComponent(new URL(broker.url).password);
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(argvHolding(password)).toEqual([]);
      workers.forEach((w, i) => {
        expect(w.output().join('\n')).toMatch(new RegExp(`on ${HOSTS[i]}: joined queue "hosts-test"`));
        expect(w.output().join('\n')).not.toContain(password);
      });

      const executor = await queue.open({ workload: 'cpu', ...run.modeOptions, workers: 3 });
      try {
        let cutting: Promise<Cut | undefined> | undefined;
        const batch = await executor.run(Array(40).fill(30), (done) => {
          if (done >= 6) cutting ??= run.cutBusyHost();
        });
        const results = [...batch.tasks];
        const cut = await cutting!;
        expect(cut).toBeDefined();
        const index = HOSTS.indexOf(cut!.host.hostname);
        const rec = recovery(executor, batch, {
          pid: workers[index]!.pid,
          host: cut!.host.hostname,
          jobId: cut!.jobId,
          index: cut!.index,
          at: cut!.at,
        });
        expect(rec.completed).toBe(40);
        expect(rec.countedOnce).toBe(true);
        expect(results.map((r) => r.index)).toEqual([...Array(40).keys()]);
        // The job the cut host held was handed on by the stalled check and finished elsewhere.
        expect(rec.ranTwice).toContain(cut!.index);
        const again = results[cut!.index]!;
        expect(again.ok).toBe(true);
        expect((batch.detail!.jobs as { attempts: number[] }).attempts[cut!.index]).toBe(2);
        expect(HOSTS.filter((h) => h !== cut!.host.hostname)).toContain(again.host);
        expect(rec.delayMs!).toBeGreaterThan(0);
        // Every record names the host it ran on: a timeline lane per host.
        expect(new Set(results.map((r) => r.host)).size).toBeGreaterThanOrEqual(2);
        expect(timelineChart(rec.run).table).toMatch(/clab-h\d · pid \d+ · thread \d+/);

        // The cut worker noticed, and says when; once the link is back it rejoins.
        const cutOff = workers[index]!;
        expect(await until(() => cutOff.output().some((l) => l.startsWith('lost the broker at ')), 10_000)).toBe(true);
        await hosts.restore(cut!.host);
        expect(await until(() => cutOff.output().some((l) => l.startsWith('rejoined at ')), 15_000)).toBe(true);
        // Proof that it works again: with the other two workers gone, it runs the next tasks.
        await Promise.all(workers.filter((w) => w !== cutOff).map((w) => w.stop()));
        const after = await executor.run([12, 12, 12]);
        expect([...after.tasks].map((r) => r.host)).toEqual(Array(3).fill(cut!.host.hostname));
      } finally {
        await executor.close();
      }
    } finally {
      await run.close();
    }
    expect(madeBy(process.pid)).toEqual([]);
    expect(openResources()).toBe(0);
    expect(await childPids(process.pid, 4000)).toEqual([]);
    expect(fs.existsSync(run.broker.dir!)).toBe(false); // our redis-server's temporary folder
  }, 60_000);
});

describeHosts('where namespaces cannot be made', () => {
  test('startHosts refuses in one line that says why, and leaves nothing behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-hosts-test-'));
    try {
      // An `ip` that answers as iproute2 does when the kernel says no.
      const ip = path.join(dir, 'ip');
      fs.writeFileSync(ip, '#!/bin/sh\necho "RTNETLINK answers: Operation not permitted" >&2\nexit 2\n', {
        mode: 0o755,
      });
      const refused = startHosts({ count: 2, ip });
      await expect(refused).rejects.toBeInstanceOf(HostsUnavailableError);
      await expect(refused).rejects.toThrow(
        /^hosts \(network namespaces\) are unavailable here: cannot list network namespaces: RTNETLINK answers: Operation not permitted \(ip netns list: exit code 2\)$/,
      );
      expect(hostsUnavailable({ ip: '/nonexistent/ip' })).toBe('ip /nonexistent/ip is not an executable file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(madeBy(process.pid)).toEqual([]);
    expect(openResources()).toBe(0);
    expect(await childPids(process.pid, 2000)).toEqual([]);
  });
});

describeHosts('what a dead process made', () => {
  const script = `
    const { startHosts } = require('../lib/dist/concepts/queue/hosts');
    startHosts({ count: 2 }).then((h) => {
      h.hosts[0].spawn('sleep', ['600']);
      console.log(JSON.stringify({ pid: process.pid, guard: h.guardPid }));
    });`;
  const start = async (tag: ReturnType<typeof newTag>) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...tag }, cwd: __dirname });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    await until(() => out.includes('}') || child.exitCode !== null, 15_000);
    if (!out.includes('}')) throw new Error(`the script said nothing: ${err}`);
    return JSON.parse(out) as { pid: number; guard: number };
  };

  test('is removed by its guard when it is killed, and by the next startHosts when the guard was killed too', async () => {
    const tag = newTag();
    const first = await start(tag);
    expect(madeBy(first.pid)).toHaveLength(5);
    process.kill(first.pid, 'SIGKILL'); // a kernel restart
    expect(await until(() => madeBy(first.pid).length === 0, 5000)).toBe(true);
    expect(await tagged(tag, 5000)).toEqual([]); // the guard and the process in the host are gone too

    const second = await start(tag);
    process.kill(second.guard, 'SIGKILL');
    process.kill(second.pid, 'SIGKILL');
    await until(() => !isLive(second.pid) && !isLive(second.guard), 2000);
    expect(madeBy(second.pid)).toHaveLength(5); // nobody left to clean up...
    const hosts = await startHosts({ count: 1 }); // ...until the next run starts
    expect(madeBy(second.pid)).toEqual([]);
    await hosts.close();
    expect(await tagged(tag, 3000)).toEqual([]);
    expect(madeBy(process.pid)).toEqual([]);
  }, 45_000);
});

/** The host of each task by row, from a tasks CSV (comparison,row,mode,workers,run,index,host,...). */
function tasksHosts(file: string): Map<string, string[]> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const byRow = new Map<string, string[]>();
  for (const cells of lines.map((l) => l.split(','))) {
    const row = cells[columns.indexOf('row')]!;
    byRow.set(row, [...(byRow.get(row) ?? []), cells[columns.indexOf('host')]!]);
  }
  return byRow;
}

describeHosts('concurrency-lab queue --hosts', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-hosts-cli-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("runs the queue's workers on hosts: every record names one, and nothing is left", async () => {
    const tag = newTag();
    const args = ['queue', '--hosts', '2', '--count', '8', '--num', '20', '--repeats', '1', '--modes', 'queue'];
    const result = runCli([...args, '--out', path.join(dir, 'on-hosts')], dir, tag);
    expect(result.stderr).toMatch(
      /the queue's 2 workers run on 2 hosts on [\d.]+\/24 .*: clab-h1 [\d.]+, clab-h2 [\d.]+/,
    );
    expect(result.status).toBe(0);
    const hostsOf = tasksHosts(path.join(dir, 'on-hosts', 'queue-tasks.csv'));
    expect(hostsOf.get('queue (2)')).toHaveLength(8);
    for (const host of hostsOf.get('queue (2)')!) expect(host).toMatch(/^clab-h[12]$/);
    expect(await tagged(tag)).toEqual([]);
    expect(madeBy(result.pid)).toEqual([]);
  }, 60_000);

  test('falls back to local workers in one printed line where hosts cannot be made', async () => {
    const tag = newTag();
    const args = ['queue', '--hosts', '2', '--count', '4', '--num', '12', '--repeats', '1', '--modes', 'queue'];
    const result = runCli([...args, '--out', path.join(dir, 'local')], dir, { ...tag, CLAB_IP: '/nonexistent/ip' });
    const said = result.stderr.split('\n').filter((l) => l.includes('--hosts'));
    expect(said).toEqual([
      "concurrency-lab: --hosts 2: hosts (network namespaces) are unavailable here: ip /nonexistent/ip (from CLAB_IP) is not an executable file; the queue's 2 workers run as local processes instead",
    ]);
    expect(result.status).toBe(0);
    const hostsOf = tasksHosts(path.join(dir, 'local', 'queue-tasks.csv'));
    expect(hostsOf.get('queue (2)')).toEqual(Array(4).fill(os.hostname()));
    expect(await tagged(tag)).toEqual([]);
  }, 60_000);
});
