// lseek(fd, offset, whence): moves the offset shared by every descriptor of the open file.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf, toInt } from './helpers.ts';

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

/** The new offset, or -EBADF, -ESPIPE (pipe, terminal), -EINVAL (bad whence, negative result). */
export const sysLseek: SyscallHandler = (_k, p, [fd, offset, whence]) => {
  const file = fileOf(p, fd!);
  if (!file) return -E.EBADF;
  if (!file.ops.seekable) return -E.ESPIPE;
  const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? file.offset : whence === SEEK_END ? file.inode.size : -1;
  if (base < 0) return -E.EINVAL;
  const target = base + toInt(offset!);
  if (target < 0) return -E.EINVAL;
  // An off_t that does not fit the 32-bit result is Linux's EOVERFLOW; files here stay far below 2 GiB.
  file.offset = target;
  return target;
};
