// clock_gettime(clockid, tp): a clock's time in seconds and nanoseconds.
import { E } from '../errno.ts';
import { clockNs } from '../time/clock.ts';
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** 0, or -EINVAL (unknown clock), -EFAULT. */
export const sysClockGettime: SyscallHandler = (k, p, [clockid, tp]) => {
  const ns = clockNs(k.clock, k.bootEpochSeconds, toInt(clockid!));
  if (ns === null) return -E.EINVAL;
  return k.copyOut(p, tp!, k.abi.encodeTimePair(Math.floor(ns / 1e9), ns % 1e9));
};
