// The i386 kernel's fixed layout, shared by the TypeScript side and the NASM image: segment
// selectors (the GDT order seed 000's sysenter needs), bridge service numbers, where the image
// sits. The build passes these to the assembler as -D definitions, so each number is written once.
import { KERNEL_BASE } from './address-space.ts';
import { KERNEL_CLEARS_EFLAGS } from './eflags.ts';
import { PtRegs } from './trap-frame.ts';

/** GDT slots, in the order SYSENTER_CS requires: kernel code, kernel data, user code, user data. */
export const Gdt = {
  KERNEL_CS: 0x08,
  KERNEL_DS: 0x10,
  USER_CS: 0x18 | 3,
  USER_DS: 0x20 | 3,
  TSS: 0x28,
  /** The system-call gate (seed 001): a DPL 3 call gate; ring 3 calls it as 0x33:0. */
  CALL_GATE: 0x30,
  /** Number of 8-byte descriptors. */
  ENTRIES: 7,
} as const;

/**
 * Services of the native-call bridge: `vmcall` with the number in EAX. Every entry stub passes
 * the trap frame's kernel address in EBX and the vector in ECX; see README.md.
 */
export const Bridge = {
  /** Paging off, EBX = CPUID.1:EDX: build memory management, GDT, IDT, TSS, page tables; answer EAX = CR3, EBX = CR4 bits. */
  BOOT: 1,
  /** Paging on, tables loaded: drop the identity map, start the devices and init. */
  START: 2,
  /** A system call: EBX = pt_regs, ECX = its entry path (entry-paths.ts, entryKey). */
  SYSCALL: 3,
  /** A hardware interrupt: EBX = pt_regs, ECX = vector. */
  IRQ: 4,
  /** A CPU exception: EBX = pt_regs (orig_eax holds the error code), ECX = vector, EDX = CR2. */
  EXCEPTION: 5,
  /** After a panic, from the halt loop: EAX = 0 once COM1 has sent the whole report, else 1. */
  FLUSH: 6,
} as const;

/** The SYSENTER MSRs (Intel SDM vol. 3B, 2.1 "Architectural MSRs"; AMD's are the same numbers). */
export const Msr = {
  SYSENTER_CS: 0x174,
  SYSENTER_ESP: 0x175,
  SYSENTER_EIP: 0x176,
} as const;

/** Physical address the boot ROM copies the kernel image to (1 MiB, above the ROMs and VGA). */
export const IMAGE_PHYS = 0x100000;
/** Virtual address the image is linked at. */
export const IMAGE_VIRT = KERNEL_BASE + IMAGE_PHYS;
/** First vector of the remapped master PIC; the slave follows at +8. */
export const IRQ_BASE = 0x20;
/** The system-call vector. */
export const SYSCALL_VECTOR = 0x80;
/** The stack ABI's vector (os5, seed 004): number in eax, cdecl arguments on the user stack. */
export const STACK_SYSCALL_VECTOR = 0x81;
/** The argument block's vector (seed 000): number, arguments and result in the block at ARG_BLOCK_VA. */
export const ARGBLOCK_VECTOR = 0x82;
/** Dwords the call gate copies from the user stack to the kernel stack: a system call's six arguments. */
export const CALL_GATE_PARAMS = 6;
/** The argument block's fixed user address, seed 000's 0x8000: a page of its own in every program. */
export const ARG_BLOCK_VA = 0x8000;

/** The -D definitions the NASM sources are assembled with. */
export function asmDefines(): Array<[string, string]> {
  const hex = (n: number): string => `0x${n.toString(16)}`;
  return [
    ...Object.entries(Gdt).filter(([k]) => k !== 'ENTRIES').map(([k, v]): [string, string] => [k, hex(v)]),
    ...Object.entries(Bridge).map(([k, v]): [string, string] => [`BRIDGE_${k}`, String(v)]),
    ...Object.entries(Msr).map(([k, v]): [string, string] => [`MSR_${k}`, hex(v)]),
    ['KERNEL_BASE', hex(KERNEL_BASE)],
    ['IMAGE_PHYS', hex(IMAGE_PHYS)],
    ['IRQ_BASE', hex(IRQ_BASE)],
    ['SYSCALL_VECTOR', hex(SYSCALL_VECTOR)],
    ['STACK_SYSCALL_VECTOR', hex(STACK_SYSCALL_VECTOR)],
    ['ARGBLOCK_VECTOR', hex(ARGBLOCK_VECTOR)],
    ['CALL_GATE_PARAMS', String(CALL_GATE_PARAMS)],
    ['KERNEL_CLEARS_EFLAGS', hex(KERNEL_CLEARS_EFLAGS)],
    ...Object.entries(PtRegs).map(([k, v]): [string, string] => [`PT_${k.toUpperCase()}`, String(v)]),
  ];
}
