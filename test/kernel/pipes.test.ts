import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { PIPE_CAPACITY } from '../../kernel/fs/pipe.ts';
import { SIG } from '../../kernel/proc/signals.ts';
import { Strace } from '../../kernel/trace/strace.ts';
import { DATA, Harness } from './helpers/harness.ts';

const FDS = DATA + 0x100;
const BUF = DATA + 0x1000;

function pipe(h: Harness): [number, number] {
  expect(h.sys('pipe', FDS)).toBe(0);
  return [h.peek32(FDS), h.peek32(FDS + 4)];
}

describe('pipes', () => {
  it('carries bytes from the write end to the read end', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    expect([r, w]).toEqual([3, 4]);
    h.poke(BUF, 'through the pipe');
    expect(h.sys('write', w, BUF, 16)).toBe(16);
    expect(h.sys('read', r, BUF + 100, 7)).toBe(7);
    expect(h.sys('read', r, BUF + 107, 100)).toBe(9);
    expect(h.text(BUF + 100, 16)).toBe('through the pipe');
    expect(h.sys('read', w, BUF, 1)).toBe(-E.EBADF);
    expect(h.sys('write', r, BUF, 1)).toBe(-E.EBADF);
    expect(h.sys('lseek', r, 0, 0)).toBe(-E.ESPIPE);
    expect(h.sys('fstat', r, BUF)).toBe(0);
    expect(h.peek32(BUF + 8) & 0xffff).toBe(0o010600);
  });

  it('blocks a reader until a writer writes, across fork', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    const child = h.sys('fork');
    const read = h.call('read', r, BUF, 100);
    expect(read.value).toBe('blocked');
    expect(h.current.pid).toBe(child);
    h.poke(BUF + 200, 'hi');
    expect(h.sys('write', w, BUF + 200, 2)).toBe(2);
    expect(read.value).toBe('blocked'); // woken, but the child still runs
    h.sys('sched_yield');
    expect(read.value).toBe(2);
    expect(h.current.pid).toBe(1);
    expect(h.text(BUF, 2)).toBe('hi');
  });

  it('gives end of file once every write end is closed, in every process', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    const child = h.sys('fork');
    h.sys('close', w);
    const read = h.call('read', r, BUF, 10);
    expect(read.value).toBe('blocked'); // the child still holds a write end
    expect(h.current.pid).toBe(child);
    h.call('exit', 0);
    expect(read.value).toBe(0);
  });

  it('answers EPIPE and raises SIGPIPE when no reader is left', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    h.sys('close', r);
    const lines: string[] = [];
    h.kernel.tracer.global = new Strace(h.kernel, (l) => lines.push(l));
    const child = h.sys('fork');
    h.sys('sched_yield');
    expect(h.current.pid).toBe(child);
    const write = h.call('write', w, BUF, 5);
    expect(write.value).toBe(-E.EPIPE);
    expect(h.current.pid).toBe(1); // the child died of SIGPIPE on its way out
    expect(h.sys('waitpid', child, BUF, 0)).toBe(child);
    expect(h.peek32(BUF)).toBe(SIG.SIGPIPE);
    expect(lines.slice(2, 5)).toEqual([
      `write(${w}, "\\0\\0\\0\\0\\0", 5) = -1 EPIPE (Broken pipe)`,
      // Linux's pipe_write sends it as the writer itself: SI_USER from its own pid.
      `--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=${child}, si_uid=0} ---`,
      '+++ killed by SIGPIPE +++',
    ]);
  });

  it('blocks a writer when full and finishes a large write as the reader drains it', () => {
    const h = new Harness();
    h.kernel.current!.space!.mapZeroed(0x11000000, 3 * PIPE_CAPACITY, true);
    const big = 0x11000000;
    const [r, w] = pipe(h);
    const child = h.sys('fork');
    const total = PIPE_CAPACITY + 1000;
    h.poke(big + total - 4, 'tail');
    const write = h.call('write', w, big, total);
    expect(write.value).toBe('blocked');
    expect(h.current.pid).toBe(child);
    let got = 0;
    let last: Uint8Array = new Uint8Array(0);
    while (got < total) {
      const n = h.sys('read', r, big + PIPE_CAPACITY * 2, 8192);
      expect(n).toBeGreaterThan(0);
      last = h.peek(big + PIPE_CAPACITY * 2, n);
      got += n;
      if (write.value === 'blocked') h.sys('sched_yield');
      if (h.current.pid !== child) h.sys('sched_yield');
    }
    expect(got).toBe(total);
    expect(new TextDecoder().decode(last.subarray(last.length - 4))).toBe('tail');
    expect(write.value).toBe(total);
  });
});
