// time(tloc): seconds since the Epoch, also stored at tloc when it is not NULL.
import type { SyscallHandler } from './dispatch.ts';

/** The time, or -EFAULT. */
export const sysTime: SyscallHandler = (k, p, [tloc]) => {
  const now = k.epochSeconds();
  if (tloc !== 0) {
    const r = k.copyOut(p, tloc!, k.abi.encodeLong(now));
    if (r < 0) return r;
  }
  return now;
};
