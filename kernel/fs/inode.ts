// Inodes of the RAM file system: regular files, directories, character devices and FIFOs, with
// the mode bits Linux uses (S_IFMT and the permission bits).
import type { FileOps } from './file.ts';

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** Linux's dirent d_type values. */
export const DT = { FIFO: 1, CHR: 2, DIR: 4, REG: 8 } as const;

/** One file system object. */
export class Inode {
  nlink: number;
  /** Contents of a regular file; only the first `size` bytes are meaningful. */
  data: Uint8Array = new Uint8Array(0);
  size = 0;
  /** Entries of a directory, in creation order (getdents lists them in this order). */
  readonly children: Map<string, Inode> | null;
  /** The directory holding this one; null for the root and for removed directories. */
  parent: Inode | null = null;
  /** Device number of a character device (major << 8 | minor). */
  rdev = 0;
  /** The operations of a device node; regular files and directories use the file system's. */
  device: FileOps | null = null;
  /** Modification time, seconds since the Epoch. */
  mtime: number;

  constructor(
    /** Inode number, unique in its file system. */
    readonly ino: number,
    /** File type and permission bits. */
    public mode: number,
    mtime: number,
  ) {
    this.children = (mode & S_IFMT) === S_IFDIR ? new Map() : null;
    this.nlink = this.children ? 2 : 1;
    this.mtime = mtime;
  }

  /** Whether this is a directory. */
  get isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  /** The d_type getdents reports for this inode. */
  get direntType(): number {
    switch (this.mode & S_IFMT) {
      case S_IFDIR: return DT.DIR;
      case S_IFCHR: return DT.CHR;
      case S_IFIFO: return DT.FIFO;
      default: return DT.REG;
    }
  }

  /** Makes room for `length` bytes of contents, growing the buffer geometrically. */
  reserve(length: number): void {
    if (length <= this.data.length) return;
    const grown = new Uint8Array(Math.max(length, this.data.length * 2, 256));
    grown.set(this.data.subarray(0, this.size));
    this.data = grown;
  }
}
