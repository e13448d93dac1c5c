// close(fd): releases a descriptor; the file goes away with its last descriptor.
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** 0, or -EBADF. */
export const sysClose: SyscallHandler = (_k, p, [fd]) => p.files.close(toInt(fd!));
