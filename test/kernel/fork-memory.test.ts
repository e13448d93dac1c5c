// fork when physical memory runs out: whichever allocation fails (the child's page tables or
// its kernel stack), fork answers ENOMEM and leaves no frame, process or descriptor behind.
import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { exitProcess, reap } from '../../kernel/proc/lifecycle.ts';
import { Harness } from './helpers/harness.ts';

/** Takes free frames until only `left` remain; returns them for giving back. */
function hold(h: Harness, left: number): number[] {
  const held: number[] = [];
  while (h.frames.freeCount > left) held.push(h.frames.alloc()!);
  return held;
}

describe('fork without memory', () => {
  it('answers ENOMEM and gives every frame back, whichever allocation fails', () => {
    const h = new Harness();
    h.arch.stackFrames = h.frames;
    const start = h.frames.freeCount;
    const pid = h.sys('fork');
    expect(pid).toBeGreaterThan(0);
    // The frames one fork takes: the child's page directory and tables, then its kernel stack.
    const cost = start - h.frames.freeCount;
    expect(cost).toBeGreaterThan(1);
    const files = h.init.files;
    for (let left = 0; left < cost; left++) {
      const held = hold(h, left);
      const processes = h.kernel.processes.size;
      expect(h.sys('fork')).toBe(-E.ENOMEM);
      expect(h.frames.freeCount).toBe(left);
      expect(h.kernel.processes.size).toBe(processes);
      expect(h.init.children.size).toBe(1);
      held.forEach((pa) => h.frames.unref(pa));
    }
    expect(h.init.files).toBe(files);
    const child = h.kernel.processes.get(pid)!;
    exitProcess(h.kernel, child, 0);
    reap(h.kernel, child);
    expect(h.frames.freeCount).toBe(start);
  });
});
