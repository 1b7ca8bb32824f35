/** The named workloads and the concepts' modes, registered by loading their modules. */
import './concepts/cpu/workload';
import './core/workloads';
import './concepts/io/workload';
import './concepts/kitchen/cook';
import './concepts/gil/work';
import './concepts/gil/mode';
import './concepts/queue/executor';
