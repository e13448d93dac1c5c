// exit_group(status): ends every thread of the process; with one thread per process, as exit.
import type { SyscallHandler } from './dispatch.ts';
import { sysExit } from './exit.ts';

/** Terminates the caller's whole thread group; never returns. */
export const sysExitGroup: SyscallHandler = (k, p, args) => sysExit(k, p, args);
