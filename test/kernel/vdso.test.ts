import { describe, expect, it } from 'vitest';
import { AT } from '../../kernel/proc/initial-stack.ts';
import { VVAR } from '../../kernel/proc/vdso.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { elf32 } from './helpers/elf.ts';
import { BOOT_EPOCH, DATA, Harness } from './helpers/harness.ts';

const VSYSCALL = Uint8Array.of(0xcd, 0x80, 0xc3); // int 0x80; ret: the simplest __kernel_vsyscall

function harness() {
  return new Harness({
    initramfs: packInitramfs([{ path: '/bin/p', data: elf32(Uint8Array.of(0xeb, 0xfe)), perm: 0o755 }]),
    vdso: (frames, mem) => {
      const frame = frames.alloc()!;
      mem.bytes.set(VSYSCALL, frame + 0x20);
      return { frames: [frame], entryOffset: 0x20, isElf: false };
    },
  });
}

function auxv(h: Harness): Map<number, number> {
  const esp = h.arch.regsOf(h.current).esp;
  let at = esp + 4;
  while (h.peek32(at) !== 0) at += 4; // argv
  at += 4;
  while (h.peek32(at) !== 0) at += 4; // envp
  at += 4;
  const map = new Map<number, number>();
  for (; h.peek32(at) !== AT.NULL; at += 8) map.set(h.peek32(at), h.peek32(at + 4));
  return map;
}

describe('vDSO', () => {
  it('maps the image read-only into every program and passes AT_SYSINFO first', () => {
    const h = harness();
    expect(h.sys('execve', h.str(DATA, '/bin/p'), 0, 0)).toBe(0);
    const esp = h.arch.regsOf(h.current).esp;
    expect(h.peek32(esp + 12)).toBe(AT.SYSINFO); // argc, NULL argv end, NULL envp end, then auxv
    const sysinfo = auxv(h).get(AT.SYSINFO)!;
    expect(auxv(h).has(AT.SYSINFO_EHDR)).toBe(false);
    expect(h.peek(sysinfo, 3)).toEqual(VSYSCALL);
    expect(h.current.space!.probe(sysinfo, true)).toBe(-1);
    expect(h.current.space!.probe(sysinfo, false)).toBeGreaterThan(0);
  });

  it('publishes the time in the vvar page below the image at every tick', () => {
    const h = harness();
    h.sys('execve', h.str(DATA, '/bin/p'), 0, 0);
    const vvar = (auxv(h).get(AT.SYSINFO)! & ~0xfff) - 4096;
    h.clock.advance(2_250_000_000);
    h.kernel.timerTick();
    expect(h.peek32(vvar + VVAR.seq) % 2).toBe(0);
    expect(h.peek32(vvar + VVAR.realtimeSec)).toBe(BOOT_EPOCH + 2);
    expect(h.peek32(vvar + VVAR.monotonicSec)).toBe(2);
    expect(h.peek32(vvar + VVAR.monotonicNsec)).toBe(250_000_000);
  });

  it('publishes the time on every way out of the kernel, so user mode never reads one earlier than a call answered', () => {
    const h = harness();
    h.sys('execve', h.str(DATA, '/bin/p'), 0, 0);
    const vvar = (auxv(h).get(AT.SYSINFO)! & ~0xfff) - 4096;
    h.clock.advance(1_234_567);
    h.sys('getpid');
    expect(h.peek32(vvar + VVAR.monotonicSec) * 1e9 + h.peek32(vvar + VVAR.monotonicNsec)).toBe(h.clock.now());
  });

  it('shares the pages across fork and returns every frame after exit', () => {
    const h = harness();
    h.sys('execve', h.str(DATA, '/bin/p'), 0, 0);
    const start = h.frames.freeCount;
    const child = h.sys('fork');
    h.sys('sched_yield');
    expect(h.current.pid).toBe(child);
    h.call('exit', 0);
    expect(h.sys('waitpid', child, 0, 0)).toBe(child);
    expect(h.frames.freeCount).toBe(start);
    expect(h.frames.refCount(h.kernel.vdso!.vvarFrame)).toBe(2); // the kernel's and init's
  });
});
