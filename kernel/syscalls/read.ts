// read(fd, buf, count): bytes from a file, pipe or the console into user memory.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf } from './helpers.ts';

/** How many bytes were read (0 at end of file), -EBADF, -EFAULT (nothing consumed), -EISDIR, or blocks. */
export const sysRead: SyscallHandler = (k, p, [fd, buf, count]) => {
  const file = fileOf(p, fd!);
  if (!file || !file.readable) return -E.EBADF;
  if (count === 0) return 0;
  // Checked before reading so that a bad buffer never swallows pipe or console input.
  if (!k.writableRange(p, buf!, count!)) return -E.EFAULT;
  const got = file.ops.read(file, count!);
  if (typeof got === 'number') return got;
  if (!(got instanceof Uint8Array)) return got;
  const r = k.copyOut(p, buf!, got);
  return r < 0 ? r : got.length;
};
