/** The named workloads and the gil mode, registered by loading their modules (the queue's mode comes with its namespace). */
import './concepts/cpu/workload';
import './core/workloads';
import './concepts/io/workload';
import './concepts/kitchen/cook';
import './concepts/gil/work';
import './concepts/gil/mode';
