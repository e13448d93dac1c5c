import { describe, expect, it } from 'vitest';
import { x86_64Abi } from '../../kernel/arch/x86_64/abi.ts';
import { E } from '../../kernel/errno.ts';
import { O_RDONLY } from '../../kernel/fs/file.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { DATA, Harness } from './helpers/harness.ts';

// The same table, dispatcher, processes and files serve the x86_64 ABI: only the numbers and
// the structure layouts change. (Its address spaces come with the long-mode port; these tests
// reuse i386 ones, which is invisible to the service routines.)
describe('the core with the x86_64 ABI', () => {
  const h = new Harness({ abi: x86_64Abi, initramfs: packInitramfs([{ path: '/etc/motd', data: new TextEncoder().encode('hello'), perm: 0o644 }]) });
  const u64 = (va: number) => Number(new DataView(h.peek(va, 8).buffer).getBigUint64(0, true));

  it('dispatches by x86_64 numbers, and i386-only numbers are holes', () => {
    expect(h.sys(39)).toBe(1); // getpid
    expect(h.sys(110)).toBe(0); // getppid
    expect(h.sys(7, 0, 0, 0)).toBe(-E.ENOSYS); // 7 is i386's waitpid; on x86_64 it is poll, which the kernel lacks
    expect(h.sys(252, 0)).toBe(-E.ENOSYS); // i386's exit_group number
  });

  it('lays out stat, timespec and dirents with 8-byte longs', () => {
    expect(h.sys('stat', h.str(DATA, '/etc/motd'), DATA + 0x100)).toBe(0);
    expect(h.peek32(DATA + 0x100 + 24)).toBe(0o100644); // st_mode after the 8-byte st_nlink
    expect(u64(DATA + 0x100 + 48)).toBe(5); // st_size
    h.clock.advance(3_000_000_007);
    expect(h.sys('clock_gettime', 1, DATA + 0x200)).toBe(0);
    expect([u64(DATA + 0x200), u64(DATA + 0x208)]).toEqual([3, 7]);
    const dir = h.sys('open', h.str(DATA, '/etc'), O_RDONLY, 0);
    const n = h.sys('getdents', dir, DATA + 0x1000, 4096);
    expect(n).toBe(3 * 24); // ".", "..", "motd": 18-byte headers, name, NUL and d_type, padded to 8
    expect(new DataView(h.peek(DATA + 0x1000 + 48, 24).buffer).getUint16(16, true)).toBe(24);
    expect(h.text(DATA + 0x1000 + 48 + 18, 4)).toBe('motd');
  });

  it('reads 8-byte argv pointers for execve', () => {
    h.poke(DATA + 0x300, new Uint8Array(new BigUint64Array([BigInt(0x30000000), 0n]).buffer));
    expect(h.sys('execve', h.str(DATA, '/etc/motd'), DATA + 0x300, 0)).toBe(-E.EFAULT);
  });
});
