import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EFLAGS, userReturnEflags } from '../../kernel/arch/i386/eflags.ts';
import { ENTRY_PATHS, entryKey, entryPathByKey, entryPathOf, livePaths } from '../../kernel/arch/i386/entry-paths.ts';
import { ARG_BLOCK_VA, ARGBLOCK_VECTOR, CALL_GATE_PARAMS, Gdt, Msr, STACK_SYSCALL_VECTOR } from '../../kernel/arch/i386/layout.ts';
import { ArgBlock, blockArgs, blockResult, eaxEdxResult, gateArgs, I386_MECHANISMS, int80Syscall, loadSysenterArg6, stackArgs } from '../../kernel/arch/i386/syscall-abis.ts';
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

  it('argument block: {function, arg1..arg3, result, arg4..arg6} in user memory', () => {
    const h = new Harness();
    h.poke(DATA, new Uint8Array(new Uint32Array([numberOf('getpid'), 0, 0, 0, 0]).buffer));
    const call = blockArgs(h.kernel, h.current, DATA)!;
    h.kernel.syscall(call.nr, call.fetch, blockResult(h.kernel, h.current, DATA), 'argblock');
    expect(h.peek32(DATA + 16)).toBe(1);
    expect(blockArgs(h.kernel, h.current, 0x30000000)).toBeNull();
    h.poke(DATA, new Uint8Array(new Uint32Array([numberOf('wait4'), 11, 12, 13, 0, 14, 15, 16]).buffer));
    const fetch = blockArgs(h.kernel, h.current, DATA)!.fetch;
    expect([0, 1, 2, 3, 4, 5, 6].map(fetch)).toEqual([11, 12, 13, 14, 15, 16, null]);
  });

  it('call gate: the arguments are the dwords the CPU copied, which the stub leaves just below the frame', () => {
    const h = new Harness();
    const f = frame(h);
    for (let i = 0; i < CALL_GATE_PARAMS; i++) h.mem.write32(f.base - 4 * CALL_GATE_PARAMS + 4 * i, 100 + i);
    const fetch = gateArgs(h.kernel, f);
    expect([0, 1, 2, 3, 4, 5, 6].map(fetch)).toEqual([100, 101, 102, 103, 104, 105, null]);
  });
});

describe('the entry paths of the i386 kernel', () => {
  it('are mechanisms of I386_MECHANISMS, each through its own gate and stub, named by its own key', () => {
    expect(I386_MECHANISMS).toEqual(expect.arrayContaining(ENTRY_PATHS.map((p) => p.mechanism)));
    expect(ENTRY_PATHS.map((p) => p.mechanism)).toEqual(['int80', 'stack', 'callgate', 'argblock', 'sysenter']);
    const keys = ENTRY_PATHS.map(entryKey);
    expect(keys).toEqual([0x80, STACK_SYSCALL_VECTOR, Gdt.CALL_GATE, ARGBLOCK_VECTOR, Msr.SYSENTER_EIP]);
    expect(keys.map((key) => entryPathByKey(key))).toEqual(ENTRY_PATHS);
    expect(new Set(ENTRY_PATHS.map((p) => p.stub)).size).toBe(keys.length);
  });

  it('offer sysenter only on a CPU with SEP', () => {
    expect(livePaths(true)).toEqual(ENTRY_PATHS);
    expect(livePaths(false).map((p) => p.mechanism)).toEqual(['int80', 'stack', 'callgate', 'argblock']);
  });

  it('agree with the userland include of each mechanism on vectors, selector, addresses and offsets', () => {
    const constant = (abi: string, name: string): number => {
      const text = readFileSync(`userland/include/abi/${abi}.inc`, 'utf8');
      const m = new RegExp(`^(?:%define\\s+${name}\\s+|${name}\\s+equ\\s+)([^;\\n]+)`, 'm').exec(text);
      if (!m) throw new Error(`${name} not in abi/${abi}.inc`);
      return Function(`return (${m[1]!.trim()})`)() as number;
    };
    expect(constant('stack', 'STACK_SYSCALL_VECTOR')).toBe(STACK_SYSCALL_VECTOR);
    expect(constant('callgate', 'CALLGATE_SELECTOR')).toBe(Gdt.CALL_GATE | 3);
    expect(constant('callgate', 'CALLGATE_PARAMS')).toBe(CALL_GATE_PARAMS);
    expect(constant('argblock', 'ARGBLOCK_VECTOR')).toBe(ARGBLOCK_VECTOR);
    expect(constant('argblock', 'ARG_BLOCK')).toBe(ARG_BLOCK_VA);
    for (const [field, offset] of Object.entries(ArgBlock)) expect([field, constant('argblock', `AB_${field.toUpperCase()}`)]).toEqual([field, offset]);
  });

  it('argument block: a process whose block is gone dies of SIGSEGV with one line, and no call is made', () => {
    const h = new Harness();
    const pid = h.sys('fork');
    for (let i = 0; i < 10 && h.current.pid !== pid; i++) h.sys('sched_yield');
    const child = h.current;
    expect(child.pid).toBe(pid);
    child.argBlock = ARG_BLOCK_VA; // as exec leaves it, but the page is not there
    const lines: string[] = [];
    entryPathOf('argblock')!.syscall(h.kernel, frame(h), (line) => lines.push(line));
    expect(lines).toEqual([`init[${pid}]: system call through int 0x82, but its argument block is unmapped or read-only (at 0x8000): killed\n`]);
    expect(child.state).toBe('zombie');
    expect(child.exitStatus & 0x7f).toBe(11);
  });

  it('return to ring 3 only with the EFLAGS a program may have: IF on, no IOPL or VM; its TF, DF, AC and NT kept', () => {
    const all = 0xffffffff;
    const out = userReturnEflags(all);
    expect(out & (EFLAGS.IOPL | EFLAGS.VM)).toBe(0);
    const kept = EFLAGS.IF | EFLAGS.TF | EFLAGS.DF | EFLAGS.AC | EFLAGS.NT | EFLAGS.CF | EFLAGS.ID;
    expect(out & kept).toBe(kept);
    expect(userReturnEflags(0)).toBe(0x202);
  });
});
