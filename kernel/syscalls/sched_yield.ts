// sched_yield(): the caller goes to the back of the run queue.
import type { SyscallHandler } from './dispatch.ts';

/** Always 0; the next runnable process (if any) runs before the caller continues. */
export const sysSchedYield: SyscallHandler = (_k, p) => {
  p.yielded = true;
  return 0;
};
