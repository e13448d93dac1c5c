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
}

const ACCUMULATOR_SIZE: Readonly<Record<string, number>> = { al: 8, ax: 16, eax: 32, rax: 64 };

/** The traits of an operand list. */
export function traitsOf(ops: readonly OpKind[]): FormTraits {
  const t: FormTraits = { moffs: false, accSize: 0, controlReg: false, farMem: false, imm64: false, simm8: false, simm32: false, relBytes: 0 };
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
