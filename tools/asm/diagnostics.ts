// Diagnostics in NASM's shape: `file:line: error: message`.

/** `note` is the `... from macro `m' defined here` line NASM adds under a message from inside a macro. */
export type Severity = 'error' | 'warning' | 'fatal' | 'note';

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

/** The messages of several sinks in the order of the lines they are about (stable: a stage's order is kept). */
export function inLineOrder(...sinks: DiagnosticSink[]): Diagnostic[] {
  const all = sinks.flatMap((s) => s.list.map((d, i) => ({ d, p: s.positions[i] ?? Number.MAX_SAFE_INTEGER })));
  return all.sort((a, b) => a.p - b.p).map((x) => x.d);
}

/** Formats a diagnostic as NASM prints it on stderr. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? (d.line > 0 ? `${d.file}:${d.line}: ` : `${d.file}: `) : 'nasm: ';
  if (d.severity === 'note') return `${where}${d.message}`;
  return `${where}${d.severity}: ${d.message}`;
}

/** A macro a line was expanded from, and the line of its body being expanded. */
export interface MacroContext {
  name: string;
  file: string;
  line: number;
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

  /** The macros the current line comes from, outermost first: each message about it is followed by one note per macro. */
  macros: readonly MacroContext[] = [];
  /** The index of the source line being processed, so messages of several stages can be put in line order. */
  position = Number.MAX_SAFE_INTEGER;
  /** The position of each entry of `list`. */
  readonly positions: number[] = [];

  add(at: SourceRef | null, severity: Severity, message: string): void {
    if (severity === 'error' || severity === 'fatal') this.errors++;
    this.list.push({ file: at?.file ?? '', line: at?.line ?? 0, severity, message });
    this.positions.push(this.position);
    if (severity === 'note') return;
    for (const m of this.macros) {
      this.list.push({ file: m.file, line: m.line, severity: 'note', message: `... from macro \`${m.name}' defined here` });
      this.positions.push(this.position);
    }
  }
}
