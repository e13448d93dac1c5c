// unlink(pathname): removes a name; an open file keeps its contents until closed.
import type { SyscallHandler } from './dispatch.ts';

/** 0, or -ENOENT, -EISDIR, -ENOTDIR, -EFAULT, -ENAMETOOLONG. */
export const sysUnlink: SyscallHandler = (k, p, [pathVa]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  const where = k.fs.lookupParent(p.cwd, path);
  if (typeof where === 'number') return where;
  return k.fs.unlink(where.dir, where.name);
};
