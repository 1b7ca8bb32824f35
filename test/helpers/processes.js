"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.tagged = exports.newTag = exports.threadCount = exports.childPids = exports.isLive = void 0;
/** What this process has left running: child processes and threads, read from /proc. */
const node_fs_1 = __importDefault(require("node:fs"));
/** The state letter and parent pid of a process from /proc, or undefined once it is gone. */
function stat(pid) {
    try {
        const text = node_fs_1.default.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        return { state: fields[0], ppid: Number(fields[1]) };
    }
    catch {
        return undefined;
    }
}
/** Whether a process is still running (a zombie, or a pid that is gone, is not). */
function isLive(pid) {
    const s = stat(pid);
    return s !== undefined && s.state !== 'Z';
}
exports.isLive = isLive;
/** Live processes other than this one for which `keep` holds. */
function scan(keep) {
    const out = [];
    for (const entry of node_fs_1.default.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid)
            continue;
        const s = stat(entry);
        if (s && s.state !== 'Z' && keep(Number(entry), s.ppid))
            out.push(Number(entry));
    }
    return out;
}
/** Asks `find` again until it finds nothing or `graceMs` has passed (exits may be in flight); returns its last answer. */
async function settle(find, graceMs, stepMs) {
    const deadline = Date.now() + graceMs;
    for (;;) {
        const found = find();
        if (found.length === 0 || Date.now() > deadline)
            return found;
        await new Promise((r) => setTimeout(r, stepMs));
    }
}
/** Pids of this process's live children (zombies excluded), after a short grace for exits in flight. */
function childPids(pid = process.pid, graceMs = 1500) {
    return settle(() => scan((_child, ppid) => ppid === pid), graceMs, 50);
}
exports.childPids = childPids;
/** How many OS threads this process has now. */
function threadCount(pid = process.pid) {
    return node_fs_1.default.readdirSync(`/proc/${pid}/task`).length;
}
exports.threadCount = threadCount;
/** A fresh marker for the environment of what a test starts; every descendant inherits it. */
function newTag() {
    return { CLAB_TEST_TAG: `t${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` };
}
exports.newTag = newTag;
/** Live processes (zombies excluded) whose environment carries `tag`, after a grace period for exits in flight. */
function tagged(tag, graceMs = 3000) {
    const needle = `CLAB_TEST_TAG=${tag.CLAB_TEST_TAG}\0`;
    const carries = (pid) => {
        try {
            return node_fs_1.default.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(needle);
        }
        catch {
            return false; // gone while we looked
        }
    };
    return settle(() => scan(carries), graceMs, 100);
}
exports.tagged = tagged;
