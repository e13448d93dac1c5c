// nanosleep(req, rem): sleeps for a time interval of the virtual clock.
import { E } from '../errno.ts';
import { block } from '../proc/wait-queue.ts';
import type { SyscallHandler } from './dispatch.ts';

/** 0 after the interval, or -EFAULT, -EINVAL (negative seconds, nanoseconds outside 0..999999999). */
export const sysNanosleep: SyscallHandler = (k, p, [req]) => {
  if (p.restartData !== null) return k.clock.now() >= p.restartData ? 0 : block(p.sleepWait);
  const raw = k.copyIn(p, req!, k.abi.structSize('timespec'));
  if (typeof raw === 'number') return raw;
  const { seconds, fraction } = k.abi.decodeTimePair(raw);
  if (seconds < 0 || fraction < 0 || fraction > 999_999_999) return -E.EINVAL;
  const duration = seconds * 1e9 + fraction;
  if (duration === 0) return 0;
  const deadline = k.clock.now() + duration;
  p.restartData = deadline;
  k.clock.at(deadline, () => p.sleepWait.wakeAll());
  return block(p.sleepWait);
};
