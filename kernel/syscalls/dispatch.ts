// The dispatcher: one function from a syscall number and an argument fetcher to a service
// routine's outcome. Every entry mechanism (int 0x80, the stack ABI, call gate, sysenter,
// syscall) ends here with its own fetcher; the routines never know which one was used.
import { E } from '../errno.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallOutcome } from '../proc/wait-queue.ts';
import type { SigInfo } from '../proc/siginfo.ts';
import type { ArgSpec, SyscallSpec } from './spec.ts';

/** Argument kinds that are C ints: 32 bits in every x86 ABI, so only a register's low half counts. */
const INT_KINDS: ReadonlySet<ArgSpec['kind']> = new Set(['fd', 'int', 'pid', 'signal', 'openflags', 'mode', 'whence', 'waitoptions', 'clockid']);

/** A service routine: arguments arrive as unsigned values (C ints as their 32 bits; `toInt` makes them signed). */
export type SyscallHandler = (k: Kernel, p: Process, args: readonly number[]) => SyscallOutcome;

/** A table row: the call's description and its service routine. */
export interface SyscallEntry extends SyscallSpec {
  readonly handler: SyscallHandler;
}

/**
 * Fetches argument `i` (0-based) for the ABI in use: from the saved registers, or from user
 * memory for the stack ABI. Returns the value as an unsigned integer, or null when the argument
 * cannot be read (the call fails with -EFAULT before its routine runs). A 64-bit register whose
 * value needs more than 52 bits is reported as 2**52 plus its low 32 bits: never a user address,
 * and exact in the low half, which is all a C int argument uses.
 */
export type ArgFetcher = (i: number) => number | null;

/** Observes calls for strace: entry (not repeated for retries) and final exit. */
export interface TraceHooks {
  enter(p: Process, spec: SyscallSpec, args: readonly number[]): void;
  /** `result` is undefined for a call that does not return (exit). */
  exit(p: Process, spec: SyscallSpec, args: readonly number[], result: number | undefined): void;
  /** A signal is acted on for `p` (its handler runs, its default action, or it is ignored while traced), with its siginfo. */
  signalDelivered(p: Process, sig: number, info: SigInfo): void;
  /** A process ended with wait status `status`. */
  processExit(p: Process, status: number): void;
}

/** What a dispatch produced, with the arguments it fetched (kept for a retry). */
export interface Dispatched {
  readonly outcome: SyscallOutcome;
  readonly args: readonly number[];
}

/** The arguments strace shows for a call it has no table row for: six registers. */
const UNKNOWN_ARGS: readonly ArgSpec[] = Array.from({ length: 6 }, (_, i) => ({ name: `arg${i + 1}`, kind: 'raw' as const }));

/** The row strace makes up for an unknown number (`syscall_0x3e7`, as strace names it). */
function unknownSpec(nr: number): SyscallSpec {
  const n = nr >>> 0;
  return { name: `syscall_0x${n.toString(16)}`, i386: n, x86_64: n, args: UNKNOWN_ARGS, category: 'process', summary: 'a number the table does not have' };
}

/** Routes syscall numbers of one ABI to their routines. */
export class Dispatcher {
  private readonly table: (SyscallEntry | null)[];
  /** Set to observe calls (strace); null costs nothing. */
  trace: TraceHooks | null = null;

  /** Builds the dispatch table for `abi` from `entries`: every number without a row is a hole. */
  constructor(entries: readonly SyscallEntry[], abi: 'i386' | 'x86_64') {
    const numbered = entries.filter((e) => (abi === 'i386' ? e.i386 : e.x86_64) !== null);
    const size = Math.max(...numbered.map((e) => (abi === 'i386' ? e.i386 : e.x86_64!))) + 1;
    this.table = new Array<SyscallEntry | null>(size).fill(null);
    for (const e of numbered) this.table[abi === 'i386' ? e.i386 : e.x86_64!] = e;
  }

  /** How many numbers the table spans (the first number past it answers -ENOSYS). */
  get size(): number {
    return this.table.length;
  }

  /** The row for `nr`, or null for a hole or an out-of-range number. */
  lookup(nr: number): SyscallEntry | null {
    if (!Number.isInteger(nr) || nr < 0 || nr >= this.table.length) return null;
    return this.table[nr] ?? null;
  }

  /** Runs call `nr` for `p` once: -ENOSYS for an unknown number, -EFAULT when an argument cannot be fetched. */
  dispatch(k: Kernel, p: Process, nr: number, fetch: ArgFetcher): Dispatched {
    const entry = this.lookup(nr);
    if (!entry) {
      if (this.trace) this.traceUnknown(p, nr, fetch);
      return { outcome: -E.ENOSYS, args: [] };
    }
    const args: number[] = [];
    for (let i = 0; i < entry.args.length; i++) {
      const value = fetch(i);
      if (value === null) return { outcome: -E.EFAULT, args };
      args.push(INT_KINDS.has(entry.args[i]!.kind) || value < 0 ? (value % 2 ** 32) >>> 0 : value);
    }
    this.trace?.enter(p, entry, args);
    return { outcome: this.invoke(k, p, entry, args), args };
  }

  /**
   * Shows an unknown number to the tracer as strace does: `syscall_0x3e7(...)` with the six
   * argument registers in hex (an argument that cannot be fetched shows as 0), answering ENOSYS.
   */
  private traceUnknown(p: Process, nr: number, fetch: ArgFetcher): void {
    const spec = unknownSpec(nr);
    const args = spec.args.map((_, i) => fetch(i) ?? 0);
    this.trace?.enter(p, spec, args);
    this.trace?.exit(p, spec, args, -E.ENOSYS);
  }

  /** Retries a call that blocked, with the arguments it was first given. */
  retry(k: Kernel, p: Process, nr: number, args: readonly number[]): SyscallOutcome {
    const entry = this.lookup(nr);
    if (!entry) return -E.ENOSYS;
    return this.invoke(k, p, entry, args);
  }

  /** Reports a sleeping call that ends without being retried (EINTR) to the tracer. */
  abandon(p: Process, nr: number, args: readonly number[], result: number): void {
    p.restartData = null;
    const entry = this.lookup(nr);
    if (entry) this.trace?.exit(p, entry, args, result);
  }

  private invoke(k: Kernel, p: Process, entry: SyscallEntry, args: readonly number[]): SyscallOutcome {
    if (entry.returns === 'noreturn') this.trace?.exit(p, entry, args, undefined);
    const outcome = entry.handler(k, p, args);
    if (typeof outcome === 'number') {
      p.restartData = null;
      this.trace?.exit(p, entry, args, outcome);
    }
    return outcome;
  }
}
