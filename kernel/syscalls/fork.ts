// fork(): a child that is a copy-on-write copy of the caller; the child sees 0, the parent its pid.
import type { SyscallHandler } from './dispatch.ts';
import { forkProcess } from '../proc/lifecycle.ts';

/** The child's pid, -EAGAIN at the process limit, or -ENOMEM. */
export const sysFork: SyscallHandler = (k, p) => forkProcess(k, p);
