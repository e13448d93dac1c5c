// The `strace -c` summary: per call its share of the time, seconds, microseconds per call,
// calls and errors, in strace's column layout and order (time descending; equal times in
// system-call number order, as strace's stable sort of its per-number counters leaves them),
// with a total row.

/** What was counted for one call name. */
export interface CallStats {
  readonly name: string;
  /** The call's number in the traced ABI: the order of rows with equal times. */
  readonly nr: number;
  calls: number;
  errors: number;
  /** Virtual nanoseconds from entry to completion, summed. */
  ns: number;
}

const RULE = '------ ----------- ----------- --------- --------- ----------------';

/** The table as strace -c prints it. */
export function summaryTable(stats: readonly CallStats[]): string {
  const rows = [...stats].sort((a, b) => b.ns - a.ns || a.nr - b.nr);
  const totalNs = rows.reduce((n, s) => n + s.ns, 0);
  const totalCalls = rows.reduce((n, s) => n + s.calls, 0);
  const totalErrors = rows.reduce((n, s) => n + s.errors, 0);
  const lines = ['% time     seconds  usecs/call     calls    errors syscall', RULE];
  for (const s of rows) {
    const percent = totalNs === 0 ? 0 : (100 * s.ns) / totalNs;
    lines.push([
      percent.toFixed(2).padStart(6),
      (s.ns / 1e9).toFixed(6).padStart(11),
      // strace divides the time by the calls and drops the sub-microsecond rest
      String(Math.floor(s.ns / s.calls / 1e3)).padStart(11),
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
