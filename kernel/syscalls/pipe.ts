// pipe(pipefd): a pipe; pipefd[0] is the read end, pipefd[1] the write end.
import { E } from '../errno.ts';
import { createPipe } from '../fs/pipe.ts';
import { encodeInt32 } from './abi.ts';
import type { SyscallHandler } from './dispatch.ts';

/** 0, or -EFAULT (no descriptors created), -EMFILE. */
export const sysPipe: SyscallHandler = (k, p, [pipefd]) => {
  const size = k.abi.structSize('fdpair');
  if (!k.writableRange(p, pipefd!, size)) return -E.EFAULT;
  if (p.files.freeCount() < 2) return -E.EMFILE;
  const [r, w] = createPipe(k.anonIno(), k.epochSeconds());
  const rfd = p.files.install(r);
  const wfd = p.files.install(w);
  const bytes = new Uint8Array(size);
  bytes.set(encodeInt32(rfd), 0);
  bytes.set(encodeInt32(wfd), 4);
  const result = k.copyOut(p, pipefd!, bytes);
  if (result < 0) {
    p.files.close(rfd);
    p.files.close(wfd);
  }
  return result;
};
