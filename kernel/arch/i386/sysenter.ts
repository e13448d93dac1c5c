// sysenter/sysexit on the kernel side: whether the CPU really has them, what the kernel does
// for a call that entered with sysenter (the stub could not know the return address or the
// sixth argument), and which way out a frame may take: sysexit to the vDSO's landing pad when
// the frame is still that call's, iret otherwise. See README.md, "sysenter and the vDSO".
import type { Kernel } from '../../kernel.ts';
import type { PhysicalMemory } from '../../mm/phys.ts';
import { stackBottom } from '../../proc/exec.ts';
import type { Process } from '../../proc/process.ts';
import type { CpuArea } from './cpu-area.ts';
import { Gdt } from './layout.ts';
import { eaxResult, loadSysenterArg6, registerArgs } from './syscall-abis.ts';
import { TrapFrame } from './trap-frame.ts';

/** CPUID.1:EDX.SEP. */
const CPUID_SEP = 1 << 11;
/** EFLAGS bits. */
const TF = 0x100, IF = 0x200, IOPL = 0x3000, RF = 0x10000, VM = 0x20000;
/** The #DB vector: a single-step trap. */
const DEBUG_VECTOR = 1;

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

/** The kernel's sysenter path, for a CPU whose SYSENTER MSRs the startup code programmed. */
export class SysenterPath {
  /** The processes whose latest entry from user mode was sysenter. */
  private readonly entered = new WeakSet<Process>();
  /** A #DB hit the stub's first instruction: the user's TF, to be given back with the frame. */
  private userStepping = false;

  constructor(
    private readonly mem: PhysicalMemory,
    private readonly area: CpuArea,
    /** The kernel address of a process's trap frame. */
    private readonly frameVa: (p: Process) => number,
    /** The stub's address (SYSENTER_EIP). */
    private readonly entryVa: number,
    /** The landing pad's offset in the vDSO image. */
    private readonly landingPadOffset: number,
  ) {}

  /** Where sysexit or iret returns a sysenter call of `p`: the landing pad in p's vDSO mapping. */
  landingPad(k: Kernel, p: Process): number {
    return k.vdso!.imageAddress(stackBottom(p.space!)) + this.landingPadOffset;
  }

  /** Records how `p` entered the kernel from user mode (sysenter or another way). */
  noteEntry(p: Process, bySysenter: boolean): void {
    if (bySysenter) this.entered.add(p);
    else this.entered.delete(p);
  }

  /**
   * A system call entered with sysenter: completes the frame the stub built into the one int
   * 0x80 would have left at the landing pad (eip there, IF and the user's TF back, ebp = the
   * sixth argument, which __kernel_vsyscall pushed at the user esp), then dispatches it. An
   * unreadable user stack fails the call with -EFAULT; the landing pad then faults in user mode.
   */
  enter(k: Kernel, frame: TrapFrame): void {
    const p = k.current!;
    frame.set('eip', this.landingPad(k, p));
    frame.set('eflags', frame.get('eflags') | IF | (this.userStepping ? TF : 0));
    this.userStepping = false;
    const fault = loadSysenterArg6(k, p, frame);
    if (fault < 0) {
      frame.set('eax', fault);
      k.preemptionPoint();
      return;
    }
    k.syscall(frame.get('orig_eax'), registerArgs(frame), eaxResult(frame), 'sysenter');
  }

  /**
   * A kernel-mode exception that is the user's single-stepping: sysenter keeps TF, so a user
   * with TF set takes #DB on the stub's first instruction. Clears TF in that frame so the stub
   * goes on, and remembers it for the user's frame. Whether it was that.
   */
  singleStepAtEntry(frame: TrapFrame, vector: number): boolean {
    if (vector !== DEBUG_VECTOR || frame.get('eip') !== this.entryVa || frame.get('cs') !== Gdt.KERNEL_CS) return false;
    frame.set('eflags', frame.get('eflags') & ~TF);
    this.userStepping = true;
    return true;
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
    return frame.get('eip') === this.landingPad(k, p) && frame.get('cs') === Gdt.USER_CS && frame.get('ss') === Gdt.USER_DS &&
      (flags & (TF | RF | VM | IOPL)) === 0 && (flags & IF) !== 0;
  }
}
