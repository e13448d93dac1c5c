// brk(addr): moves the end of the heap. Like Linux's system call (not libc's wrapper), it answers
// the break after the change, which is the old break when the request cannot be met.
import { pageUp } from '../mm/phys.ts';
import { STACK_SIZE } from '../proc/exec.ts';
import type { SyscallHandler } from './dispatch.ts';

/** A gap kept free between the heap and the stack. */
const STACK_GAP = 1024 * 1024;

/** The new break; the current one for brk(0), an address below the heap's start, or no memory. */
export const sysBrk: SyscallHandler = (_k, p, [addr]) => {
  const space = p.space;
  const want = addr!;
  if (!space || want < p.brkStart) return p.brk;
  const oldTop = pageUp(p.brk);
  const newTop = pageUp(want);
  if (newTop > oldTop) {
    if (newTop > space.userTop - STACK_SIZE - STACK_GAP) return p.brk;
    if (space.anyMapped(oldTop, newTop - oldTop)) return p.brk;
    if (!space.mapZeroed(oldTop, newTop - oldTop, true)) return p.brk;
  } else if (newTop < oldTop) {
    space.unmap(newTop, oldTop - newTop);
  }
  p.brk = want;
  return want;
};
