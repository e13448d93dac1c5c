// siginfo_t: why a signal came. Linux's si_code values and the fields each brings, which a
// handler installed with SA_SIGINFO reads from its frame and strace prints on its `---` lines.

/** si_code values (include/uapi/asm-generic/siginfo.h); the per-signal ones reuse small numbers. */
export const SI_CODE = {
  SI_USER: 0, SI_KERNEL: 0x80,
  ILL_ILLOPN: 2, FPE_INTDIV: 1, SEGV_MAPERR: 1, SEGV_ACCERR: 2, BUS_ADRALN: 1, TRAP_BRKPT: 1, TRAP_TRACE: 2,
  CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3, CLD_STOPPED: 5, CLD_CONTINUED: 6,
} as const;

/** What a pending signal carries besides its number. */
export interface SigInfo {
  readonly code: number;
  /** The sender (kill, SIGPIPE) or the child (SIGCHLD); si_uid is always 0 here. */
  readonly pid?: number;
  /** SIGCHLD: the exit code, or the signal that stopped or killed the child. */
  readonly status?: number;
  /** SIGILL, SIGFPE, SIGSEGV, SIGBUS from a fault: si_addr. */
  readonly addr?: number;
  /** A fault's vector and error code, which the frame's sigcontext carries (trapno, err). */
  readonly trap?: { readonly vector: number; readonly error: number };
}

/** A signal the kernel raised for no process (the terminal's Ctrl-C, a fault without details). */
export const KERNEL_INFO: SigInfo = { code: SI_CODE.SI_KERNEL };

/** A signal sent by process `pid` (kill, or SIGPIPE from its own write). */
export function fromProcess(pid: number): SigInfo {
  return { code: SI_CODE.SI_USER, pid };
}

// strace's names for si_code: the generic ones, then per signal.
const GENERIC: Record<number, string> = { 0: 'SI_USER', 0x80: 'SI_KERNEL' };
const PER_SIGNAL: Record<number, Record<number, string>> = {
  4: { 2: 'ILL_ILLOPN' },
  5: { 1: 'TRAP_BRKPT', 2: 'TRAP_TRACE' },
  7: { 1: 'BUS_ADRALN' },
  8: { 1: 'FPE_INTDIV' },
  11: { 1: 'SEGV_MAPERR', 2: 'SEGV_ACCERR' },
  17: { 1: 'CLD_EXITED', 2: 'CLD_KILLED', 3: 'CLD_DUMPED', 5: 'CLD_STOPPED', 6: 'CLD_CONTINUED' },
};

/** strace's name for `code` of signal `sig`, or the number. */
export function siCodeName(sig: number, code: number): string {
  return GENERIC[code] ?? PER_SIGNAL[sig]?.[code] ?? String(code);
}

/** A process's pending signals: at most one of each (standard signals do not queue), with the siginfo of the first. */
export class PendingSignals {
  private readonly infos = new Map<number, SigInfo>();

  /** Marks `sig` pending; a signal already pending keeps its first siginfo, as Linux keeps it. */
  add(sig: number, info: SigInfo = KERNEL_INFO): void {
    if (!this.infos.has(sig)) this.infos.set(sig, info);
  }

  delete(sig: number): void {
    this.infos.delete(sig);
  }

  has(sig: number): boolean {
    return this.infos.has(sig);
  }

  /** The siginfo `sig` is pending with. */
  info(sig: number): SigInfo {
    return this.infos.get(sig) ?? KERNEL_INFO;
  }

  get size(): number {
    return this.infos.size;
  }

  clear(): void {
    this.infos.clear();
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.infos.keys();
  }
}
