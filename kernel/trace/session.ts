// Tracing asked for by a user program (the teaching call kit_trace, which userland's strace
// uses): a tracer writing to one of the caller's files, following the caller and every process
// it forks afterwards, like `strace -f`; in summary mode (`strace -c`) the table is written when
// the last traced process exits. Each line is one write of a whole line, ending with the call's
// mechanism; on a terminal it starts on a line of its own even when the traced program left its
// last line unfinished. While more than one process is traced, lines start with strace -f's
// `[pid  NNN] `.
import { release } from '../fs/fdtable.ts';
import type { OpenFile } from '../fs/file.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { SigInfo } from '../proc/siginfo.ts';
import type { SyscallSpec } from '../syscalls/spec.ts';
import type { TraceHooks } from '../syscalls/dispatch.ts';
import { latin1Bytes } from '../tty/console.ts';
import { Strace } from './strace.ts';

/** One tracing session and the processes in it. */
export class TraceSession {
  readonly strace: Strace;
  private members = 0;

  constructor(k: Kernel, private readonly file: OpenFile, private readonly summaryOnly: boolean) {
    file.refs++;
    const out = (line: string, p: Process) => this.write(`${this.members > 1 ? `[pid ${String(p.pid).padStart(5)}] ` : ''}${line}\n`);
    this.strace = new Strace(k, out, { lines: !summaryOnly, mechanism: true });
  }

  /** Traces `p` from its next call on. */
  join(p: Process): void {
    if (p.trace === this) return;
    p.trace?.leave(p, null);
    p.trace = this;
    this.members++;
  }

  /** Stops tracing `p` (with its wait status when it exited); the last one out writes the summary. */
  leave(p: Process, status: number | null): void {
    if (p.trace !== this) return;
    if (status !== null) this.strace.processExit(p, status);
    p.trace = null;
    if (--this.members > 0) return;
    if (this.summaryOnly) this.write(this.strace.summary());
    release(this.file);
  }

  // Trace output never blocks the traced program: a full pipe drops the text.
  private write(text: string): void {
    this.file.ops.freshLine?.(this.file);
    void this.file.ops.write(this.file, latin1Bytes(text));
  }
}

/** Routes trace events to the process's own session and to a kernel-wide tracer (tests, `tools/run --strace`). */
export class TraceRouter implements TraceHooks {
  /** Traces every process when set. */
  global: TraceHooks | null = null;

  enter(p: Process, spec: SyscallSpec, args: readonly number[]): void {
    p.trace?.strace.enter(p, spec, args);
    this.global?.enter(p, spec, args);
  }

  exit(p: Process, spec: SyscallSpec, args: readonly number[], result: number | undefined): void {
    p.trace?.strace.exit(p, spec, args, result);
    this.global?.exit(p, spec, args, result);
  }

  signalDelivered(p: Process, sig: number, info: SigInfo): void {
    p.trace?.strace.signalDelivered(p, sig, info);
    this.global?.signalDelivered(p, sig, info);
  }

  processExit(p: Process, status: number): void {
    p.trace?.leave(p, status);
    this.global?.processExit(p, status);
  }
}
