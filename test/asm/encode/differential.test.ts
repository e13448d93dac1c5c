// Byte-for-byte comparison of the encoder with real NASM 2.16 (-f bin, default -Ox) over the corpus.
import { describe, expect, it } from 'vitest';
import { hasRealNasm } from '../../helpers/real-nasm.ts';
import { compareCorpus } from './differential.ts';

const modes = [16, 32, 64] as const;

describe.skipIf(!hasRealNasm())('encoder against real NASM', () => {
  for (const bits of modes) {
    it(`gives NASM's bytes and rejects what NASM rejects in ${bits}-bit mode`, () => {
      const result = compareCorpus(bits);
      process.stdout.write(`encoder corpus, ${bits}-bit: compared ${result.compared} forms, ${result.differed.length} differed` +
        ` (${result.wordingDiffers.length} rejected by both with other wording)\n`);
      expect(result.compared).toBeGreaterThan(5000);
      expect(result.differed.slice(0, 20)).toEqual([]);
    });
  }
});

it.runIf(!hasRealNasm())('encoder corpus comparison', () => {
  process.stdout.write('encoder corpus comparison skipped: nasm is not installed\n');
});
