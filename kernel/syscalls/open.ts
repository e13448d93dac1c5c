// open(pathname, flags, mode): a new descriptor for a file, a directory or a device.
import { E } from '../errno.ts';
import { O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NONBLOCK, O_RDONLY, O_TRUNC, OpenFile } from '../fs/file.ts';
import { S_IFMT, S_IFREG } from '../fs/inode.ts';
import type { SyscallHandler } from './dispatch.ts';

/** The file mode creation mask every process has (umask 022). */
export const UMASK = 0o022;

/** The lowest free descriptor, or -EMFILE, -ENOENT, -EEXIST, -EISDIR, -ENOTDIR, -EFAULT, -ENAMETOOLONG, -EINVAL. */
export const sysOpen: SyscallHandler = (k, p, [pathVa, flags, mode]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  const fd = p.files.lowestFree();
  if (fd < 0) return fd;
  const accmode = flags! & O_ACCMODE;
  if (accmode === O_ACCMODE) return -E.EINVAL;
  let inode = k.fs.lookup(p.cwd, path);
  if (typeof inode === 'number') {
    if (inode !== -E.ENOENT || !(flags! & O_CREAT)) return inode;
    const where = k.fs.lookupParent(p.cwd, path);
    if (typeof where === 'number') return where;
    if (path.endsWith('/')) return -E.EISDIR;
    inode = k.fs.create(where.dir, where.name, S_IFREG | (mode! & 0o7777 & ~UMASK));
    if (typeof inode === 'number') return inode;
  } else if (flags! & O_CREAT && flags! & O_EXCL) {
    return -E.EEXIST;
  }
  if (inode.isDir && (accmode !== O_RDONLY || flags! & O_CREAT)) return -E.EISDIR;
  if (flags! & O_DIRECTORY && !inode.isDir) return -E.ENOTDIR;
  // Linux truncates even with O_RDONLY (POSIX leaves that combination unspecified).
  if (flags! & O_TRUNC && (inode.mode & S_IFMT) === S_IFREG) {
    inode.size = 0;
    inode.mtime = k.epochSeconds();
  }
  const file = new OpenFile(k.fs.opsFor(inode), inode, flags! & (O_ACCMODE | O_APPEND | O_NONBLOCK));
  return p.files.install(file, (flags! & O_CLOEXEC) !== 0, fd);
};
