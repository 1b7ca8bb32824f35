/** concurrency-lab: run a workload in every execution mode, measure it, and chart it. */
export { amdahl, fitSerialFraction } from './amdahl';
export { scalingChart, scalingPoints, type ScalingPoint } from './charts/scaling';
export { timelineChart, laneOf, type TimelineOptions } from './charts/timeline';
export { wallTimeChart, type WallTimeOptions } from './charts/wall';
export { COLORS, type Figure, type Trace } from './charts/figure';
export { here, now } from './clock';
export {
  headline,
  page,
  plotlyScript,
  render,
  resetPlotly,
  show,
  type NotebookDisplay,
  type RenderOptions,
} from './display';
export { CATALOG, NOTEBOOK_PARAMS, notebookEntry, type NotebookEntry, type NotebookName } from './catalog';
export { cores, environment } from './environment';
export { InterruptedError, ParameterError, type TaskFailure } from './errors';
export { runsOf, save, toCSV, toJSON } from './export';
export { escapeHtml } from './html';
export {
  compare,
  sweep,
  DEFAULTS,
  type CompareOptions,
  type Comparison,
  type MeasureOptions,
  type Progress,
  type Sweep,
  type SweepOptions,
  type SweepPoint,
} from './measure';
export { MODES, POOL_MODES, createExecutor, type Executor, type Mode } from './modes';
export { describeParams, parameters, coerceParam, type ParamSpec, type ParamValues } from './params';
export type { Environment, Run, TaskRecord } from './records';
export { median, summarize, NOISY_CV, type Summary } from './stats';
export {
  failuresOf,
  formatMs,
  idealSpeedup,
  summarizeModes,
  summaryTable,
  textTable,
  warnings,
  type ModeSummary,
} from './summary';
export { cpuFindings, COURSE_CPU_SECONDS } from './reports/cpu';
export { closeAll, openResources } from './teardown';
export { resolveWorkload } from './workload';
export { cpu, sleep, spin, workloads, type WorkloadFn } from './workloads';
// io (issue 3)
export {
  startServer,
  withServer,
  inflightSeries,
  meanInflight,
  peakInflight,
  LOOPBACK,
  SERVER_DEFAULTS,
  type IoServer,
  type InflightPoint,
  type ServerOptions,
  type ServerOutcome,
  type ServerRecord,
  type StartServerOptions,
} from './server';
export {
  measureIo,
  courseVariants,
  connectionVariants,
  concurrencyOf,
  boundMs,
  parseUrls,
  COURSE_IO,
  type IoExperiment,
  type IoOptions,
  type IoVariant,
  type IoVariantResult,
} from './io';
export { ioSummaries, ioSummary, failureTable, failureKind, type IoVariantSummary } from './io-summary';
export { ioFindings } from './io-findings';
export { IO_PARAMS } from './io-params';
export {
  io,
  ioBlocking,
  closeIoClients,
  HttpStatusError,
  IO_TIMEOUT_MS,
  type IoInput,
  type IoResult,
} from './workloads/io';
export { blockingGet, closeBlockingClient } from './io-blocking';
export { boundChart, concurrencyChart } from './charts/bound';
export { inflightChart, type InflightOptions } from './charts/inflight';
export { ioTimelineChart, type IoTimelineOptions } from './charts/iotimeline';
// concepts (issue 4)
export {
  childReports,
  coreInfo,
  isolatedMemory,
  processFindings,
  startupCosts,
  whoAmI,
  START_KINDS,
  type ChildReport,
  type IsolatedMemory,
  type StartKind,
  type StartMethod,
  type StartupCosts,
  type StartupOptions,
  type StartupSample,
} from './probe';
export { threadReports, type ThreadReport } from './threads/identity';
export {
  formatBytes,
  messageCosts,
  whoSeesTheChange,
  DEFAULT_SIZES,
  SEND_METHODS,
  type MessageCostOptions,
  type MessageCosts,
  type MessageSample,
  type SeenChange,
  type SendMethod,
} from './threads/messages';
export {
  counterRace,
  COUNT_MODES,
  type CounterRace,
  type CounterRaceOptions,
  type CountMode,
  type CountRun,
} from './threads/race';
export { lock, unlock } from './threads/lock';
export { raceHeadline, threadFindings } from './threads/findings';
export {
  checkRecipe,
  describeRecipe,
  minutesOf,
  pickDishes,
  recipe,
  RECIPES,
  STEP_KINDS,
  type Recipe,
  type Step,
  type StepKind,
  type StepSpec,
} from './kitchen/recipes';
export { calibrate, cook, work, type CookStyle, type Order, type StepRecord } from './kitchen/cook';
export {
  idealOf,
  kitchen,
  kitchenPlans,
  kitchenTable,
  ordersOf,
  splitOrders,
  typicalPass,
  KITCHEN_DEFAULTS,
  KITCHEN_RUNS,
  type Ideal,
  type KitchenOptions,
  type KitchenPass,
  type KitchenPlan,
  type KitchenResult,
  type KitchenRun,
  type KitchenRunId,
} from './kitchen/run';
export { kitchenFindings, kitchenHeadline } from './kitchen/findings';
export { kitchenChart, kitchenTimeline, kitchenTimelines, KITCHEN_COLORS } from './charts/kitchen';
export { startupChart } from './charts/startup';
export { messageCostChart, SEND_COLORS } from './charts/messages';
export { counterRaceChart, COUNT_COLORS } from './charts/race';
// gil-like limits (issue 5)
export {
  checkSwitchInterval,
  checkTask,
  checkThreads,
  compareGil,
  cpuTasks,
  DEFAULT_SWITCH_INTERVAL_MS,
  GIL_PARAMS,
  GIL_VARIANTS,
  GilTeam,
  ioTasks,
  MAX_GIL_THREADS,
  measureAmdahl,
  readLock,
  summarizeGil,
  sweepSwitchInterval,
  VARIANT_LABELS,
  type AmdahlOptions,
  type AmdahlSweep,
  type CompareGilOptions,
  type GilComparison,
  type GilRun,
  type GilRunOptions,
  type GilStep,
  type GilTask,
  type GilVariant,
  type GilVariantRun,
  type GilVariantSummary,
  type Hold,
  type LockState,
  type SwitchPoint,
  type SwitchSweep,
  type SwitchSweepOptions,
} from './gil';
export { checkSerialFraction, serialFractionTasks } from './workloads/serial';
export {
  loopStats,
  monitorLoop,
  LOOP_MONITOR_DEFAULTS,
  type Beat,
  type LoopMonitor,
  type LoopMonitorOptions,
  type LoopSample,
  type LoopTrace,
} from './loop';
export {
  blockTheLoop,
  LOOP_PLACES,
  PLACE_LABELS,
  type LoopComparison,
  type LoopExperimentOptions,
  type LoopPlace,
  type LoopRun,
  type RequestRecord,
} from './loop-experiment';
export { loopChart, loopCharts, loopRunSummary, loopSummaryChart, loopTable, type LoopRunSummary } from './charts/loop';
export {
  amdahlChart,
  gilChart,
  gilIdeal,
  gilTable,
  GIL_COLORS,
  lockTimelineChart,
  switchSweepChart,
  type GilChartOptions,
} from './charts/gil';
export { gilFindings, PEP_703, type GilFindingsInput } from './reports/gil';
