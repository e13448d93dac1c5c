// lseek(fd, offset, whence): moves the offset shared by every descriptor of the open file.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf, toInt } from './helpers.ts';

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

/** The new offset, or -EBADF, -ESPIPE (pipe, terminal), -EINVAL (bad whence, negative result), -EOVERFLOW. */
export const sysLseek: SyscallHandler = (k, p, [fd, offset, whence]) => {
  const file = fileOf(p, fd!);
  if (!file) return -E.EBADF;
  if (!file.ops.seekable) return -E.ESPIPE;
  const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? file.offset : whence === SEEK_END ? file.inode.size : -1;
  if (base < 0) return -E.EINVAL;
  const target = base + toInt(offset!);
  if (target < 0) return -E.EINVAL;
  // lseek's result is an off_t, a long: on i386 anything past 2 GiB - 1 does not fit.
  if (target > (k.abi.wordBytes === 4 ? 0x7fffffff : Number.MAX_SAFE_INTEGER)) return -E.EOVERFLOW;
  file.offset = target;
  return target;
};
