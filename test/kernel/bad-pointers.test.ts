// Driven by the syscall table: every user-pointer argument of every call is given bad addresses
// while the other arguments are valid, and the call must answer -EFAULT.
import { describe, expect, it } from 'vitest';
import { KERNEL_BASE } from '../../kernel/arch/i386/address-space.ts';
import { E } from '../../kernel/errno.ts';
import { O_DIRECTORY, O_RDONLY } from '../../kernel/fs/file.ts';
import type { ArgSpec } from '../../kernel/syscalls/spec.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
import { DATA, DATA_PAGES, Harness } from './helpers/harness.ts';

const POINTER_KINDS = new Set<ArgSpec['kind']>(['string', 'inbuf', 'outbuf', 'instruct', 'outstruct', 'strarray']);

/** Pointer arguments a bad value cannot reach in a simple call, and why. */
const UNREACHABLE: Record<string, string> = {
  'waitpid.wstatus': 'written only when a child has exited (processes.test.ts covers it)',
  'wait4.wstatus': 'written only when a child has exited (processes.test.ts covers it)',
  'wait4.rusage': 'written only when a child has exited',
  'nanosleep.rem': 'written only when the sleep is interrupted, as on Linux',
};

const BAD: [string, number][] = [
  ['unmapped', 0x30000000],
  ['kernel', KERNEL_BASE + 0x1000],
  ['running off the mapped area', DATA + DATA_PAGES * 4096 - 2],
];

const cases = SYSCALLS.flatMap((s) =>
  s.args.flatMap((a, i) => (POINTER_KINDS.has(a.kind) && !UNREACHABLE[`${s.name}.${a.name}`] ? [{ s, a, i }] : [])));

describe('every user pointer argument faults cleanly', () => {
  it.each(cases.flatMap((c) => BAD.map(([label, va]) => ({ ...c, label, va }))))('$s.name($a.name = $label) answers EFAULT', ({ s, i, va }) => {
    const h = new Harness();
    // Valid values for everything else: a directory path, a directory descriptor for getdents,
    // the console otherwise, a readable timespec, small lengths.
    const path = h.str(DATA, '/tmp');
    h.poke(DATA + 0x100, new Uint8Array(new Int32Array([0, 1]).buffer));
    const dir = h.sys('open', path, O_RDONLY | O_DIRECTORY, 0);
    h.sys('chdir', path); // getcwd then needs more than the 2 bytes left before the unmapped page
    const args = s.args.map((a) => {
      switch (a.kind) {
        case 'fd': return s.name === 'getdents' ? dir : 1;
        case 'string': return path;
        case 'uint': return a.name === 'sigsetsize' ? 8 : 16;
        case 'instruct': return DATA + 0x100;
        case 'inbuf': case 'outbuf': case 'outstruct': return DATA + 0x200;
        case 'strarray': return 0;
        case 'signal': return 10;
        default: return 0;
      }
    });
    // A string running off the mapped area must not find its NUL first.
    if (s.args[i]!.kind === 'string' || s.args[i]!.kind === 'strarray') h.poke(DATA + DATA_PAGES * 4096 - 2, 'ab');
    args[i] = va;
    expect(h.sys(s.i386, ...args)).toBe(-E.EFAULT);
  });

  it('covers every pointer argument of the table except the documented ones', () => {
    const all = SYSCALLS.flatMap((s) => s.args.filter((a) => POINTER_KINDS.has(a.kind)).map((a) => `${s.name}.${a.name}`));
    expect(cases.length + Object.keys(UNREACHABLE).length).toBe(all.length);
  });
});

describe('a call with two outputs writes neither when one is bad', () => {
  it('gettimeofday with a bad tz leaves tv as it was (found by the guest badptr test)', () => {
    const h = new Harness();
    h.poke(DATA, new Uint8Array(8).fill(0x61));
    expect(h.sys('gettimeofday', DATA, 0x30000000)).toBe(-E.EFAULT);
    expect([...h.peek(DATA, 8)]).toEqual(new Array(8).fill(0x61));
  });
});
