/** `concurrency-lab/tooling`: what the repository's own tools and tests need beyond the public API. Not stable. */
export { CATALOG, notebookEntry } from './catalog';
export { coerceParam, readParamsFile, specOf, type ParamSpec } from './core/params';
export { messageOf, oneLine, ParameterError } from './core/errors';
export { checkFolder, makeFolder } from './output/folders';
export { cores, environment } from './core/environment';
export { escapeHtml } from './output/html';
export { resetPlotly } from './output/display';
export { median } from './core/stats';
export { DEFAULT_SWITCH_INTERVAL_MS } from './concepts/gil/gil-lock';
export { choosePython, runPython } from './python/run';
export { ioPeers } from './python/peers';
export { createExecutor } from './core/modes';
export { resolveWorkload } from './core/workload';
export { findRedisServer, REDIS_INSTALL_HINT, REDIS_URL_ENV } from './concepts/queue/broker';
export { Tasks } from './core/records';
export { idealOf } from './concepts/kitchen/run';
// Each concept's findings and headline without its charts (what its `report` shows as prose), for the prose's property test.
export { cpuFindings } from './concepts/cpu/findings';
export { cpuSummary } from './concepts/cpu/summary';
export { gilFindings } from './concepts/gil/findings';
export { ioFindings } from './concepts/io/findings';
export { kitchenFindings } from './concepts/kitchen/findings';
export { processFindings } from './concepts/processes/findings';
export { queueFindings } from './concepts/queue/findings';
export { queueSummary } from './concepts/queue/summary';
export { threadFindings } from './concepts/threads/findings';
