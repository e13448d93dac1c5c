// EFLAGS on the way into and out of the kernel. Ring 3 can set TF, DF, AC, NT (popf changes them
// at any privilege level, IOPL and IF it cannot); an interrupt or trap gate clears TF and NT on
// entry, a call gate and sysenter clear neither. Every entry stub therefore clears
// KERNEL_CLEARS_EFLAGS in the kernel's own EFLAGS (ENTRY_EFLAGS in entry.asm), and the bridge
// passes the EFLAGS of every frame that returns to ring 3 through userReturnEflags.

/** EFLAGS bits (Intel SDM vol. 1, 3.4.3). */
export const EFLAGS = {
  CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, TF: 0x100, IF: 0x200, DF: 0x400, OF: 0x800,
  IOPL: 0x3000, NT: 0x4000, RF: 0x10000, VM: 0x20000, AC: 0x40000, ID: 0x200000,
} as const;

/** Bit 1 reads as one. */
const FIXED = 0x2;

/**
 * Bits the kernel never runs with: TF (it would single-step the kernel), NT (the exit's iret would
 * become a task return), DF (string instructions backwards), AC (alignment checks), IOPL.
 */
export const KERNEL_CLEARS_EFLAGS = EFLAGS.TF | EFLAGS.NT | EFLAGS.DF | EFLAGS.AC | EFLAGS.IOPL;

/**
 * What a program keeps across the kernel, as on Linux: its status flags and the controls it may
 * set itself (TF, DF, AC, NT, RF, ID). NT is harmless in ring 3: the kernel runs without it, and
 * an iret checks the NT it runs with, not the one it pops.
 */
const USER_KEEPS = EFLAGS.CF | EFLAGS.PF | EFLAGS.AF | EFLAGS.ZF | EFLAGS.SF | EFLAGS.OF
  | EFLAGS.TF | EFLAGS.DF | EFLAGS.AC | EFLAGS.NT | EFLAGS.RF | EFLAGS.ID;

/** The EFLAGS a return to ring 3 restores from `value`: the program's own bits, IF on, IOPL 0, no VM or virtual-interrupt bits. */
export function userReturnEflags(value: number): number {
  return (value & USER_KEEPS) | EFLAGS.IF | FIXED;
}
