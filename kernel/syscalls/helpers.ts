// Small pieces several service routines share.
import { E } from '../errno.ts';
import type { OpenFile } from '../fs/file.ts';
import { S_IFMT, S_IFREG, type Inode } from '../fs/inode.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { StatInfo } from './abi.ts';

/** An argument as a C int (registers arrive unsigned). */
export function toInt(value: number): number {
  return value | 0;
}

/** The open file behind descriptor argument `fd`, or null (the caller answers EBADF). */
export function fileOf(p: Process, fd: number): OpenFile | null {
  return p.files.get(toInt(fd));
}

/** The status of `inode` as stat reports it. */
export function statOf(inode: Inode): StatInfo {
  const size = (inode.mode & S_IFMT) === S_IFREG ? inode.size : 0;
  return {
    dev: 1, ino: inode.ino, mode: inode.mode, nlink: inode.nlink, uid: 0, gid: 0, rdev: inode.rdev,
    size, blksize: 4096, blocks: Math.ceil(size / 512), atime: inode.mtime, mtime: inode.mtime, ctime: inode.mtime,
  };
}

/** Most bytes one argument or environment string may have (Linux's MAX_ARG_STRLEN, 32 pages). */
export const MAX_ARG_STRLEN = 32 * 4096;

/** A NULL-terminated array of user string pointers (argv, envp); NULL itself is an empty array. */
export function readStringArray(k: Kernel, p: Process, va: number, maxTotal: number): string[] | number {
  const out: string[] = [];
  if (va === 0) return out;
  const w = k.abi.wordBytes;
  let total = 0;
  for (let i = 0; ; i++) {
    const raw = k.copyIn(p, va + i * w, w);
    if (typeof raw === 'number') return raw;
    const pointer = k.abi.decodePointer(raw);
    if (pointer === 0) return out;
    const text = k.readString(p, pointer, MAX_ARG_STRLEN);
    if (typeof text === 'number') return text === -E.ENAMETOOLONG ? -E.E2BIG : text;
    total += text.length + 1 + w;
    if (total > maxTotal) return -E.E2BIG;
    out.push(text);
  }
}
