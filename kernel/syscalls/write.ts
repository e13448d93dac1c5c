// write(fd, buf, count): bytes from user memory to a file, pipe or the console.
import { E } from '../errno.ts';
import { fromProcess } from '../proc/siginfo.ts';
import { SIG } from '../proc/signals.ts';
import { isBlocked } from '../proc/wait-queue.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf } from './helpers.ts';

/**
 * How many bytes were written, -EBADF, -EFAULT (nothing written), or -EPIPE with SIGPIPE when a
 * pipe has no reader. A write to a full pipe blocks and continues where it stopped when woken,
 * so a blocking write returns only when all of it has gone (or the readers are gone).
 */
export const sysWrite: SyscallHandler = (k, p, [fd, buf, count]) => {
  const file = fileOf(p, fd!);
  if (!file || !file.writable) return -E.EBADF;
  if (count === 0) return 0;
  const start = p.restartData ?? 0;
  const data = k.copyIn(p, buf! + start, count! - start);
  if (typeof data === 'number') return data;
  let done = start;
  while (done < count!) {
    const r = file.ops.write(file, data.subarray(done - start));
    if (isBlocked(r)) {
      p.restartData = done;
      return r;
    }
    if (r < 0) {
      if (r === -E.EPIPE) k.signal(p, SIG.SIGPIPE, false, fromProcess(p.pid));
      return done > 0 ? done : r;
    }
    done += r;
  }
  return done;
};
