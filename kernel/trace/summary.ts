// The `strace -c` summary: per call its share of the time, seconds, microseconds per call,
// calls and errors, sorted by time then calls, with a total row, in strace's column layout.

/** What was counted for one call name. */
export interface CallStats {
  readonly name: string;
  calls: number;
  errors: number;
  /** Virtual nanoseconds from entry to completion, summed. */
  ns: number;
}

const RULE = '------ ----------- ----------- --------- --------- ----------------';

/** The table as strace -c prints it. */
export function summaryTable(stats: readonly CallStats[]): string {
  const rows = [...stats].sort((a, b) => b.ns - a.ns || b.calls - a.calls || (a.name < b.name ? -1 : 1));
  const totalNs = rows.reduce((n, s) => n + s.ns, 0);
  const totalCalls = rows.reduce((n, s) => n + s.calls, 0);
  const totalErrors = rows.reduce((n, s) => n + s.errors, 0);
  const lines = ['% time     seconds  usecs/call     calls    errors syscall', RULE];
  for (const s of rows) {
    const percent = totalNs === 0 ? 0 : (100 * s.ns) / totalNs;
    lines.push([
      percent.toFixed(2).padStart(6),
      (s.ns / 1e9).toFixed(6).padStart(11),
      String(Math.round(s.ns / 1e3 / s.calls)).padStart(11),
      String(s.calls).padStart(9),
      (s.errors ? String(s.errors) : '').padStart(9),
      s.name,
    ].join(' '));
  }
  lines.push(RULE);
  lines.push([
    '100.00', (totalNs / 1e9).toFixed(6).padStart(11), ''.padStart(11), String(totalCalls).padStart(9),
    (totalErrors ? String(totalErrors) : '').padStart(9), 'total',
  ].join(' '));
  return `${lines.join('\n')}\n`;
}
