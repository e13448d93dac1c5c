// The RAM file system: a tree of inodes filled from the initramfs at boot, with Linux's path
// resolution rules and error numbers (ENOENT, ENOTDIR, EEXIST, EISDIR, ENOTEMPTY, ENAMETOOLONG).
import { E } from '../errno.ts';
import { O_APPEND, type FileOps, type OpenFile } from './file.ts';
import { Inode, S_IFCHR, S_IFDIR, S_IFMT, S_IFREG } from './inode.ts';

/** The longest path name (with its NUL), as Linux's PATH_MAX. */
export const PATH_MAX = 4096;
/** The longest file name component, as Linux's NAME_MAX. */
export const NAME_MAX = 255;

/** A directory and a name in it: where a new file would go. */
export interface ParentAndName {
  readonly dir: Inode;
  readonly name: string;
}

/** The largest regular file (it lives in host memory): writes beyond answer EFBIG. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Regular file contents: read and write at the description's offset. */
export const regularFileOps: FileOps = {
  seekable: true,
  read(file: OpenFile, count: number): Uint8Array {
    const inode = file.inode;
    const start = Math.min(file.offset, inode.size);
    const end = Math.min(inode.size, start + count);
    file.offset = end;
    return inode.data.slice(start, end);
  },
  write(file: OpenFile, data: Uint8Array): number {
    const inode = file.inode;
    if (file.flags & O_APPEND) file.offset = inode.size;
    if (file.offset + data.length > MAX_FILE_BYTES) {
      if (file.offset >= MAX_FILE_BYTES) return -E.EFBIG;
      data = data.subarray(0, MAX_FILE_BYTES - file.offset);
    }
    const end = file.offset + data.length;
    inode.reserve(end);
    if (file.offset > inode.size) inode.data.fill(0, inode.size, file.offset);
    inode.data.set(data, file.offset);
    inode.size = Math.max(inode.size, end);
    file.offset = end;
    return data.length;
  },
};

/** Directories are read with getdents, never with read. */
export const directoryOps: FileOps = {
  seekable: true,
  read: () => -E.EISDIR,
  write: () => -E.EISDIR,
};

/** /dev/null: reads find end of file, writes vanish. */
export const nullDeviceOps: FileOps = {
  seekable: true,
  read: () => new Uint8Array(0),
  write: (_file, data) => data.length,
};

/** A RAM file system with its root directory. */
export class Ramfs {
  private nextIno = 1;
  readonly root: Inode;

  constructor(
    /** Seconds since the Epoch, for new files' times. */
    private readonly now: () => number,
  ) {
    this.root = this.newInode(S_IFDIR | 0o755);
  }

  /** The inode `path` names, relative to `cwd` unless absolute; -errno when it does not resolve. */
  lookup(cwd: Inode, path: string): Inode | number {
    if (path === '') return -E.ENOENT;
    let node = path.startsWith('/') ? this.root : cwd;
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part === '' || part === '.') {
        if (!node.isDir) return -E.ENOTDIR;
        continue;
      }
      if (part.length > NAME_MAX) return -E.ENAMETOOLONG;
      if (!node.children) return -E.ENOTDIR;
      if (part === '..') {
        node = node.parent ?? this.root;
        continue;
      }
      const next = node.children.get(part);
      if (!next) return -E.ENOENT;
      node = next;
    }
    return node;
  }

  /** The directory that would hold the last component of `path`, and that component. */
  lookupParent(cwd: Inode, path: string): ParentAndName | number {
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '') return path === '' ? -E.ENOENT : -E.EEXIST;
    const slash = trimmed.lastIndexOf('/');
    const name = trimmed.slice(slash + 1);
    if (name.length > NAME_MAX) return -E.ENAMETOOLONG;
    const dirPath = slash < 0 ? '.' : slash === 0 ? '/' : trimmed.slice(0, slash);
    const dir = this.lookup(cwd, dirPath);
    if (typeof dir === 'number') return dir;
    if (!dir.isDir) return -E.ENOTDIR;
    return { dir, name };
  }

  /** Creates `name` in `dir` with `mode` (type and permissions): the inode, or -EEXIST. */
  create(dir: Inode, name: string, mode: number): Inode | number {
    if (name === '.' || name === '..' || dir.children!.has(name)) return -E.EEXIST;
    const inode = this.newInode(mode);
    inode.parent = dir;
    dir.children!.set(name, inode);
    if (inode.isDir) dir.nlink++;
    dir.mtime = this.now();
    return inode;
  }

  /** Creates a character device node. */
  createDevice(dir: Inode, name: string, rdev: number, ops: FileOps, perm = 0o666): Inode | number {
    const node = this.create(dir, name, S_IFCHR | perm);
    if (typeof node === 'number') return node;
    node.rdev = rdev;
    node.device = ops;
    return node;
  }

  /** Removes the non-directory `name` from `dir`: 0 or -errno (EISDIR for a directory, as Linux's unlink). */
  unlink(dir: Inode, name: string): number {
    const node = dir.children!.get(name);
    if (!node) return -E.ENOENT;
    if (node.isDir) return -E.EISDIR;
    dir.children!.delete(name);
    node.nlink--;
    dir.mtime = this.now();
    return 0;
  }

  /** Removes the empty directory `name` from `dir`: 0 or -errno. */
  rmdir(dir: Inode, name: string): number {
    if (name === '.') return -E.EINVAL;
    if (name === '..') return -E.ENOTEMPTY;
    const node = dir.children!.get(name);
    if (!node) return -E.ENOENT;
    if (!node.isDir) return -E.ENOTDIR;
    if (node.children!.size > 0) return -E.ENOTEMPTY;
    dir.children!.delete(name);
    dir.nlink--;
    node.nlink = 0;
    node.parent = null;
    return 0;
  }

  /** The absolute path of directory `dir`, or -ENOENT when it has been removed. */
  pathOf(dir: Inode): string | number {
    const names: string[] = [];
    let node = dir;
    while (node !== this.root) {
      const parent = node.parent;
      if (!parent) return -E.ENOENT;
      const entry = [...parent.children!].find(([, child]) => child === node);
      if (!entry) return -E.ENOENT;
      names.push(entry[0]);
      node = parent;
    }
    return `/${names.reverse().join('/')}`;
  }

  /** The operations for an opened `inode`. */
  opsFor(inode: Inode): FileOps {
    if (inode.device) return inode.device;
    return (inode.mode & S_IFMT) === S_IFREG ? regularFileOps : directoryOps;
  }

  /** Makes every directory of absolute `path` that is missing; returns the last one or -errno. */
  mkdirs(path: string, perm = 0o755): Inode | number {
    let node = this.root;
    for (const part of path.split('/').filter((p) => p !== '')) {
      const next = node.children?.get(part);
      if (next) {
        if (!next.isDir) return -E.ENOTDIR;
        node = next;
        continue;
      }
      const made = this.create(node, part, S_IFDIR | perm);
      if (typeof made === 'number') return made;
      node = made;
    }
    return node;
  }

  private newInode(mode: number): Inode {
    return new Inode(this.nextIno++, mode, this.now());
  }
}
