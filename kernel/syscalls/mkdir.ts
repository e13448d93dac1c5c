// mkdir(pathname, mode): creates a directory.
import { S_IFDIR } from '../fs/inode.ts';
import type { SyscallHandler } from './dispatch.ts';
import { UMASK } from './open.ts';

/** 0, or -EEXIST, -ENOENT, -ENOTDIR, -EFAULT, -ENAMETOOLONG. */
export const sysMkdir: SyscallHandler = (k, p, [pathVa, mode]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  const where = k.fs.lookupParent(p.cwd, path);
  if (typeof where === 'number') return where;
  const made = k.fs.create(where.dir, where.name, S_IFDIR | (mode! & 0o7777 & ~UMASK));
  return typeof made === 'number' ? made : 0;
};
