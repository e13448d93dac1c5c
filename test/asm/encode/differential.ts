// Compares the encoder with real NASM over the corpus of one mode.
import type { EncodeResult } from '../../../tools/asm/instruction.ts';
import { encodeInstruction } from '../../../tools/asm/encode/index.ts';
import { corpus, placed, type Bits } from './corpus.ts';
import { nasmLines } from './nasm-listing.ts';
import { printInstruction } from './print.ts';

export interface Difference {
  line: string;
  nasm: string;
  ours: string;
}

export interface Comparison {
  compared: number;
  differed: Difference[];
  /** Forms both reject, with different wording. */
  wordingDiffers: Difference[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const show = (r: EncodeResult): string => (r.ok ? hex(r.bytes) : `error: ${r.error}`);

/** Assembles the corpus of `bits` with real NASM and with the encoder, and lists the differences. */
export function compareCorpus(bits: Bits): Comparison {
  const forms = corpus(bits);
  const lines = forms.map((f) => printInstruction(f.ins, f.hereIndex));
  const expected = nasmLines(bits, lines);
  const result: Comparison = { compared: forms.length, differed: [], wordingDiffers: [] };
  forms.forEach((form, i) => {
    const want = expected[i]!;
    const address = want.ok ? BigInt(want.offset) : 0n;
    const got = encodeInstruction(placed(form, address), { bits, address, section: '.text' });
    const line = lines[i]!;
    if (want.ok && got.ok) {
      if (hex(want.bytes) !== hex(got.bytes)) result.differed.push({ line, nasm: hex(want.bytes), ours: show(got) });
    } else if (want.ok !== got.ok) {
      result.differed.push({ line, nasm: want.ok ? hex(want.bytes) : `error: ${want.error}`, ours: show(got) });
    } else if (!want.ok && !got.ok && want.error !== got.error) {
      result.wordingDiffers.push({ line, nasm: want.error, ours: got.error });
    }
  });
  return result;
}
