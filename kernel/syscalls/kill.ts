// kill(pid, sig): sends a signal to a process (pid > 0), the caller's group (0), every process
// but init and the caller (-1), or a group (< -1). Signal 0 only checks that a target exists.
import { E } from '../errno.ts';
import { signalTargets } from '../proc/signal-delivery.ts';
import { SIG_MAX } from '../proc/signals.ts';
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** 0, or -EINVAL (bad signal number), -ESRCH (no such process or group). */
export const sysKill: SyscallHandler = (k, p, [pid, sig]) => {
  const signal = toInt(sig!);
  if (signal < 0 || signal > SIG_MAX) return -E.EINVAL;
  const target = toInt(pid!);
  if (target === -0x80000000) return -E.ESRCH;
  return signalTargets(k, target, signal, p);
};
