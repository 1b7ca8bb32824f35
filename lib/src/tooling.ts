/**
 * `concurrency-lab/tooling`: what the repository's own tools (executing the notebooks, the
 * index page, the bench) need beyond the public API. Not a stable interface.
 */
export { CATALOG, notebookEntry, type NotebookEntry } from './catalog';
export { coerceParam, readParamsFile, specOf, type ParamSpec } from './core/params';
export { messageOf, oneLine, ParameterError } from './core/errors';
export { checkFolder, makeFolder } from './output/folders';
export { cores, environment } from './core/environment';
export { escapeHtml } from './output/html';
export { resetPlotly } from './output/display';
export { median } from './core/stats';
export { DEFAULT_SWITCH_INTERVAL_MS } from './concepts/gil/gil-lock';
export type { IoVariant } from './concepts/io/run';
export { choosePython, PYTHON_DIR, runPython } from './python/run';
export { createExecutor } from './core/modes';
export { PROCESS_FLAGS } from './core/pool';
export type { ExecutorOptions } from './core/executor';
export { resolveWorkload } from './core/workload';
export { findRedisServer, REDIS_INSTALL_HINT, REDIS_URL_ENV } from './concepts/queue/broker';
export { Tasks } from './core/records';
