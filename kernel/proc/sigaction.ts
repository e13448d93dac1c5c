// Signal dispositions and the blocked mask of a process (rt_sigaction, rt_sigprocmask): the
// default action, ignoring, or a handler in the program, which the architecture enters through
// a signal frame on the user stack and leaves through rt_sigreturn.
import { SIG } from './signals.ts';

export const SIG_DFL = 0;
export const SIG_IGN = 1;

/** sa_flags bits (asm-generic/signal.h). */
export const SA = {
  /** SIGCHLD only: not when a child stops or continues. */
  NOCLDSTOP: 0x1,
  SIGINFO: 0x4,
  RESTORER: 0x04000000,
  ONSTACK: 0x08000000,
  RESTART: 0x10000000,
  NODEFER: 0x40000000,
  RESETHAND: 0x80000000,
} as const;

/** How a process handles one signal. */
export interface SigAction {
  /** SIG_DFL, SIG_IGN, or the handler's address. */
  readonly handler: number;
  readonly flags: number;
  /** The return trampoline that calls rt_sigreturn (SA_RESTORER). */
  readonly restorer: number;
  /** Signals blocked while the handler runs (bit sig-1). */
  readonly mask: bigint;
}

export const DEFAULT_ACTION: SigAction = { handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n };

/** The mask bit of `sig`. */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** SIGKILL and SIGSTOP can be neither caught, ignored nor blocked. */
export const UNBLOCKABLE = sigbit(SIG.SIGKILL) | sigbit(SIG.SIGSTOP);

/** A process's dispositions and blocked mask. */
export class SignalHandlers {
  private readonly actions = new Map<number, SigAction>();
  /** Blocked signals (bit sig-1); never SIGKILL or SIGSTOP. */
  blocked = 0n;

  /** The disposition of `sig`. */
  get(sig: number): SigAction {
    return this.actions.get(sig) ?? DEFAULT_ACTION;
  }

  /** Sets the disposition of `sig` (the caller has checked it may be changed). */
  set(sig: number, action: SigAction): void {
    if (action.handler === SIG_DFL && action.flags === 0) this.actions.delete(sig);
    else this.actions.set(sig, action);
  }

  /** Whether `sig` would run a handler of the program. */
  caught(sig: number): boolean {
    return this.get(sig).handler > SIG_IGN;
  }

  /** Whether `sig` is blocked now. */
  isBlocked(sig: number): boolean {
    return (this.blocked & sigbit(sig)) !== 0n;
  }

  /** A copy for a forked child: same dispositions, same mask. */
  clone(): SignalHandlers {
    const copy = new SignalHandlers();
    for (const [sig, action] of this.actions) copy.actions.set(sig, action);
    copy.blocked = this.blocked;
    return copy;
  }

  /** What execve keeps: ignored signals stay ignored, handlers (gone with the old program) revert to the default. */
  resetForExec(): void {
    for (const [sig, action] of this.actions) if (action.handler !== SIG_IGN) this.actions.delete(sig);
  }
}
