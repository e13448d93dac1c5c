// sysenter/sysexit on the i386 kernel: the MSRs, which way each return leaves (sysexit when the
// frame is still the call's, iret after fork, execve and signal delivery), and what a program
// can do wrong on the way in (no user stack, TF, NT) without the kernel faulting. The raw
// program test/boot-kernel/programs/sysenter.asm makes its calls with its own sysenter.
import { beforeAll, describe, expect, it } from 'vitest';
import { entryPathOf } from '../../kernel/arch/i386/entry-paths.ts';
import { Bridge, Gdt, Msr, SYSCALL_VECTOR } from '../../kernel/arch/i386/layout.ts';
import { TrapFrame } from '../../kernel/arch/i386/trap-frame.ts';
import { KERNEL_BASE } from '../../kernel/arch/i386/address-space.ts';
import { sepUsable } from '../../kernel/arch/i386/sysenter.ts';
import { Vector } from '../../kernel/arch/exceptions.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, bootedMachine, buildTestSystem, type TestMachine } from './machine.ts';

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);
const booted = (): TestMachine => bootedMachine(build);

/** One way out of the kernel: what came in, which process resumes where, and whether with sysexit. */
interface Exit {
  /** For a system call, its entry path as the stub named it in ECX: int 0x80's vector, SYSENTER_EIP's MSR...; else null. */
  readonly via: number | null;
  /** The call's number for system calls (the frame's orig_eax). */
  readonly nr: number;
  /** The call's result (the entry frame's eax afterwards). */
  readonly result: number;
  readonly from: number;
  readonly to: number;
  readonly eip: number;
  readonly sysexit: boolean;
}

/** Records every bridge call's way out from now on. */
function watchExits(m: TestMachine): Exit[] {
  const exits: Exit[] = [];
  const bridge = m.pc.cpu.nativeHandler!;
  const at = (name: string): number => build.kernel.symbols[name]! - KERNEL_BASE;
  m.pc.cpu.nativeHandler = (cpu) => {
    const service = cpu.regs[0]!;
    const k = m.system.kernel;
    const syscall = service === Bridge.SYSCALL;
    const via = syscall ? cpu.regs[1]! : null;
    const entry = syscall ? TrapFrame.atKernelAddress(k!.mem, cpu.regs[3]! >>> 0) : null;
    const nr = entry ? entry.get('orig_eax') : -1;
    const from = k?.current?.pid ?? 0;
    bridge(cpu);
    const resumed = TrapFrame.atKernelAddress(k!.mem, m.pc.memory.read32(at('cpu_area.return_esp')));
    exits.push({
      via, nr, result: entry ? entry.get('eax') | 0 : 0, from, to: k?.current?.pid ?? 0, eip: resumed.get('eip'),
      sysexit: m.pc.memory.read32(at('cpu_area.sysexit')) !== 0,
    });
  };
  return exits;
}

/** The landing pad's address (the vDSO is at the same place in every process): where a sysenter call returns. */
function landingPad(m: TestMachine): number {
  const exits = watchExits(m);
  m.command('sysenter regs');
  return exits.find((e) => e.via === Msr.SYSENTER_EIP)!.eip;
}

