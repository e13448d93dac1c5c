// Labels in flat binary output: NASM treats them as relocatable, so they get full-size fields even
// when their value is small. Passing them with their section as `reloc` and resolving the fixups
// with applyFixupsForBin gives NASM's bytes.
import { describe, expect, it } from 'vitest';
import { applyFixupsForBin, encodeInstruction } from '../../../tools/asm/encode/index.ts';
import type { Operand, ParsedInstruction } from '../../../tools/asm/instruction.ts';
import { hasRealNasm, realNasm } from '../../helpers/real-nasm.ts';
import { imm, mem, reg, relocated, target } from './build.ts';
import { printInstruction, sectionLabel } from './print.ts';

const label = (offset: bigint): Operand => target(relocated('.text', offset, true));
const at = (bits: 16 | 32 | 64, base: string | null, offset: bigint, size: 8 | 16 | 32 | null = null): Extract<Operand, { kind: 'mem' }> => ({
  ...mem(bits, { base }), disp: relocated('.text', offset, true), hasDisp: true, size,
});
const ins = (mnemonic: string, ...operands: Operand[]): ParsedInstruction => ({ mnemonic, prefixes: [], operands });

function program(bits: 16 | 32 | 64): ParsedInstruction[] {
  const b = bits === 16 ? 'bx' : bits === 32 ? 'ebx' : 'rbx';
  const acc = bits === 16 ? 'ax' : 'eax';
  const list = [
    ins('mov', reg(acc), at(bits, b, 4n)), ins('add', reg(acc), label(2n)), ins('push', label(0n)), ins('mov', reg(acc), at(bits, null, 8n)),
    ins('cmp', at(bits, b, 1n, 8), imm(1)), ins('jmp', label(0n)), ins('call', label(0n)), ins('mov', reg('cx'), label(6n)),
    ins('mov', at(bits, null, 2n, 16), label(4n)),
  ];
  if (bits === 64) list.push(ins('mov', reg('rax'), label(0n)), ins('lea', reg('rsi'), { ...at(64, null, 0n), addressing: 'rel' }), ins('cmp', reg('rax'), label(3n)));
  return list;
}

describe.skipIf(!hasRealNasm())('labels in bin output', () => {
  for (const bits of [16, 32, 64] as const) {
    it(`get NASM's full-size fields in ${bits}-bit code`, () => {
      const list = program(bits);
      const source = [`bits ${bits}`, `${sectionLabel('.text')}:`, ...list.map((i) => printInstruction(i))].join('\n');
      const real = realNasm(source + '\n');
      expect(real.ok).toBe(true);
      const out: number[] = [];
      for (const instruction of list) {
        const address = BigInt(out.length);
        const r = encodeInstruction(instruction, { bits, address, section: '.text' });
        if (!r.ok) throw new Error(`${printInstruction(instruction)}: ${r.error}`);
        const bytes = new Uint8Array(r.bytes);
        applyFixupsForBin(bytes, r.fixups, address);
        out.push(...bytes);
      }
      expect(Buffer.from(out).toString('hex')).toBe(real.ok ? Buffer.from(real.bytes).toString('hex') : '');
    });
  }
});
