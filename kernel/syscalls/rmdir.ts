// rmdir(pathname): removes an empty directory.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';

/** 0, or -ENOTEMPTY, -ENOTDIR, -ENOENT, -EBUSY (the root), -EINVAL (a final "."), -EFAULT. */
export const sysRmdir: SyscallHandler = (k, p, [pathVa]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  if (k.fs.lookup(p.cwd, path) === k.fs.root) return -E.EBUSY;
  const where = k.fs.lookupParent(p.cwd, path);
  if (typeof where === 'number') return where;
  return k.fs.rmdir(where.dir, where.name);
};
