import type { CheckResult } from './chaos-checks';
import type { FaultRecord } from './chaos-faults';

export interface ChaosReport {
  /** Where the worker and API logs are. */
  logDir: string;
  events: { sent: number; retries: number; aggregated: number; aggregates: number; perDataset: Record<string, number> };
  producerSeconds: number;
  achievedRate: number;
  quiesceSeconds: number | null;
  totalSeconds: number;
  maxLiveLagMs: number;
  maxPersistLagMs: number;
  faults: FaultRecord[];
  checks: CheckResult[];
}

export function reportPassed(report: ChaosReport): boolean {
  return (
    report.checks.every((check) => check.passed) &&
    report.faults.every((fault) => fault.failures.length === 0 && fault.recoveryMs !== null)
  );
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => pad(cell, widths[column])).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)];
}

/** The report as Markdown-style tables: faults with their recovery times, then the end checks. */
export function formatReport(report: ChaosReport): string {
  const lines: string[] = [];
  const datasets = Object.entries(report.events.perDataset)
    .map(([name, count]) => `${name} ${count.toLocaleString('en')}`)
    .join(', ');
  lines.push(
    '',
    '## Chaos run',
    '',
    `events: ${report.events.sent.toLocaleString('en')} sent (${datasets}); ` +
      `${report.events.retries.toLocaleString('en')} producer retries; ` +
      `${report.events.aggregated.toLocaleString('en')} inside ${report.events.aggregates} KPL aggregates`,
    `producer: ${report.producerSeconds.toFixed(1)} s at ${report.achievedRate.toFixed(0)} events/s; ` +
      `caught up ${report.quiesceSeconds === null ? 'never (timed out)' : `${report.quiesceSeconds.toFixed(1)} s after the last event`}; ` +
      `whole run ${report.totalSeconds.toFixed(0)} s`,
    `worker and API logs: ${report.logDir}`,
    `largest lag seen: live ${(report.maxLiveLagMs / 1000).toFixed(1)} s, persist ${(report.maxPersistLagMs / 1000).toFixed(1)} s`,
    '',
    '### Faults',
    '',
  );
  lines.push(
    ...table(
      ['at (s)', 'fault', 'what happened', 'recovered after', 'counted from', 'recovered when'],
      report.faults.map((fault) => [
        fault.startedAtS.toFixed(1),
        fault.name,
        fault.detail + (fault.failures.length > 0 ? ` — FAILED: ${fault.failures.join('; ')}` : ''),
        fault.recoveryMs === null ? 'NOT RECOVERED' : `${(fault.recoveryMs / 1000).toFixed(1)} s`,
        fault.recoveryFrom,
        fault.criterion,
      ]),
    ),
  );
  lines.push('', '### End checks', '');
  lines.push(
    ...table(
      ['check', 'result', 'summary'],
      report.checks.map((check) => [check.name, check.passed ? 'pass' : 'FAIL', check.summary]),
    ),
  );
  for (const check of report.checks.filter((candidate) => !candidate.passed)) {
    lines.push('', `${check.name}:`, ...check.details.map((detail) => `  - ${detail}`));
  }
  lines.push('', reportPassed(report) ? 'chaos: PASSED' : 'chaos: FAILED', '');
  return lines.join('\n');
}
