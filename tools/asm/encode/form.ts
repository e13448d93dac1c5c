// The encoder's view of one machine encoding: operand kinds, prefixes it needs, opcode bytes.
// Built once from iced-x86's opcode table (see table.ts) and adjusted to NASM's templates.

/** How one operand of an encoding is written. */
export type OpKind =
  /** A general-purpose register of one of `regSizes` bits in ModRM.rm, or memory of `memSize` bits. */
  | { k: 'rm'; size: number; memSize: number; regSizes: readonly number[] }
  /** A general-purpose register of `size` in ModRM.reg. */
  | { k: 'reg'; size: number }
  /** A general-purpose register of `size` in ModRM.rm, register only. */
  | { k: 'rrm'; size: number }
  /** A general-purpose register of `size` added to the last opcode byte. */
  | { k: 'ro'; size: number }
  /** Memory only; `memSize` 0 when the operand takes no size keyword (lgdt, invlpg, far pointers). */
  | { k: 'mem'; memSize: number; farPtr: boolean; anySize: boolean }
  /** One specific register (al, cl, ax, dx, eax, rax, es..gs). */
  | { k: 'fixed'; reg: string }
  | { k: 'sreg' }
  | { k: 'cr' }
  | { k: 'dr' }
  /** An immediate of `size` bits stored as is. */
  | { k: 'imm'; size: number }
  /** An immediate stored in `size` bits and sign-extended to the operand size. */
  | { k: 'simm'; size: number }
  /** The constant 1 of the shift-by-one forms. */
  | { k: 'one' }
  /** A relative branch target in a field of `bytes`. */
  | { k: 'rel'; bytes: number }
  /** A far pointer selector:offset with an offset of `bytes`. */
  | { k: 'ptr'; bytes: number }
  /** The direct memory offset of the accumulator moves (A0-A3). */
  | { k: 'moffs' };

export interface Form {
  /** iced-x86's Code name, for diagnostics and tests. */
  name: string;
  /** NASM mnemonic. */
  mnemonic: string;
  ops: OpKind[];
  /** Operand size the encoding requires (selects 66 or REX.W), 0 when it has none. */
  os: 0 | 16 | 32 | 64;
  /** Address size it requires (loop/jcxz with CX/ECX/RCX), 0 when it has none. */
  as: 0 | 16 | 32 | 64;
  /** Operand size is 64 by default in 64-bit mode (no REX.W needed). */
  default64: boolean;
  /** Bit mask of modes: 1 = 16-bit, 2 = 32-bit, 4 = 64-bit. */
  modes: number;
  /** Mandatory prefix byte (66, F3, F2) or 0. */
  mandatory: number;
  /** Opcode bytes including the 0F / 0F 38 / 0F 3A escapes. */
  opcode: number[];
  hasModrm: boolean;
  /** The ModRM.reg digit of group opcodes (/0../7), or -1 for /r. */
  digit: number;
  /** Facts about `ops`, computed once with the table so the matcher need not search for them. */
  traits: FormTraits;
}

export interface FormTraits {
  /** An accumulator move with a direct offset (A0-A3). */
  moffs: boolean;
  /** Size of the fixed accumulator register operand, 0 when there is none. */
  accSize: number;
  /** Moves to or from a control register. */
  controlReg: boolean;
  /** An m16:16/32/64 far pointer in memory (call/jmp far). */
  farMem: boolean;
  /** mov r64, imm64. */
  imm64: boolean;
  /** A sign-extended imm8 / imm32. */
  simm8: boolean;
  simm32: boolean;
  /** Width of a relative branch field, 0 when not a relative branch. */
  relBytes: number;
  /** Per operand, the operand classes (CLASS_*) it can accept: a quick first test for the matcher. */
  accepts: number[];
}

/** Operand classes for the matcher's quick test. */
export const CLASS_GPR8 = 1, CLASS_GPR16 = 2, CLASS_GPR32 = 4, CLASS_GPR64 = 8, CLASS_SREG = 16, CLASS_CR = 32,
  CLASS_DR = 64, CLASS_MEM = 128, CLASS_IMM = 256, CLASS_FAR = 512;

const GPR_CLASS: Readonly<Record<number, number>> = { 8: CLASS_GPR8, 16: CLASS_GPR16, 32: CLASS_GPR32, 64: CLASS_GPR64 };

/** The class of a register of `size` bits in class `cls` (as registers.ts names them). */
export function registerClass(cls: string, size: number): number {
  if (cls === 'sreg') return CLASS_SREG;
  if (cls === 'cr') return CLASS_CR;
  if (cls === 'dr') return CLASS_DR;
  return GPR_CLASS[size] ?? 0;
}

const FIXED_CLASS: Readonly<Record<string, number>> = {
  al: CLASS_GPR8, cl: CLASS_GPR8, ax: CLASS_GPR16, dx: CLASS_GPR16, eax: CLASS_GPR32, rax: CLASS_GPR64,
  es: CLASS_SREG, cs: CLASS_SREG, ss: CLASS_SREG, ds: CLASS_SREG, fs: CLASS_SREG, gs: CLASS_SREG,
};

function accepts(k: OpKind): number {
  switch (k.k) {
    case 'rm': return k.regSizes.reduce((m, s) => m | (GPR_CLASS[s] ?? 0), CLASS_MEM);
    case 'reg': case 'rrm': case 'ro': return GPR_CLASS[k.size] ?? 0;
    case 'fixed': return FIXED_CLASS[k.reg] ?? 0;
    case 'sreg': return CLASS_SREG;
    case 'cr': return CLASS_CR;
    case 'dr': return CLASS_DR;
    case 'mem': case 'moffs': return CLASS_MEM;
    case 'ptr': return CLASS_FAR;
    default: return CLASS_IMM;
  }
}

const ACCUMULATOR_SIZE: Readonly<Record<string, number>> = { al: 8, ax: 16, eax: 32, rax: 64 };

/** The traits of an operand list. */
export function traitsOf(ops: readonly OpKind[]): FormTraits {
  const t: FormTraits = {
    moffs: false, accSize: 0, controlReg: false, farMem: false, imm64: false, simm8: false, simm32: false, relBytes: 0, accepts: ops.map(accepts),
  };
  for (const k of ops) {
    if (k.k === 'moffs') t.moffs = true;
    else if (k.k === 'fixed') t.accSize = ACCUMULATOR_SIZE[k.reg] ?? 0;
    else if (k.k === 'cr') t.controlReg = true;
    else if (k.k === 'mem' && k.farPtr) t.farMem = true;
    else if (k.k === 'imm' && k.size === 64) t.imm64 = true;
    else if (k.k === 'simm') {
      if (k.size === 8) t.simm8 = true;
      else t.simm32 = true;
    } else if (k.k === 'rel') t.relBytes = k.bytes;
  }
  return t;
}

/** The mode bit of `bits` in Form.modes. */
export function modeBit(bits: 16 | 32 | 64): number {
  return bits === 16 ? 1 : bits === 32 ? 2 : 4;
}
