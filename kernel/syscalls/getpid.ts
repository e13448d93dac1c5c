// getpid(): the caller's process id.
import type { SyscallHandler } from './dispatch.ts';

/** Always succeeds. */
export const sysGetpid: SyscallHandler = (_k, p) => p.pid;