describe('sysenter on the i386 kernel', () => {
  it('trusts CPUID SEP except on the Pentium Pro, which reports it without the instructions (Intel only)', () => {
    const SEP = 1 << 11;
    expect(sepUsable('GenuineIntel', 0x633, SEP)).toBe(true); // the emulated Intel part
    expect(sepUsable('GenuineIntel', 0x612, SEP)).toBe(false); // a Pentium Pro: family 6, model 1, stepping 2
    expect(sepUsable('AuthenticAMD', 0x622, SEP)).toBe(true); // K7: family 6, model 2, stepping 2
    expect(sepUsable('GenuineIntel', 0x633, 0)).toBe(false);
  });

  it('programs the SYSENTER MSRs at boot: kernel code, a small entry stack, the stub of its entry path', () => {
    const m = booted();
    expect(m.pc.cpu.sysenterCs).toBe(Gdt.KERNEL_CS);
    expect(m.pc.cpu.sysenterEsp >>> 0).toBe(build.kernel.symbols.sysenter_stack_top);
    expect(m.pc.cpu.sysenterEip >>> 0).toBe(build.kernel.symbols[entryPathOf('sysenter')!.stub]);
    expect(m.screen()).toContain('\nsyscall: sysenter sysenter    MSRs 0x174-0x176; args as int 0x80, 6th at [ebp]\n');
    expect(m.screen()).toContain('\nvdso: __kernel_vsyscall by sysenter; time calls read the vvar page, no trap\n');
  });

  it('leaves a CPU without SEP with int 0x80 alone: no MSRs, the vDSO traps with int 0x80', () => {
    const m = bootedMachine(build, 'intel', false);
    expect([m.pc.cpu.sysenterCs, m.pc.cpu.sysenterEip]).toEqual([0, 0]);
    expect(m.screen()).toContain('\ncpu: GenuineIntel family 6 model 3 stepping 3, no SEP: no sysenter\n');
    expect(m.screen()).not.toContain('syscall: sysenter');
    expect(m.screen()).toContain('\nvdso: __kernel_vsyscall by int 0x80; time calls read the vvar page, no trap\n');
    expect(m.command('sysenter regs; echo $?')).toContain('Illegal instruction\n132\n');
  });

  it('preserves every register but eax, through its own sysenter and through __kernel_vsyscall, and returns with sysexit', () => {
    const m = booted();
    const exits = watchExits(m);
    expect(m.command('sysenter regs; echo status $?')).toContain('status 0\n');
    const calls = exits.filter((e) => e.via === Msr.SYSENTER_EIP);
    expect(calls.map((e) => [e.nr, e.result < 0 ? e.result : 'pid'])).toEqual([[6, -9], [20, 'pid'], [6, -9], [20, 'pid']]);
    for (const call of calls) expect(call).toMatchObject({ to: call.from, sysexit: true });
  });

  it('returns with iret to a fork child, after execve, and into a signal handler; with sysexit to a parent woken by a switch', () => {
    const m = booted();
    const pad = landingPad(m);
    const exits = watchExits(m);
    expect(m.command('sysenter fork; echo status $?')).toContain('exec through sysenter\nstatus 0\n');
    const fork = exits.find((e) => e.via === Msr.SYSENTER_EIP && e.nr === 2)!;
    const [parent, child] = [fork.from, fork.result];
    expect(fork).toMatchObject({ to: parent, sysexit: true });
    const later = exits.slice(exits.indexOf(fork));
    expect(later.find((e) => e.to === child)).toMatchObject({ eip: pad, sysexit: false });
    const exec = later.find((e) => e.via === Msr.SYSENTER_EIP && e.nr === 11)!;
    expect(exec).toMatchObject({ from: child, to: child, result: 0, sysexit: false });
    expect(exec.eip).not.toBe(pad);
    // The parent sleeps in waitpid (entered with sysenter) until the child exits: a switch resumes it.
    expect(later.find((e) => e.from === child && e.to === parent)).toMatchObject({ eip: pad, sysexit: true });

    const signalExits = watchExits(m);
    expect(m.command('sysenter signal; echo status $?')).toContain('status 0\n');
    const sleeper = signalExits.find((e) => e.via === Msr.SYSENTER_EIP && e.nr === 2)!.result;
    const handler = signalExits.find((e) => e.to === sleeper && e.eip !== pad)!;
    expect(handler.eip).toBeLessThan(KERNEL_BASE);
    expect(handler.sysexit).toBe(false);
    const sigreturn = signalExits.find((e) => e.via === SYSCALL_VECTOR && e.nr === 173)!;
    expect(sigreturn).toMatchObject({ from: sleeper, to: sleeper, eip: pad, sysexit: false }); // entered with int 0x80
  });

  it('fails a call whose user stack is unreadable with EFAULT, and the program faults in user mode at the landing pad', () => {
    const m = booted();
    const pad = landingPad(m);
    const k = m.system.kernel!;
    const faults: Array<{ eax: number; eip: number }> = [];
    const userPageFault = k.userPageFault.bind(k);
    k.userPageFault = (va, write) => {
      const frame = TrapFrame.atKernelAddress(k.mem, m.pc.memory.read32(build.kernel.symbols['cpu_area.return_esp']! - KERNEL_BASE));
      faults.push({ eax: frame.get('eax') | 0, eip: frame.get('eip') });
      return userPageFault(va, write);
    };
    const out = m.command('sysenter badebp; echo status $?');
    expect(out).toContain(`segfault at 0 ip ${pad.toString(16).padStart(8, '0')} sp 00000000 error 4\n`);
    expect(out).toContain('status 139\n');
    expect(faults.filter((f) => f.eip === pad)).toEqual([{ eax: -14, eip: pad }]); // the others: copy-on-write
    expect(m.system.panicMessage).toBeNull();
  });

  it('takes the #DB a user TF raises on its first instruction, and gives the program its trap after the return', () => {
    const m = booted();
    const pad = landingPad(m);
    const k = m.system.kernel!;
    // Linux reports no line for #DB, so the exception is watched where the kernel takes it.
    const traps: Array<{ vector: number; eip: number }> = [];
    const userException = k.userException.bind(k);
    k.userException = (vector) => {
      const frame = TrapFrame.atKernelAddress(k.mem, m.pc.memory.read32(build.kernel.symbols['cpu_area.return_esp']! - KERNEL_BASE));
      traps.push({ vector, eip: frame.get('eip') });
      return userException(vector);
    };
    const out = m.command('sysenter trap; echo status $?');
    expect(traps).toEqual([{ vector: Vector.DB, eip: pad + 1 }]);
    expect(out).toContain('status 133\n');
    expect(m.system.panicMessage).toBeNull();
  });

  it('runs with NT clear whatever the program set, and gives the program its NT back', () => {
    const m = booted();
    expect(m.command('sysenter nt; echo status $?')).toContain('status 0\n');
    expect(m.system.panicMessage).toBeNull();
  });

  it('interrupts a call blocked after sysenter with a handled signal: EINTR, registers intact', () => {
    const m = booted();
    expect(m.command('sysenter signal; echo status $?')).toContain('status 0\n');
  });
});
