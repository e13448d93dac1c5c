// setpgid(pid, pgid): moves the caller or one of its children into a process group.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { toInt } from './helpers.ts';

/** 0, or -EINVAL (negative pgid), -ESRCH (not the caller or its child), -EPERM (no such group to join). */
export const sysSetpgid: SyscallHandler = (k, p, [pid, pgid]) => {
  const who = toInt(pid!);
  let group = toInt(pgid!);
  if (group < 0) return -E.EINVAL;
  const target = who === 0 || who === p.pid ? p : [...p.children].find((c) => c.pid === who);
  if (!target || target.state === 'zombie') return -E.ESRCH;
  if (group === 0) group = target.pid;
  if (group !== target.pid && ![...k.processes.values()].some((q) => q.pgid === group && q.state !== 'zombie')) return -E.EPERM;
  target.pgid = group;
  return 0;
};
