// Small builders for encoder tests: operands, values with relocations, and a one-call encoder.
import { encodeInstruction } from '../../../tools/asm/encode/index.ts';
import type { EncodeContext, EncodeResult, Operand, RelocTarget, Value } from '../../../tools/asm/instruction.ts';
import { mem } from './corpus-memory.ts';
import { imm, reg, type Bits } from './corpus.ts';

export { imm, mem, reg };

/** A value relocated against `symbol` (a section when `isSection`). */
export function relocated(symbol: string, addend: bigint, isSection = false): Value {
  const target: RelocTarget = { symbol, isSection };
  return { value: addend, reloc: target, known: true };
}

/** A value that depends on a symbol not defined yet. */
export function forward(): Value {
  return { value: 0n, reloc: null, known: false };
}

/** An immediate or branch target operand carrying `value`. */
export function target(value: Value, jump: 'short' | 'near' | null = null): Operand {
  return { kind: 'imm', value, size: null, strict: false, jump };
}

/** Encodes `mnemonic operands` at `address` in section `.text`. */
export function enc(bits: Bits, mnemonic: string, operands: Operand[], prefixes: string[] = [], address = 0n, section = '.text'): EncodeResult {
  const ctx: EncodeContext = { bits, address, section };
  return encodeInstruction({ mnemonic, prefixes, operands }, ctx);
}

/** The bytes of a successful result as hex, or `error: message`. */
export function hexOf(r: EncodeResult): string {
  return r.ok ? Buffer.from(r.bytes).toString('hex') : `error: ${r.error}`;
}
