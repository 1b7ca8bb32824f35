/** Notebook 04 as one report: every way of waiting, the connection knob and the faults, with their findings. */
import type { Report } from '../../core/report';
import { boundChart, concurrencyChart, inflightChart, ioTimelineChart } from './charts';
import { ioFindings, type IoReportInput } from './findings';
import { failureTable } from './summary';

/** Everything a reader sees of an I/O measurement (`show(io.report({ main, connections, faults }))`). */
export function report(m: IoReportInput): Report {
  const { findings, headline } = ioFindings(m);
  const figures = [
    boundChart(m.main),
    failureTable(m.main),
    ioTimelineChart(m.main),
    inflightChart(m.main),
    ...(m.connections ? [concurrencyChart(m.connections)] : []),
    ...(m.faults
      ? [
          failureTable(m.faults),
          boundChart(m.faults, { title: `${m.faults.requests} requests with faults: wall time` }),
        ]
      : []),
  ];
  return {
    name: 'io',
    title: `I/O-bound work: ${m.main.requests} requests, every way of waiting`,
    headline,
    findings,
    figures,
    results: {
      main: m.main.comparison,
      ...(m.connections ? { connections: m.connections.comparison } : {}),
      ...(m.faults ? { faults: m.faults.comparison } : {}),
    },
    env: m.main.comparison.env,
    params: m.main.comparison.params,
  };
}
