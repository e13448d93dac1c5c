// A process's file descriptor table. fork copies the table; the copies share the open file
// descriptions (and so their offsets), as on Linux without CLONE_FILES.
import { E } from '../errno.ts';
import type { OpenFile } from './file.ts';

/** The highest descriptor number plus one (RLIMIT_NOFILE): open beyond it answers EMFILE. */
export const NOFILE = 64;

/** Descriptor numbers to open file descriptions, with each descriptor's close-on-exec flag. */
export class FdTable {
  private readonly files: (OpenFile | null)[] = new Array<OpenFile | null>(NOFILE).fill(null);
  private readonly cloexec = new Uint8Array(NOFILE);

  /** The description behind `fd`, or null for a closed or out-of-range number. */
  get(fd: number): OpenFile | null {
    if (!Number.isInteger(fd) || fd < 0 || fd >= NOFILE) return null;
    return this.files[fd] ?? null;
  }

  /** Puts `file` in the lowest free slot >= `min` and takes over the caller's reference: the number, or -EMFILE. */
  install(file: OpenFile, cloexec = false, min = 0): number {
    for (let fd = min; fd < NOFILE; fd++) {
      if (this.files[fd] === null) {
        this.files[fd] = file;
        this.cloexec[fd] = cloexec ? 1 : 0;
        return fd;
      }
    }
    return -E.EMFILE;
  }

  /** The lowest free descriptor >= `min`, or -EMFILE. */
  lowestFree(min = 0): number {
    for (let fd = Math.max(0, min); fd < NOFILE; fd++) if (this.files[fd] === null) return fd;
    return -E.EMFILE;
  }

  /** How many descriptors are free. */
  freeCount(): number {
    return this.files.filter((f) => f === null).length;
  }

  /** Puts `file` at `fd` (closing what was there), adding a reference. */
  installAt(fd: number, file: OpenFile): void {
    file.refs++;
    this.close(fd);
    this.files[fd] = file;
    this.cloexec[fd] = 0;
  }

  /** Closes `fd`: 0, or -EBADF when it is not open. */
  close(fd: number): number {
    const file = this.get(fd);
    if (file === null) return -E.EBADF;
    this.files[fd] = null;
    this.cloexec[fd] = 0;
    release(file);
    return 0;
  }

  /** A copy for a forked child: same descriptions, one more reference each. */
  clone(): FdTable {
    const copy = new FdTable();
    for (let fd = 0; fd < NOFILE; fd++) {
      const file = this.files[fd];
      if (!file) continue;
      file.refs++;
      copy.files[fd] = file;
      copy.cloexec[fd] = this.cloexec[fd]!;
    }
    return copy;
  }

  /** Closes the descriptors marked close-on-exec. */
  closeOnExec(): void {
    for (let fd = 0; fd < NOFILE; fd++) if (this.cloexec[fd]) this.close(fd);
  }

  /** Closes every descriptor (process exit). */
  closeAll(): void {
    for (let fd = 0; fd < NOFILE; fd++) if (this.files[fd]) this.close(fd);
  }

  /** How many descriptors are open. */
  get openCount(): number {
    return this.files.filter((f) => f !== null).length;
  }
}

/** Drops one reference to `file`, releasing it on the last. */
export function release(file: OpenFile): void {
  file.refs--;
  if (file.refs === 0) file.ops.release?.(file);
}
