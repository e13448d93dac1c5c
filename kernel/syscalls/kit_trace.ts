// kit_trace(fd, flags): a teaching call for strace: from its next system call on, the caller and
// the children it forks afterwards are traced, and the lines (write(1, "hi\n", 3) = 3...) go to
// descriptor fd. flags KIT_TRACE_SUMMARY counts instead and writes the strace -c table to fd when
// the last traced process exits. fd = -1 stops tracing the caller.
import { E } from '../errno.ts';
import { TraceSession } from '../trace/session.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf, toInt } from './helpers.ts';

/** Count calls and print the summary table at the end, as strace -c. */
export const KIT_TRACE_SUMMARY = 1;

/** 0, or -EBADF (fd not open for writing), -EINVAL (unknown flags). */
export const sysKitTrace: SyscallHandler = (k, p, [fd, flags]) => {
  if (flags! & ~KIT_TRACE_SUMMARY) return -E.EINVAL;
  if (toInt(fd!) === -1) {
    p.trace?.leave(p, null);
    return 0;
  }
  const file = fileOf(p, fd!);
  if (!file || !file.writable) return -E.EBADF;
  new TraceSession(k, file, (flags! & KIT_TRACE_SUMMARY) !== 0).join(p);
  return 0;
};
