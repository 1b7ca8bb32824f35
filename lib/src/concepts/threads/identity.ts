/** Worker threads made visible: each reports its pid and thread id, the course's get_ident() lines. */
import * as check from '../../core/validate';
import { withTeam } from './team';

/** What one worker thread said about itself. */
export interface ThreadReport {
  index: number;
  pid: number;
  /** Node's thread id: 0 is the main thread, workers count up from 1. */
  threadId: number;
  /** The course's line: "<pid> process | <thread id> thread". */
  line: string;
}

/** Starts `count` worker threads, asks each where it runs, and ends them. */
export async function threadReports(count: number): Promise<ThreadReport[]> {
  check.integer('threads', count, 1, 256);
  return withTeam(count, async (team) => {
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => team.ask(i, { cmd: 'who' })));
    return answers.map((a, index) => ({ index, pid: a.pid, threadId: a.threadId, line: a.line }));
  });
}
