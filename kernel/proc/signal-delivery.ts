// Sending and delivering signals: default actions (terminate, stop, continue, ignore), ignored
// signals, the blocked mask, and handlers in the program, entered through the architecture's
// signal frame. A handled signal interrupts a sleeping call: it fails with EINTR, or with
// SA_RESTART it is suspended and retried when the handler returns (rt_sigreturn).
import { E } from '../errno.ts';
import type { Kernel } from '../kernel.ts';
import { continueProcess, stopProcess } from './job-control.ts';
import { exitProcess } from './lifecycle.ts';
import type { Process } from './process.ts';
import { DEFAULT_ACTION, SA, SIG_IGN, sigbit, UNBLOCKABLE, type SigAction } from './sigaction.ts';
import { fromProcess, KERNEL_INFO, type SigInfo } from './siginfo.ts';
import { defaultAction, killedStatus, SIG } from './signals.ts';

function catchable(sig: number): boolean {
  return sig !== SIG.SIGKILL && sig !== SIG.SIGSTOP;
}

/**
 * Raises `sig` for `p`. `forced` is for the kernel's own signals from faults: they cannot be
 * ignored or blocked (the disposition reverts to the default, as Linux's force_sig does), and
 * they reach init. Otherwise init, like on Linux, never gets a signal it has no handler for.
 */
export function sendSignal(k: Kernel, p: Process, sig: number, forced: boolean, info: SigInfo = KERNEL_INFO): void {
  if (p.state === 'zombie') return;
  let action = p.handlers.get(sig);
  if (forced && catchable(sig) && (action.handler === SIG_IGN || p.handlers.isBlocked(sig))) {
    p.handlers.set(sig, DEFAULT_ACTION);
    p.handlers.blocked &= ~sigbit(sig);
    action = DEFAULT_ACTION;
  }
  if (sig === SIG.SIGCONT) continueProcess(k, p); // whatever the disposition
  if (catchable(sig) && p.handlers.caught(sig)) {
    p.pendingSignals.add(sig, info);
    if (p.state === 'blocked' && !p.handlers.isBlocked(sig)) k.makeRunnable(p);
    return;
  }
  if (p.pid === 1 && !forced) return;
  if (ignored(p, sig)) {
    // A tracer is told of a signal even when it will be ignored (Linux's sig_ignored() keeps it
    // pending for a traced process).
    if (p.trace !== null) p.pendingSignals.add(sig, info);
    return;
  }
  p.pendingSignals.add(sig, info);
  if (p !== k.current) deliverPendingSignals(k, p);
}

/** Whether `sig` does nothing to `p` now: SIG_IGN, or a default action of ignore or continue. */
function ignored(p: Process, sig: number): boolean {
  if (!catchable(sig)) return false;
  if (p.handlers.get(sig).handler === SIG_IGN) return true;
  const kind = defaultAction(sig);
  return !p.handlers.caught(sig) && (kind === 'ignore' || kind === 'continue');
}

/** Sends `sig` per kill(2)'s pid rules on behalf of `sender`: 0, or -ESRCH when nothing matched. */
export function signalTargets(k: Kernel, pid: number, sig: number, sender: Process | null): number {
  const targets = [...k.processes.values()].filter((q) => {
    if (q.state === 'zombie' && pid <= 0) return false;
    if (pid > 0) return q.pid === pid;
    if (pid === 0) return sender !== null && q.pgid === sender.pgid;
    if (pid === -1) return q.pid !== 1 && q !== sender;
    return q.pgid === -pid;
  });
  if (targets.length === 0) return -E.ESRCH;
  if (sig !== 0) for (const q of targets) sendSignal(k, q, sig, false, sender === null ? KERNEL_INFO : fromProcess(sender.pid));
  return 0;
}

/** The lowest pending, unblocked signal `p` has a handler for, or 0. */
export function deliverableHandled(p: Process): number {
  if (p.pendingSignals.size === 0) return 0;
  let best = 0;
  for (const sig of p.pendingSignals) {
    if (catchable(sig) && p.handlers.caught(sig) && !p.handlers.isBlocked(sig) && (best === 0 || sig < best)) best = sig;
  }
  return best;
}

/**
 * Acts on `p`'s pending, unblocked signals on its way to user mode: default actions at once,
 * and at most one handler (its frame is built now; further signals wait for the next return).
 */
export function deliverPendingSignals(k: Kernel, p: Process): void {
  if (p.pendingSignals.size === 0) return;
  for (const sig of [...p.pendingSignals].sort((a, b) => a - b)) {
    if (p.state === 'zombie') return;
    if (catchable(sig) && p.handlers.isBlocked(sig)) continue;
    const info = p.pendingSignals.info(sig);
    if (catchable(sig) && p.handlers.caught(sig)) {
      if (p.pendingCall || p.state !== 'runnable') continue;
      p.pendingSignals.delete(sig);
      k.dispatcher.trace?.signalDelivered(p, sig, info);
      enterHandler(k, p, sig, p.handlers.get(sig), info);
      return;
    }
    p.pendingSignals.delete(sig);
    // Pending though it does nothing: kept only for the tracer's line.
    if (ignored(p, sig)) {
      k.dispatcher.trace?.signalDelivered(p, sig, info);
      continue;
    }
    const kind = defaultAction(sig);
    if (kind === 'terminate' || kind === 'stop') k.dispatcher.trace?.signalDelivered(p, sig, info);
    if (kind === 'terminate') {
      exitProcess(k, p, killedStatus(sig));
      return;
    }
    if (kind === 'stop') stopProcess(k, p, sig);
  }
}

/**
 * A handled signal reached `p` while it slept in a call: the call fails with EINTR, or with
 * SA_RESTART waits in `suspendedCall` for the handler to return. Returns whether it did.
 */
export function interruptSleepingCall(k: Kernel, p: Process): boolean {
  const sig = deliverableHandled(p);
  const call = p.pendingCall;
  if (!sig || !call) return false;
  p.pendingCall = null;
  if (p.handlers.get(sig).flags & SA.RESTART) {
    p.suspendedCall = call;
  } else {
    k.dispatcher.abandon(p, call.nr, call.args, -E.EINTR);
    call.complete(-E.EINTR);
  }
  return true;
}

function enterHandler(k: Kernel, p: Process, sig: number, action: SigAction, info: SigInfo): void {
  const saved = p.handlers.blocked;
  if (!(k.arch.pushSignalFrame?.(p, sig, action, saved, info) ?? false)) {
    exitProcess(k, p, killedStatus(SIG.SIGSEGV));
    return;
  }
  // Handlers nest: each frame remembers the call its own rt_sigreturn resumes.
  p.frameCalls.push(p.suspendedCall);
  p.suspendedCall = null;
  const during = saved | action.mask | (action.flags & SA.NODEFER ? 0n : sigbit(sig));
  p.handlers.blocked = during & ~UNBLOCKABLE;
  if (action.flags & SA.RESETHAND) p.handlers.set(sig, DEFAULT_ACTION);
}
