// rt_sigreturn(): the end of a signal handler (called by its restorer): the registers and the
// blocked mask saved in the signal frame come back, and a call the signal interrupted with
// SA_RESTART carries on.
import { UNBLOCKABLE } from '../proc/sigaction.ts';
import { SIG } from '../proc/signals.ts';
import { NO_RETURN } from '../proc/wait-queue.ts';
import type { SyscallHandler } from './dispatch.ts';

/** Returns to the interrupted code with its registers (eax included) as they were; a bad frame is SIGSEGV. */
export const sysRtSigreturn: SyscallHandler = (k, p) => {
  const mask = k.arch.popSignalFrame?.(p) ?? null;
  if (mask === null) {
    k.signal(p, SIG.SIGSEGV, true);
    return NO_RETURN;
  }
  p.handlers.blocked = mask & ~UNBLOCKABLE;
  const call = p.frameCalls.pop();
  if (call) k.resumeCall(p, call);
  return NO_RETURN;
};
