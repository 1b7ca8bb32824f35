/** The CPU experiment as one report: its charts, its findings and its headline, from one summary. */
import type { Report } from '../../core/report';
import { cpuFigures } from './charts';
import { cpuFindings } from './findings';
import { cpuSummary, type CpuMeasured } from './summary';

/** Everything a reader sees of a CPU measurement (`show(cpu.report({ result, scaling }))`). */
export function report(m: CpuMeasured): Report {
  const { findings, headline } = cpuFindings(cpuSummary(m), m.result.env);
  return {
    name: 'cpu',
    title: `CPU-bound work in every mode: ${m.result.tasks} tasks`,
    headline,
    findings,
    figures: cpuFigures(m),
    results: { compare: m.result, ...(m.scaling ? { scaling: m.scaling } : {}) },
    env: m.result.env,
    params: m.result.params,
  };
}
