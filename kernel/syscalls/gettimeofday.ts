// gettimeofday(tv, tz): wall-clock time from the virtual clock; the time zone is always UTC.
import { E } from '../errno.ts';
import { CLOCK, clockNs } from '../time/clock.ts';
import type { SyscallHandler } from './dispatch.ts';

/** 0, or -EFAULT with nothing written. Either pointer may be NULL. */
export const sysGettimeofday: SyscallHandler = (k, p, [tv, tz]) => {
  const tzBytes = k.abi.structSize('timezone');
  // Both checked first: a bad tz must not leave tv written (no partial side effect).
  if (tv !== 0 && !k.writableRange(p, tv!, k.abi.structSize('timeval'))) return -E.EFAULT;
  if (tz !== 0 && !k.writableRange(p, tz!, tzBytes)) return -E.EFAULT;
  const ns = clockNs(k.clock, k.bootEpochSeconds, CLOCK.REALTIME)!;
  if (tv !== 0) {
    const r = k.copyOut(p, tv!, k.abi.encodeTimePair(Math.floor(ns / 1e9), Math.floor((ns % 1e9) / 1e3)));
    if (r < 0) return r;
  }
  if (tz !== 0) return k.copyOut(p, tz!, new Uint8Array(tzBytes));
  return 0;
};
