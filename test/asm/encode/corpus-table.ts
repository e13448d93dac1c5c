// The table-driven part of the corpus: one instruction for every encoding in the encoder's table,
// with operands made up from its operand kinds, so every mnemonic and form is checked against NASM.
import { formsOf, knownMnemonics } from '../../../tools/asm/encode/table.ts';
import type { OpKind } from '../../../tools/asm/encode/form.ts';
import type { Operand, OperandSize } from '../../../tools/asm/instruction.ts';
import { mem } from './corpus-memory.ts';
import { imm, reg, type Bits, type CorpusForm } from './corpus.ts';

const REG: Record<string, Record<number, string>> = {
  rm: { 8: 'cl', 16: 'dx', 32: 'esi', 64: 'r10' },
  reg: { 8: 'bl', 16: 'bx', 32: 'ebx', 64: 'r11' },
  rrm: { 8: 'dl', 16: 'di', 32: 'edi', 64: 'r12' },
  ro: { 8: 'dl', 16: 'si', 32: 'edx', 64: 'r13' },
};
const IMM: Record<number, bigint> = { 8: 0x12n, 16: 0x1234n, 32: 0x12345678n, 64: 0x123456789an };

/** Operand choices for one kind: a register and, for r/m kinds, a sized memory operand too. */
function choices(kind: OpKind, bits: Bits): Operand[] | null {
  const base = bits === 16 ? 'bx' : bits === 32 ? 'ebx' : 'rbx';
  switch (kind.k) {
    case 'rm': return [reg(REG.rm![kind.size]!), { ...mem(bits, { base, disp: 8n }), size: kind.memSize as OperandSize }];
    case 'reg': case 'rrm': case 'ro': return [reg(REG[kind.k]![kind.size]!)];
    case 'mem': return [{ ...mem(bits, { base, disp: 8n }), far: kind.farPtr }];
    case 'fixed': return [reg(kind.reg)];
    case 'sreg': return [reg('ds')];
    case 'cr': return [reg('cr3')];
    case 'dr': return [reg('dr1')];
    case 'imm': return [imm(IMM[kind.size]!)];
    case 'simm': return [imm(kind.size === 8 ? 0x12n : 0x12345n)];
    case 'one': return [imm(1)];
    case 'ptr': return [{ kind: 'far', segment: { value: 0x10n, reloc: null, known: true }, offset: { value: 0x1234n, reloc: null, known: true } }];
    case 'moffs': return [mem(bits, { base: null, disp: 0x1234n, ...(bits === 64 ? { dispSize: 64 as const } : {}) })];
    case 'rel': return null;
  }
}

/** One or two instructions per table encoding valid in `bits` mode, without duplicates. */
export function tableCorpus(bits: Bits): CorpusForm[] {
  const bit = bits === 16 ? 1 : bits === 32 ? 2 : 4;
  const out = new Map<string, CorpusForm>();
  for (const mnemonic of knownMnemonics().sort()) {
    for (const form of formsOf(mnemonic)) {
      if ((form.modes & bit) === 0) continue;
      const options = form.ops.map((k) => choices(k, bits));
      if (options.some((o) => o === null)) continue;
      for (const variant of [0, 1]) {
        const operands = options.map((o) => o![Math.min(variant, o!.length - 1)]!);
        const key = `${mnemonic} ${JSON.stringify(operands, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
        if (!out.has(key)) out.set(key, { ins: { mnemonic, prefixes: [], operands }, hereIndex: -1 });
      }
    }
  }
  return [...out.values()];
}
