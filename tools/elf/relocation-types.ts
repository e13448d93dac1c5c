// The x86 relocation types this project writes and links: one table that drives the object
// writer (which type encodes a field), the linker (how to compute and check it) and the tests.
// Overflow rules are binutils' (observed against ld 2.40): "bitfield" accepts a value that fits
// the field as either signed or unsigned, i.e. -2^n <= v < 2^n.
import {
  EM_386, EM_X86_64, R_386_16, R_386_32, R_386_8, R_386_PC16, R_386_PC32, R_386_PC8, R_386_PLT32, R_X86_64_16,
  R_X86_64_32, R_X86_64_32S, R_X86_64_64, R_X86_64_8, R_X86_64_PC16, R_X86_64_PC32, R_X86_64_PC64, R_X86_64_PC8,
  R_X86_64_PLT32,
} from '../../machine/formats/elf-constants.ts';

/** How the linker decides that a computed value does not fit its field. */
export type OverflowRule = 'none' | 'signed' | 'unsigned' | 'bitfield';

/** One ELF relocation type and its meaning. */
export interface RelocationType {
  machine: number;
  type: number;
  name: string;
  /** Width of the patched field in bytes. */
  size: 1 | 2 | 4 | 8;
  /** Field = S + A - P (true) or S + A (false). */
  pcRelative: boolean;
  /** The 4-byte absolute field is sign-extended by the instruction (R_X86_64_32S). */
  signed: boolean;
  overflow: OverflowRule;
  /** Only read from input (a PLT call in a static link is a direct call); never written. */
  inputOnly: boolean;
}

function row(machine: number, type: number, name: string, size: 1 | 2 | 4 | 8, pcRelative: boolean, signed: boolean,
  overflow: OverflowRule, inputOnly = false): RelocationType {
  return { machine, type, name, size, pcRelative, signed, overflow, inputOnly };
}

export const RELOCATION_TYPES: readonly RelocationType[] = [
  row(EM_386, R_386_32, 'R_386_32', 4, false, false, 'bitfield'),
  row(EM_386, R_386_PC32, 'R_386_PC32', 4, true, false, 'bitfield'),
  row(EM_386, R_386_16, 'R_386_16', 2, false, false, 'bitfield'),
  row(EM_386, R_386_PC16, 'R_386_PC16', 2, true, false, 'bitfield'),
  row(EM_386, R_386_8, 'R_386_8', 1, false, false, 'bitfield'),
  row(EM_386, R_386_PC8, 'R_386_PC8', 1, true, false, 'signed'),
  row(EM_386, R_386_PLT32, 'R_386_PLT32', 4, true, false, 'bitfield', true),
  row(EM_X86_64, R_X86_64_64, 'R_X86_64_64', 8, false, false, 'none'),
  row(EM_X86_64, R_X86_64_PC64, 'R_X86_64_PC64', 8, true, false, 'none'),
  row(EM_X86_64, R_X86_64_32, 'R_X86_64_32', 4, false, false, 'unsigned'),
  row(EM_X86_64, R_X86_64_32S, 'R_X86_64_32S', 4, false, true, 'signed'),
  row(EM_X86_64, R_X86_64_PC32, 'R_X86_64_PC32', 4, true, false, 'signed'),
  row(EM_X86_64, R_X86_64_16, 'R_X86_64_16', 2, false, false, 'bitfield'),
  row(EM_X86_64, R_X86_64_PC16, 'R_X86_64_PC16', 2, true, false, 'bitfield'),
  row(EM_X86_64, R_X86_64_8, 'R_X86_64_8', 1, false, false, 'bitfield'),
  row(EM_X86_64, R_X86_64_PC8, 'R_X86_64_PC8', 1, true, false, 'signed'),
  row(EM_X86_64, R_X86_64_PLT32, 'R_X86_64_PLT32', 4, true, false, 'signed', true),
];

/** The ELF machine for an object class: EM_386 for ELF32, EM_X86_64 for ELF64. */
export function machineForClass(elfClass: 32 | 64): number {
  return elfClass === 32 ? EM_386 : EM_X86_64;
}

/** The table row describing `type` on `machine`, or undefined for types this project does not handle. */
export function relocationType(machine: number, type: number): RelocationType | undefined {
  return RELOCATION_TYPES.find((r) => r.machine === machine && r.type === type);
}

/** The type that encodes a field of this shape, or undefined when the machine has none (8-byte fields in ELF32). */
export function relocationTypeFor(machine: number, field: { size: number; pcRelative: boolean; signed: boolean }): RelocationType | undefined {
  const candidates = RELOCATION_TYPES.filter((r) => r.machine === machine && !r.inputOnly && r.size === field.size && r.pcRelative === field.pcRelative);
  // The signed flag only distinguishes R_X86_64_32 from R_X86_64_32S; elsewhere there is one candidate.
  return candidates.find((r) => r.signed === field.signed) ?? candidates.find((r) => !r.signed);
}

/** Whether `value` (already wrapped to the address size) fits a field of `size` bytes under `rule`. */
export function fitsField(value: bigint, size: number, rule: OverflowRule): boolean {
  const bits = BigInt(size * 8);
  switch (rule) {
    case 'none': return true;
    case 'signed': return value >= -(1n << (bits - 1n)) && value < 1n << (bits - 1n);
    case 'unsigned': return value >= 0n && value < 1n << bits;
    case 'bitfield': return value >= -(1n << bits) && value < 1n << bits;
  }
}
