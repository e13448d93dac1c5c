// Which signal an x86 exception raised in user mode becomes (Linux's arch/x86/kernel/traps.c),
// the same for protected and long mode. Page faults go through Kernel.userPageFault first, since
// a write to a copy-on-write page is not an error.
import { KERNEL_INFO, SI_CODE, type SigInfo } from '../proc/siginfo.ts';
import { SIG } from '../proc/signals.ts';

/** Exception vectors (Intel SDM vol. 3A, table 6-1). */
export const Vector = {
  DE: 0, DB: 1, NMI: 2, BP: 3, OF: 4, BR: 5, UD: 6, NM: 7, DF: 8, TS: 10, NP: 11, SS: 12, GP: 13, PF: 14,
  MF: 16, AC: 17, MC: 18, XM: 19,
} as const;

const SIGNALS: Record<number, number> = {
  [Vector.DE]: SIG.SIGFPE, // divide error
  [Vector.DB]: SIG.SIGTRAP, // debug
  [Vector.BP]: SIG.SIGTRAP, // int3
  [Vector.OF]: SIG.SIGSEGV, // into
  [Vector.BR]: SIG.SIGSEGV, // bound
  [Vector.UD]: SIG.SIGILL, // invalid opcode (vmcall from ring 3 included)
  [Vector.NM]: SIG.SIGFPE, // device not available, when the kernel does not handle it lazily
  [Vector.TS]: SIG.SIGSEGV,
  [Vector.NP]: SIG.SIGBUS, // segment not present
  [Vector.SS]: SIG.SIGBUS, // stack segment fault
  [Vector.GP]: SIG.SIGSEGV, // general protection (privileged instruction, bad selector, in/out)
  [Vector.PF]: SIG.SIGSEGV, // a page fault the kernel could not resolve
  [Vector.MF]: SIG.SIGFPE, // x87 error
  [Vector.AC]: SIG.SIGBUS, // alignment check
  [Vector.XM]: SIG.SIGFPE, // SIMD floating point
};

/** The signal for a user-mode exception `vector`, or null for vectors that are not the program's doing (NMI, #DF, #MC). */
export function signalForException(vector: number): number | null {
  return SIGNALS[vector] ?? null;
}

/**
 * The siginfo Linux gives a user-mode exception other than #PF (arch/x86/kernel/traps.c): the
 * faulting instruction's address for #DE and #UD, a trace trap for #DB (single step), SI_KERNEL
 * for the rest (#GP, int3, into...), each with the vector and error code for the sigcontext.
 */
export function faultInfo(vector: number, ip: number, error: number): SigInfo {
  const trap = { vector, error };
  switch (vector) {
    case Vector.DE: return { code: SI_CODE.FPE_INTDIV, addr: ip, trap };
    case Vector.UD: return { code: SI_CODE.ILL_ILLOPN, addr: ip, trap };
    case Vector.DB: return { code: SI_CODE.TRAP_TRACE, trap };
    case Vector.AC: return { code: SI_CODE.BUS_ADRALN, addr: 0, trap };
    default: return { ...KERNEL_INFO, trap };
  }
}

/** The siginfo of a page fault the kernel could not resolve: SEGV_ACCERR when the page was present, else SEGV_MAPERR, at `address`. */
export function pageFaultInfo(address: number, error: number): SigInfo {
  return { code: error & 1 ? SI_CODE.SEGV_ACCERR : SI_CODE.SEGV_MAPERR, addr: address, trap: { vector: Vector.PF, error } };
}
