// Where the preprocessor's lines come from: the stack of open files, running macro calls and
// %rep repetitions, with the position messages name and the line numbers the listing shows.
import type { DiagnosticSink, MacroContext, SourceRef } from '../diagnostics.ts';
import { LexError, tokenize, untokenize, type Token } from '../lexer.ts';
import { substituteLine, type MacroCall } from './multi.ts';

/** Lines that macros and %rep may produce in one assembly by default: beyond this the expansion is runaway, not a program. */
export const DEFAULT_EXPANSION_LIMIT = 1_000_000;

type Frame =
  | { kind: 'file'; path: string; lines: string[]; index: number; line: number }
  | { kind: 'macro'; call: MacroCall; index: number; conditionDepth: number }
  | { kind: 'rep'; body: string[]; lines: number[]; index: number; left: number; conditionDepth: number; call: MacroCall | null };

/** What the line being collected into a definition needs: raw text, not substituted. */
export type Collecting = 'macro' | 'rep' | null;

export class FrameStack {
  private readonly frames: Frame[] = [];
  /** The file and line of the line being processed (inside macros: the line that called them). */
  at: SourceRef = { file: '', line: 0 };
  /** The line number the listing shows for it. */
  listLine = 0;
  private expandedLines = 0;

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly expansionLimit: number,
  ) {}

  /** Frames above the main file: the `<n>` depth of the listing. */
  get depth(): number {
    return this.frames.length - 1;
  }

  get macroDepth(): number {
    return this.frames.filter((f) => f.kind === 'macro').length;
  }

  get fileDepth(): number {
    return this.frames.filter((f) => f.kind === 'file').length;
  }

  /** The path of the file being read (the including file for %include). */
  get currentFile(): string {
    const f = this.frames.filter((x) => x.kind === 'file').pop();
    return f && f.kind === 'file' ? f.path : '';
  }

  pushFile(path: string, source: string): void {
    const lines = source.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.frames.push({ kind: 'file', path, lines, index: 0, line: 0 });
  }

  pushMacro(call: MacroCall, conditionDepth: number): void {
    this.frames.push({ kind: 'macro', call, index: 0, conditionDepth });
  }

  pushRep(body: string[], lines: number[], count: number, conditionDepth: number): void {
    if (body.length === 0 || count <= 0) return;
    this.frames.push({ kind: 'rep', body, lines, index: 0, left: count, conditionDepth, call: this.innermostCall() });
  }

  /** The macro calls the current line comes from, outermost first, each with the body line being expanded. */
  macroChain(): MacroContext[] {
    const chain: MacroContext[] = [];
    for (const f of this.frames) {
      if (f.kind === 'macro') chain.push({ name: f.call.macro.name, file: f.call.macro.file, line: f.call.macro.line + f.index });
    }
    return chain;
  }

  /** The macro call whose parameters the current line sees (through any %rep inside it). */
  innermostCall(): MacroCall | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') return f.call;
      if (f.kind === 'rep' && f.call) return f.call;
      if (f.kind === 'file') return null;
    }
    return null;
  }

  /** Leaves the innermost %rep or macro (%exitrep, %exitmacro); returns the conditional depth to go back to, or null when there is none. */
  exit(kind: 'rep' | 'macro'): number | null {
    const idx = this.frames.map((f) => f.kind).lastIndexOf(kind);
    if (idx < 0) return null;
    const f = this.frames[idx] as { conditionDepth: number };
    this.frames.length = idx;
    return f.conditionDepth;
  }

  /** Abandons every running macro and %rep back to the file being read; returns the conditional depth to go back to. */
  unwind(): number | null {
    let i = this.frames.length;
    while (i > 0 && this.frames[i - 1]!.kind !== 'file') i--;
    const outermost = this.frames[i] as { conditionDepth?: number } | undefined;
    this.frames.length = i;
    return outermost?.conditionDepth ?? null;
  }

  /**
   * The next raw line and its tokens from the innermost frame; null at the end of the main file.
   * Lines collected into a definition stay raw: a nested macro keeps its own parameters, and a
   * %rep body is substituted as it runs, so %rotate between repetitions shows. `onRunaway` is
   * told when the expansion budget is spent (the frames are then unwound).
   */
  readLine(collecting: Collecting, reportLexErrors: boolean, onRunaway: (conditionDepth: number | null) => void): { tokens: Token[]; raw: string; text: string } | null {
    for (;;) {
      const f = this.frames[this.frames.length - 1];
      if (!f) return null;
      if (f.kind !== 'file' && ++this.expandedLines > this.expansionLimit) {
        this.sink.add(this.at, 'fatal', `macro and %rep expansion exceeds ${this.expansionLimit} lines`);
        onRunaway(this.unwind());
        continue;
      }
      let raw: string;
      let call: MacroCall | null = null;
      if (f.kind === 'file') {
        if (f.index >= f.lines.length) {
          this.frames.pop();
          continue;
        }
        raw = f.lines[f.index++]!;
        f.line = f.index;
        while (raw.endsWith('\\') && f.index < f.lines.length) raw = raw.slice(0, -1) + f.lines[f.index++]!;
        this.at = { file: f.path, line: f.line };
        this.listLine = f.line;
      } else if (f.kind === 'macro') {
        if (f.index >= f.call.macro.body.length) {
          this.frames.pop();
          continue;
        }
        raw = f.call.macro.body[f.index++]!;
        this.listLine = f.call.macro.line + f.index;
        call = f.call;
      } else {
        if (f.index >= f.body.length) {
          if (--f.left <= 0) {
            this.frames.pop();
            continue;
          }
          f.index = 0;
        }
        raw = f.body[f.index++]!;
        this.listLine = f.lines[f.index - 1] ?? 0;
        call = f.call;
      }
      try {
        const tokens = call && !collecting ? substituteLine(raw, call) : tokenize(raw);
        // The listing shows lines from macro and %rep bodies as NASM stores them: single spaces, no
        // comment, parameters without braces.
        const stored = f.kind === 'file' ? [] : tokenize(raw).map((t) => (t.kind === 'pp' && t.text.startsWith('%{') ? { ...t, text: `%${t.text.slice(2, -1)}` } : t));
        const text = f.kind === 'file' ? raw : untokenize(stored).trimEnd();
        return { tokens, raw, text };
      } catch (e) {
        if (!(e instanceof LexError)) throw e;
        if (reportLexErrors || f.kind !== 'file') this.sink.error(this.at, e.message);
      }
    }
  }
}
