// rt_sigaction(sig, act, oldact, sigsetsize): reads and/or changes how the caller handles a
// signal: the default action, ignore, or a handler (entered through a signal frame).
import { E } from '../errno.ts';
import { SIG_DFL, SIG_IGN, UNBLOCKABLE } from '../proc/sigaction.ts';
import { defaultAction, SIG, SIG_MAX } from '../proc/signals.ts';
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** 0, or -EINVAL (bad signal, SIGKILL/SIGSTOP, sigsetsize not 8), -EFAULT (nothing changed), -ENOSYS (a handler, when the architecture has no signal frames). */
export const sysRtSigaction: SyscallHandler = (k, p, [sig, act, oldact, sigsetsize]) => {
  if (sigsetsize !== k.abi.structSize('sigset')) return -E.EINVAL;
  const s = toInt(sig!);
  if (s < 1 || s > SIG_MAX) return -E.EINVAL;
  let next = null;
  if (act !== 0) {
    const raw = k.copyIn(p, act!, k.abi.structSize('sigaction'));
    if (typeof raw === 'number') return raw;
    if (s === SIG.SIGKILL || s === SIG.SIGSTOP) return -E.EINVAL;
    next = k.abi.decodeSigaction(raw);
    // Entering a handler needs the architecture's signal frame.
    if (next.handler > SIG_IGN && (!k.arch.pushSignalFrame || !k.arch.popSignalFrame)) return -E.ENOSYS;
  }
  if (oldact !== 0) {
    const r = k.copyOut(p, oldact!, k.abi.encodeSigaction(p.handlers.get(s)));
    if (r < 0) return r;
  }
  if (next) {
    p.handlers.set(s, { ...next, mask: next.mask & ~UNBLOCKABLE });
    // A signal now ignored is dropped even if it is pending.
    if (next.handler === SIG_IGN || (next.handler === SIG_DFL && defaultAction(s) === 'ignore')) p.pendingSignals.delete(s);
  }
  return 0;
};
