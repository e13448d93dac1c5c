// fstat(fd, statbuf): the status of an open file (pipes report S_IFIFO, the console S_IFCHR).
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf, statOf } from './helpers.ts';

/** 0, or -EBADF, -EFAULT. */
export const sysFstat: SyscallHandler = (k, p, [fd, statbuf]) => {
  const file = fileOf(p, fd!);
  if (!file) return -E.EBADF;
  return k.copyOut(p, statbuf!, k.abi.encodeStat(statOf(file.inode)));
};
