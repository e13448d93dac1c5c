// wait4(pid, wstatus, options, rusage): waitpid that also reports resource usage (all zero here).
import { waitChild } from '../proc/lifecycle.ts';
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** As waitpid; a non-NULL rusage is zero-filled. */
export const sysWait4: SyscallHandler = (k, p, [pid, status, options, rusage]) => waitChild(k, p, toInt(pid!), status!, toInt(options!), rusage!);
