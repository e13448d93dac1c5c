// stat(pathname, statbuf): a file's status by name.
import type { SyscallHandler } from './dispatch.ts';
import { statOf } from './helpers.ts';

/** 0, or -ENOENT, -ENOTDIR, -EFAULT, -ENAMETOOLONG. */
export const sysStat: SyscallHandler = (k, p, [pathVa, statbuf]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  const inode = k.fs.lookup(p.cwd, path);
  if (typeof inode === 'number') return inode;
  return k.copyOut(p, statbuf!, k.abi.encodeStat(statOf(inode)));
};
