// waitpid(pid, wstatus, options): collects an exited child's status.
import { waitChild } from '../proc/lifecycle.ts';
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** The child's pid, 0 (WNOHANG, none exited), -ECHILD, -EINVAL, -EFAULT, or blocks. */
export const sysWaitpid: SyscallHandler = (k, p, [pid, status, options]) => waitChild(k, p, toInt(pid!), status!, toInt(options!), 0);
