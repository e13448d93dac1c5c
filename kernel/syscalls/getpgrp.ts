// getpgrp(): the caller's process group.
import type { SyscallHandler } from './dispatch.ts';

/** Always succeeds. */
export const sysGetpgrp: SyscallHandler = (_k, p) => p.pgid;
