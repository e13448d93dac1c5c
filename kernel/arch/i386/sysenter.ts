// sysenter/sysexit on the kernel side: whether the CPU really has them, what the kernel does
// for a call that entered with sysenter (the stub could not know the return address or the
// sixth argument), and which way out a frame may take: sysexit to the vDSO's landing pad when
// the frame is still that call's, iret otherwise. See README.md, "sysenter and the vDSO".
import type { Kernel } from '../../kernel.ts';
import type { PhysicalMemory } from '../../mm/phys.ts';
import { stackBottom } from '../../proc/exec.ts';
import type { Process } from '../../proc/process.ts';
import type { CpuArea } from './cpu-area.ts';
import { EFLAGS } from './eflags.ts';
import { Gdt } from './layout.ts';
import { eaxResult, loadSysenterArg6, registerArgs } from './syscall-abis.ts';
import { TrapFrame } from './trap-frame.ts';

/** CPUID.1:EDX.SEP. */
const CPUID_SEP = 1 << 11;

/**
 * Whether SYSENTER/SYSEXIT exist: the SEP flag, unless family = 6, model < 3 and stepping < 3,
 * the test the Intel SDM (vol. 2B, SYSENTER) gives for the Pentium Pro, which reports SEP
 * without the instructions. The rule is Intel's: AMD's family 6 (the K7) has them, and Linux
 * applies it to Intel parts only too.
 */
export function sepUsable(vendor: string, signature: number, features: number): boolean {
  if ((features & CPUID_SEP) === 0) return false;
  const family = (signature >>> 8) & 0xf, model = (signature >>> 4) & 0xf, stepping = signature & 0xf;
  return !(vendor === 'GenuineIntel' && family === 6 && model < 3 && stepping < 3);
}

/** Where sysexit or iret returns a sysenter call of `p`: the landing pad in p's vDSO mapping. */
export function landingPad(k: Kernel, p: Process): number {
  const pad = k.vdso?.landingPad(stackBottom(p.space!));
  if (pad === undefined || pad === null) throw new Error('a sysenter call without a vDSO landing pad to return to');
  return pad;
}

/**
 * A system call entered with sysenter: completes the frame the stub built into the one int 0x80
 * would have left at the landing pad (eip there, IF back on, ebp = the sixth argument, which
 * __kernel_vsyscall pushed at the user esp), then dispatches it. An unreadable user stack fails
 * the call with -EFAULT; the landing pad then faults in user mode.
 */
export function sysenterSyscall(k: Kernel, frame: TrapFrame): void {
  const p = k.current!;
  frame.set('eip', landingPad(k, p));
  frame.set('eflags', frame.get('eflags') | EFLAGS.IF);
  const fault = loadSysenterArg6(k, p, frame);
  if (fault < 0) {
    frame.set('eax', fault);
    k.preemptionPoint();
    return;
  }
  k.syscall(frame.get('orig_eax'), registerArgs(frame), eaxResult(frame), 'sysenter');
}

/** The exit path's choice between sysexit and iret, for a CPU whose SYSENTER MSRs the startup code programmed. */
export class SysexitPolicy {
  /** The processes whose latest entry from user mode was sysenter. */
  private readonly entered = new WeakSet<Process>();

  constructor(
    private readonly mem: PhysicalMemory,
    private readonly area: CpuArea,
    /** The kernel address of a process's trap frame. */
    private readonly frameVa: (p: Process) => number,
  ) {}

  /** Records how `p` entered the kernel from user mode (sysenter or another way). */
  noteEntry(p: Process, bySysenter: boolean): void {
    if (bySysenter) this.entered.add(p);
    else this.entered.delete(p);
  }

  /**
   * Whether the exit path may leave with sysexit: it resumes the current process's frame, that
   * process entered with sysenter, and the frame is still that call's (landing pad, the flat
   * user selectors sysexit loads, flags sysexit can restore: no TF, RF, VM, IOPL, IF on).
   * Signal delivery, execve, a fork child and processes that entered another way return with iret.
   */
  mayExit(k: Kernel): boolean {
    const p = k.current;
    if (!p?.space || !this.entered.has(p) || this.area.returnEsp !== this.frameVa(p)) return false;
    const frame = TrapFrame.atKernelAddress(this.mem, this.area.returnEsp);
    const flags = frame.get('eflags');
    return frame.get('eip') === landingPad(k, p) && frame.get('cs') === Gdt.USER_CS && frame.get('ss') === Gdt.USER_DS &&
      (flags & (EFLAGS.TF | EFLAGS.RF | EFLAGS.VM | EFLAGS.IOPL)) === 0 && (flags & EFLAGS.IF) !== 0;
  }
}
