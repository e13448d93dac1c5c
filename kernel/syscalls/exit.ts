// exit(status): ends the calling process; its parent collects (status & 0xff) with wait.
import type { SyscallHandler } from './dispatch.ts';
import { exitedStatus } from '../proc/signals.ts';
import { NO_RETURN } from '../proc/wait-queue.ts';

/** Terminates the caller; never returns to it. */
export const sysExit: SyscallHandler = (k, p, [status]) => {
  k.exit(p, exitedStatus(status!));
  return NO_RETURN;
};
