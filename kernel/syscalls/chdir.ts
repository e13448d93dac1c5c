// chdir(path): changes the directory relative paths start from.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';

/** 0, or -ENOENT, -ENOTDIR, -EFAULT, -ENAMETOOLONG. */
export const sysChdir: SyscallHandler = (k, p, [pathVa]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  const inode = k.fs.lookup(p.cwd, path);
  if (typeof inode === 'number') return inode;
  if (!inode.isDir) return -E.ENOTDIR;
  p.cwd = inode;
  return 0;
};
