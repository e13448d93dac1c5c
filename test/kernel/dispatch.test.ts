import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { Dispatcher, type SyscallEntry } from '../../kernel/syscalls/dispatch.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
import { DATA, Harness } from './helpers/harness.ts';

describe('the dispatcher', () => {
  const h = new Harness();
  const size = h.kernel.dispatcher.size;

  it('spans the table up to the highest number, and every hole answers ENOSYS', () => {
    expect(size).toBe(Math.max(...SYSCALLS.map((s) => s.i386)) + 1);
    for (let nr = 0; nr < size; nr++) {
      if (SYSCALLS.some((s) => s.i386 === nr)) continue;
      expect(h.sys(nr), `number ${nr}`).toBe(-E.ENOSYS);
    }
  });

  it.each([
    ['-1', -1], ['0xffffffff', 0xffffffff], ['the table size', size], ['one past it', size + 1], ['0x80000000', 0x80000000], ['0', 0],
  ])('answers ENOSYS for %s', (_label, nr) => {
    expect(h.kernel.dispatcher.lookup(nr)).toBeNull();
    expect(h.sys(nr)).toBe(-E.ENOSYS);
  });

  it('fails with EFAULT, without running the routine, when an argument cannot be fetched', () => {
    let ran = 0;
    const entry: SyscallEntry = { name: 'probe', i386: 5, x86_64: null, args: [{ name: 'a', kind: 'int' }, { name: 'b', kind: 'int' }], category: 'process', summary: '', handler: () => ++ran };
    const d = new Dispatcher([entry], 'i386');
    const stackAbiFault = (i: number) => (i === 1 ? null : 7);
    expect(d.dispatch(h.kernel, h.current, 5, stackAbiFault).outcome).toBe(-E.EFAULT);
    expect(ran).toBe(0);
    expect(d.dispatch(h.kernel, h.current, 5, () => 7).outcome).toBe(1);
  });

  it('calls the routine exactly once with unsigned arguments, and numbers x86_64 by its own column', () => {
    const seen: number[][] = [];
    const entry: SyscallEntry = { name: 'probe', i386: 3, x86_64: 0, args: [{ name: 'a', kind: 'int' }], category: 'process', summary: '', handler: (_k, _p, a) => (seen.push([...a]), 0) };
    const d32 = new Dispatcher([entry], 'i386');
    const d64 = new Dispatcher([entry], 'x86_64');
    d32.dispatch(h.kernel, h.current, 3, () => -1);
    d64.dispatch(h.kernel, h.current, 0, () => 5);
    expect(seen).toEqual([[0xffffffff], [5]]);
    expect(d64.dispatch(h.kernel, h.current, 3, () => 0).outcome).toBe(-E.ENOSYS);
  });

  it('keeps only the low 32 bits of C int arguments from 64-bit registers, and whole pointers', () => {
    const seen: number[][] = [];
    const entry: SyscallEntry = {
      name: 'probe', i386: 0, x86_64: 0, category: 'process', summary: '',
      args: [{ name: 'fd', kind: 'fd' }, { name: 'buf', kind: 'ptr' }], handler: (_k, _p, a) => (seen.push([...a]), 0),
    };
    const d64 = new Dispatcher([entry], 'x86_64');
    const wide = 2 ** 52 + 0xfffffffe; // a sign-extended -2 in rdi, as the x86_64 fetcher reports it
    d64.dispatch(h.kernel, h.current, 0, (i) => (i === 0 ? wide : 0x7ffc12345678));
    expect(seen).toEqual([[0xfffffffe, 0x7ffc12345678]]);
  });

  it('runs getpid through the real table', () => {
    expect(h.sys('getpid')).toBe(h.init.pid);
    expect(h.sys('getppid')).toBe(0);
    expect(h.sys('write', 1, DATA, 0)).toBe(0);
  });
});
