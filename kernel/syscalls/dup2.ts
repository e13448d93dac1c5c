// dup2(oldfd, newfd): makes newfd refer to oldfd's open file, closing what newfd had.
import { E } from '../errno.ts';
import { NOFILE } from '../fs/fdtable.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf, toInt } from './helpers.ts';

/** newfd, or -EBADF (oldfd not open, newfd out of range). */
export const sysDup2: SyscallHandler = (_k, p, [oldfd, newfd]) => {
  const file = fileOf(p, oldfd!);
  const target = toInt(newfd!);
  if (!file || target < 0 || target >= NOFILE) return -E.EBADF;
  if (target !== toInt(oldfd!)) p.files.installAt(target, file);
  return target;
};
