"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Interrupt and restart, as Jupyter does them: a real tslab kernel driven through
 * jupyter_client (test/helpers/kernel_lifecycle.py), with the process tree read from /proc.
 */
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const jupyter_1 = require("../build/tools/jupyter");
let report;
beforeAll(() => {
    const python = (0, jupyter_1.ensureJupyter)();
    (0, jupyter_1.installKernel)(python);
    const r = (0, node_child_process_1.spawnSync)(python, [node_path_1.default.join(__dirname, 'helpers', 'kernel_lifecycle.py'), node_path_1.default.join(__dirname, '..', 'notebooks')], {
        env: (0, jupyter_1.jupyterEnv)(),
        encoding: 'utf8',
        timeout: 300000,
    });
    if (r.status !== 0)
        throw new Error(`kernel_lifecycle.py failed: ${r.stderr}`);
    report = JSON.parse(r.stdout.trim().split('\n').pop());
}, 320000);
test('interrupting a cell stops its worker processes within a second, and the cell reports an error', () => {
    expect(report.processes_started).toBe(true);
    expect(report.processes_gone_after_interrupt_s).not.toBeNull();
    expect(report.processes_gone_after_interrupt_s).toBeLessThan(1);
    expect(report.interrupted_reply_status).toBe('error');
});
test('interrupting a cell stops its worker threads within a second', () => {
    expect(report.threads_started).toBe(true);
    expect(report.threads_gone_after_interrupt_s).not.toBeNull();
    expect(report.threads_gone_after_interrupt_s).toBeLessThan(1);
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
