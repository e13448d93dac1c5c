// A second oracle that needs no NASM: iced-x86's decoder must read every encoding of the corpus
// back as exactly one valid instruction of the same length.
import { Code, Decoder, DecoderOptions } from 'iced-x86';
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../../tools/asm/encode/index.ts';
import { corpus, placed } from './corpus.ts';
import { printInstruction } from './print.ts';

import type { CorpusForm } from './corpus.ts';

/**
 * Forms NASM assembles (with at most a warning) that the processor rejects or reads differently,
 * so the decoder does too: lock on what cannot be locked, a size prefix on instructions that
 * forbid one or that NASM does not resize (far pointers), loading CS.
 */
function processorRejects(form: CorpusForm, bits: 16 | 32 | 64): boolean {
  const { mnemonic, prefixes, operands } = form.ins;
  if (prefixes.includes('lock')) return true;
  const sizePrefix = prefixes.some((p) => p === 'o16' || p === 'o32' || p === 'o64');
  if (sizePrefix && (operands.length === 0 || operands.some((o) => o.kind === 'far'))) return true;
  if (mnemonic === 'pop' && operands[0]?.kind === 'reg' && operands[0].reg === 'cs') return true;
  if (mnemonic === 'mov' && operands[0]?.kind === 'reg' && operands[0].reg === 'cs') return true;
  // ud0's length differs between Intel (with ModRM) and AMD; pcommit was withdrawn.
  if (mnemonic === 'ud0' || mnemonic === 'pcommit') return true;
  return bits === 64 && mnemonic === 'salc';
}

describe('encodings read back by iced-x86', () => {
  for (const bits of [16, 32, 64] as const) {
    it(`decodes every ${bits}-bit corpus encoding to one instruction of the same length`, () => {
      const bad: string[] = [];
      let checked = 0;
      for (const form of corpus(bits)) {
        const address = 0x1000n;
        const r = encodeInstruction(placed(form, address), { bits, address, section: '.text' });
        if (!r.ok) continue;
        if (processorRejects(form, bits)) continue;
        const text = printInstruction(form.ins, form.hereIndex);
        const decoder = new Decoder(bits, r.bytes, DecoderOptions.AMD);
        decoder.ip = address;
        const ins = decoder.decode();
        if (ins.code === Code.INVALID || ins.length !== r.bytes.length) bad.push(`${text}: ${Buffer.from(r.bytes).toString('hex')}`);
        ins.free();
        decoder.free();
        checked++;
      }
      expect(checked).toBeGreaterThan(4000);
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }
});
