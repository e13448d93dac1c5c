// Open file descriptions: what a file descriptor points to. Several descriptors (after dup or
// fork) share one description and so share its offset, like Linux's struct file.
import type { Blocked } from '../proc/wait-queue.ts';
import type { Inode } from './inode.ts';

export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_CLOEXEC = 0o2000000;

/** What a kind of file does on read, write and close. Blocking operations answer Blocked and change nothing. */
export interface FileOps {
  /** Up to `count` bytes (count > 0), an -errno, or Blocked. */
  read(file: OpenFile, count: number): Uint8Array | number | Blocked;
  /** How many bytes of `data` were taken, an -errno, or Blocked. */
  write(file: OpenFile, data: Uint8Array): number | Blocked;
  /** Whether lseek may move the offset (false: ESPIPE). */
  readonly seekable: boolean;
  /** Whether this is a terminal (isatty, terminal ioctls). */
  readonly tty?: boolean;
  /**
   * A terminal: ends the line its writers left unfinished, so that the next write starts at
   * column 0. Trace lines use it so that they never continue a program's partial line.
   */
  freshLine?(file: OpenFile): void;
  /** Called when the last descriptor referring to the description is closed. */
  release?(file: OpenFile): void;
}

/** An open file description. */
export class OpenFile {
  /** Byte offset (for directories: the index of the next entry). */
  offset = 0;
  /** How many descriptors (in all processes) refer to this description. */
  refs = 1;

  constructor(
    readonly ops: FileOps,
    /** The file's inode; pipes have their own anonymous one. */
    readonly inode: Inode,
    /** The open flags that stay with the description: access mode, O_APPEND, O_NONBLOCK. */
    readonly flags: number,
  ) {}

  /** Whether the description was opened for reading. */
  get readable(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY;
  }

  /** Whether the description was opened for writing. */
  get writable(): boolean {
    const mode = this.flags & O_ACCMODE;
    return mode === O_WRONLY || mode === O_RDWR;
  }
}
