/** The named workloads, registered by loading their modules: `'cpu'`, `'sleep'`, `'spin'`, `'io'`, `'ioBlocking'`. */
import './concepts/cpu/workload';
import './core/workloads';
import './concepts/io/workload';
