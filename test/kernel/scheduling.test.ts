import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { TIME_SLICE_TICKS } from '../../kernel/kernel.ts';
import { SIG } from '../../kernel/proc/signals.ts';
import { Strace } from '../../kernel/trace/strace.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { elf32 } from './helpers/elf.ts';
import { DATA, Harness, RODATA } from './helpers/harness.ts';

function timespec(h: Harness, va: number, sec: number, nsec: number): number {
  h.poke(va, new Uint8Array(new Int32Array([sec, nsec]).buffer));
  return va;
}

describe('round-robin scheduling', () => {
  it('preempts the running process every time slice, in fork order', () => {
    const h = new Harness();
    const a = h.sys('fork');
    const b = h.sys('fork');
    const seen: number[] = [];
    for (let slice = 0; slice < 6; slice++) {
      seen.push(h.current.pid);
      for (let t = 0; t < TIME_SLICE_TICKS; t++) h.kernel.timerTick();
    }
    expect(seen).toEqual([1, a, b, 1, a, b]);
  });

  it('sched_yield with nothing else runnable keeps running the caller', () => {
    const h = new Harness();
    const switches = h.arch.switches.length;
    expect(h.sys('sched_yield')).toBe(0);
    expect(h.current.pid).toBe(1);
    expect(h.arch.switches.length).toBe(switches);
  });
});

describe('nanosleep', () => {
  it('sleeps for the virtual interval and idles while nothing else runs', () => {
    const h = new Harness();
    const sleep = h.call('nanosleep', timespec(h, DATA, 1, 500_000_000), 0);
    expect(sleep.value).toBe('blocked');
    expect(h.kernel.current).toBeNull();
    h.clock.advance(1_499_999_999);
    h.kernel.timerTick();
    expect(sleep.value).toBe('blocked');
    h.clock.advance(1);
    h.kernel.timerTick();
    expect(sleep.value).toBe(0);
    expect(h.current.pid).toBe(1);
  });

  it('rejects bad intervals and returns at once for zero', () => {
    const h = new Harness();
    expect(h.sys('nanosleep', timespec(h, DATA, 0, 1_000_000_000), 0)).toBe(-E.EINVAL);
    expect(h.sys('nanosleep', timespec(h, DATA, -1, 0), 0)).toBe(-E.EINVAL);
    expect(h.sys('nanosleep', timespec(h, DATA, 0, -1), 0)).toBe(-E.EINVAL);
    expect(h.sys('nanosleep', timespec(h, DATA, 0, 0), 0)).toBe(0);
  });
});

describe('user page faults', () => {
  it('copies a copy-on-write page on a write fault, and kills with SIGSEGV on a bad access', () => {
    const h = new Harness();
    h.poke(DATA, 'shared');
    const child = h.sys('fork');
    expect(h.kernel.userPageFault(DATA, true)).toBe(true);
    expect(h.init.space!.probe(DATA, true)).not.toBe(h.kernel.processes.get(child)!.space!.probe(DATA, false));
    h.sys('sched_yield');
    expect(h.current.pid).toBe(child);
    expect(h.kernel.userPageFault(RODATA, true)).toBe(false);
    expect(h.current.pid).toBe(1);
    expect(h.sys('waitpid', child, DATA + 0x100, 0)).toBe(child);
    expect(h.peek32(DATA + 0x100)).toBe(SIG.SIGSEGV);
  });
});

describe('tracing across blocking and exec', () => {
  it('prints a blocked call once, when it completes, and decodes execve\'s arguments before the exec', () => {
    const prog = packInitramfs([{ path: '/bin/p', data: elf32(Uint8Array.of(0xeb, 0xfe)), perm: 0o755 }]);
    const h = new Harness({ initramfs: prog });
    const lines: string[] = [];
    h.kernel.tracer.global = new Strace(h.kernel, (l) => lines.push(l));
    h.sys('pipe', DATA);
    const child = h.sys('fork');
    h.call('read', 3, DATA + 0x100, 10);
    h.poke(DATA + 0x200, 'ok');
    h.sys('write', 4, DATA + 0x200, 2);
    const argv = DATA + 0x300;
    h.str(DATA + 0x400, 'p');
    h.poke(argv, new Uint8Array(new Uint32Array([DATA + 0x400, 0, 0]).buffer));
    h.sys('execve', h.str(DATA + 0x500, '/bin/p'), argv, argv + 4);
    h.sys('sched_yield');
    expect(lines).toEqual([
      'pipe([3, 4]) = 0',
      `fork() = ${child}`,
      'write(4, "ok", 2) = 2',
      `execve("/bin/p", ["p"], 0x${(argv + 4).toString(16)} /* 0 vars */) = 0`,
      'sched_yield() = 0',
      'read(3, "ok", 10) = 2',
    ]);
  });
});

describe('user exceptions', () => {
  it.each([[0, SIG.SIGFPE], [6, SIG.SIGILL], [13, SIG.SIGSEGV], [3, SIG.SIGTRAP], [17, SIG.SIGBUS]])('vector %d kills the program with signal %d', (vector, sig) => {
    const h = new Harness();
    const child = h.sys('fork');
    h.sys('sched_yield');
    expect(h.kernel.userException(vector)).toBe(sig);
    expect(h.current.pid).toBe(1);
    expect(h.sys('waitpid', child, DATA, 0)).toBe(child);
    expect(h.peek32(DATA)).toBe(sig);
  });

  it('leaves machine-level vectors to the architecture', () => {
    const h = new Harness();
    expect(h.kernel.userException(8)).toBeNull();
    expect(h.kernel.userException(2)).toBeNull();
  });
});
