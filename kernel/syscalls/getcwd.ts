// getcwd(buf, size): the working directory's absolute path, NUL-terminated.
import { E } from '../errno.ts';
import { latin1Bytes } from '../tty/console.ts';
import type { SyscallHandler } from './dispatch.ts';

/** The length including the NUL, or -ERANGE (too small), -ENOENT (directory removed), -EFAULT. */
export const sysGetcwd: SyscallHandler = (k, p, [buf, size]) => {
  const path = k.fs.pathOf(p.cwd);
  if (typeof path === 'number') return path;
  const bytes = latin1Bytes(`${path}\0`);
  if (size! < bytes.length) return -E.ERANGE;
  const r = k.copyOut(p, buf!, bytes);
  return r < 0 ? r : bytes.length;
};
