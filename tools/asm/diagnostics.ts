// Diagnostics in NASM's shape: `file:line: error: message`.

export type Severity = 'error' | 'warning' | 'fatal';

export interface Diagnostic {
  file: string;
  line: number;
  severity: Severity;
  message: string;
}

/** Where a line came from, for messages and the listing. */
export interface SourceRef {
  file: string;
  line: number;
}

/** Formats a diagnostic as NASM prints it on stderr. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? (d.line > 0 ? `${d.file}:${d.line}: ` : `${d.file}: `) : 'nasm: ';
  return `${where}${d.severity}: ${d.message}`;
}

/** Collects diagnostics in order; `errors` counts the ones that make the assembly fail. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  errors = 0;

  error(at: SourceRef | null, message: string): void {
    this.add(at, 'error', message);
  }

  warning(at: SourceRef | null, message: string): void {
    this.add(at, 'warning', message);
  }

  add(at: SourceRef | null, severity: Severity, message: string): void {
    if (severity !== 'warning') this.errors++;
    this.list.push({ file: at?.file ?? '', line: at?.line ?? 0, severity, message });
  }
}
