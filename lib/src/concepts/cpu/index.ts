/** Notebook 05: the course's CPU-bound function in every mode. */
export { cpuFindings as findings, cpuHeadline as headline, COURSE_CPU_SECONDS } from './findings';
export { bitLength, cpu as cpuBound, cpuWorkload as workload } from './workload';
export { cpuPeers as pythonPeers, type PythonCpuOptions as PythonOptions } from '../../python/peers';
