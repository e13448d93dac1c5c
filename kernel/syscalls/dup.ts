// dup(oldfd): a second descriptor for the same open file, at the lowest free number.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf } from './helpers.ts';

/** The new descriptor, or -EBADF, -EMFILE. */
export const sysDup: SyscallHandler = (_k, p, [oldfd]) => {
  const file = fileOf(p, oldfd!);
  if (!file) return -E.EBADF;
  const fd = p.files.lowestFree();
  if (fd < 0) return fd;
  p.files.installAt(fd, file);
  return fd;
};
