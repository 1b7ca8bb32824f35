/** `concurrency-lab cpu`: the course's triple loop, `count` tasks of cpu(num), as in notebook 05. */
import { NOTEBOOK_PARAMS } from '../catalog';
import { cpuPeers } from '../python/peers';
import type { Experiment } from './experiment';
import { specOption } from './flags';

const SPEC = NOTEBOOK_PARAMS['05-cpu-bound'];

/** The CPU-bound experiment; defaults are the notebook's. */
export const cpuExperiment: Experiment = {
  name: 'cpu',
  summary: "the course's CPU-bound triple loop (BigInt), as in notebook 05-cpu-bound",
  workers: SPEC.workers.default,
  workersText: `${SPEC.workers.default}, as in the course`,
  addFlags(command) {
    command.addOption(specOption('--count <n>', SPEC.count)).addOption(specOption('--num <n>', SPEC.num));
    command.option(
      '--python',
      "also run the course's Python programs (sequential, ThreadPoolExecutor, ProcessPoolExecutor, pool size --workers) and time Node's pools end to end",
      false,
    );
  },
  async prepare(flags) {
    const count = flags.count as number;
    const num = flags.num as number;
    return {
      name: 'cpu',
      title: `cpu: ${count} tasks of the triple loop over range(1, ${num})`,
      workload: 'cpu',
      inputs: Array.from({ length: count }, () => num),
      params: { count, num, ...(flags.python ? { python: true } : {}) },
      ...(flags.python ? { peers: cpuPeers({ count, num, workers: flags.workers }), endToEnd: true } : {}),
    };
  },
};
