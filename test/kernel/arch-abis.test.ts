import { describe, expect, it } from 'vitest';
import { blockArgs, blockResult, eaxEdxResult, int80Syscall, loadSysenterArg6, stackArgs } from '../../kernel/arch/i386/syscall-abis.ts';
import { PT_REGS_BYTES, PtRegs, TrapFrame } from '../../kernel/arch/i386/trap-frame.ts';
import { E } from '../../kernel/errno.ts';
import { DATA, Harness, numberOf } from './helpers/harness.ts';

function frame(h: Harness): TrapFrame {
  const pa = h.frames.alloc()!;
  return new TrapFrame(h.mem, pa + 4096 - PT_REGS_BYTES);
}

describe('i386 trap frame and argument fetchers', () => {
  it('has Linux\'s pt_regs layout', () => {
    expect(PtRegs).toMatchObject({ ebx: 0, eax: 24, orig_eax: 44, eip: 48, esp: 60, ss: 64 });
    expect(TrapFrame.atKernelAddress(new Harness().mem, 0xc0123000).base).toBe(0x123000);
  });

  it('int 0x80: number in orig_eax, arguments in ebx..ebp, result in eax', () => {
    const h = new Harness();
    const f = frame(h);
    h.poke(DATA, 'hey');
    const out: string[] = [];
    h.kernel.console.attach((b) => out.push(String.fromCharCode(...b)));
    f.set('orig_eax', numberOf('write'));
    f.set('ebx', 1);
    f.set('ecx', DATA);
    f.set('edx', 3);
    int80Syscall(h.kernel, f);
    expect(f.get('eax')).toBe(3);
    expect(out).toEqual(['hey']);
    f.set('orig_eax', 0xffffffff);
    int80Syscall(h.kernel, f);
    expect(f.get('eax') | 0).toBe(-E.ENOSYS);
  });

  it('stack ABI: cdecl arguments at esp+4, errors in edx; an unreadable stack is EFAULT', () => {
    const h = new Harness();
    const f = frame(h);
    f.set('esp', DATA + 0x100);
    h.poke(DATA + 0x104, new Uint8Array(new Uint32Array([99, DATA, 3]).buffer));
    let result = 0;
    h.kernel.syscall(numberOf('write'), stackArgs(h.kernel, h.current, f), (r) => (result = r), 'stack');
    expect(result).toBe(-E.EBADF);
    eaxEdxResult(f)(result);
    expect([f.get('eax') | 0, f.get('edx')]).toEqual([-1, E.EBADF]);
    eaxEdxResult(f)(7);
    expect([f.get('eax'), f.get('edx')]).toEqual([7, 0]);
    f.set('esp', DATA + 8 * 4096 - 8);
    h.kernel.syscall(numberOf('write'), stackArgs(h.kernel, h.current, f), (r) => (result = r), 'stack');
    expect(result).toBe(-E.EFAULT);
  });

  it('sysenter: the sixth argument is the word __kernel_vsyscall pushed at the user esp; an unreadable one is EFAULT', () => {
    const h = new Harness();
    const f = frame(h);
    f.set('esp', DATA + 0x40);
    f.set('ebp', DATA + 0x40); // what the stub saw: __kernel_vsyscall's esp
    h.poke(DATA + 0x40, new Uint8Array(new Uint32Array([66]).buffer));
    expect(loadSysenterArg6(h.kernel, h.current, f)).toBe(0);
    expect(f.get('ebp')).toBe(66);
    f.set('esp', 0x30000000);
    expect(loadSysenterArg6(h.kernel, h.current, f)).toBe(-E.EFAULT);
    expect(f.get('ebp')).toBe(66);
  });

  it('argument block: {function, args, result} in user memory', () => {
    const h = new Harness();
    h.poke(DATA, new Uint8Array(new Uint32Array([numberOf('getpid'), 0, 0, 0, 0]).buffer));
    const call = blockArgs(h.kernel, h.current, DATA)!;
    h.kernel.syscall(call.nr, call.fetch, blockResult(h.kernel, h.current, DATA), 'argblock');
    expect(h.peek32(DATA + 16)).toBe(1);
    expect(blockArgs(h.kernel, h.current, 0x30000000)).toBeNull();
  });
});
