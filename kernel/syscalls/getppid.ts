// getppid(): the parent's process id (1 once the parent has exited and init adopted the caller).
import type { SyscallHandler } from './dispatch.ts';

/** Always succeeds. */
export const sysGetppid: SyscallHandler = (_k, p) => p.ppid;
