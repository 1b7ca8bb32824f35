/** Every experiment of the command line, by name: the same list on the main thread and in the engine. */
import { cpuExperiment } from './cpu';
import type { Experiment } from './experiment';
import { gilExperiment } from './gil';
import { ioExperiment } from './io';
import { kitchenExperiment } from './kitchen';
import { moduleExperiment } from './module';
import { queueExperiment } from './queue';

/** Every named experiment, in the order --help lists them. */
export const EXPERIMENTS: readonly Experiment[] = [
  cpuExperiment,
  ioExperiment,
  kitchenExperiment,
  gilExperiment,
  queueExperiment,
];

export { moduleExperiment };

/** The experiment called `name` (`<module>` for a workload module). */
export function experimentNamed(name: string): Experiment | undefined {
  return name === moduleExperiment.name ? moduleExperiment : EXPERIMENTS.find((e) => e.name === name);
}
