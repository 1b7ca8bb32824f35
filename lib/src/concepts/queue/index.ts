/** Notebook 07: the same work on a real distributed queue, BullMQ on Redis. */
export {
  connectBroker,
  findRedisServer,
  MIN_REDIS_VERSION,
  openBroker,
  REDIS_INSTALL_HINT,
  startBroker,
  type Broker,
} from './broker';
export {
  jobTimesTable,
  paperChart,
  recoveryChart,
  roundTripChart,
  throughputChart,
  throughputPoints,
  PAPER_WORKERS,
} from './charts';
export { brokerOffset, type ClockOffset } from './clock';
export {
  checkQueueName,
  MAX_QUEUE_WORKERS,
  QUEUE_DEFAULTS,
  QueueExecutor,
  type QueueModeOptions,
  type QueueWorkerProcess,
} from './executor';
export { queueFindings as findings, queueHeadline as headline, type QueueMeasurements } from './findings';
export { QUEUE_PARAMS as PARAMS } from './params';
export { startQueueWorker, type RunningQueueWorker, type WorkerEvent } from './queue-worker';
export {
  killBusyWorker,
  onPaper,
  open,
  recovery,
  roundTrip,
  scaling,
  spawnWorker,
  type SpawnedWorker,
  type Killed,
  type QueueScaling,
  type Recovery,
  type RoundTrip,
} from './run';
export {
  distributedModel,
  fitUsl,
  uslPeak,
  uslStopsPaying,
  uslThroughput,
  type DistributedModel,
  type Usl,
} from './usl';
