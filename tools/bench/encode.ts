// Encoder throughput: instructions encoded per second over the differential corpus of all modes.
import { encodeInstruction } from '../asm/encode/index.ts';
import type { EncodeContext, ParsedInstruction } from '../asm/instruction.ts';
import { corpus, placed } from '../../test/asm/encode/corpus.ts';

export interface EncodeBenchResult {
  name: string;
  instructionsPerSecond: number;
  /** Instructions encoded during the timed runs. */
  instructions: number;
  millis: number;
}

/** Encodes the whole corpus repeatedly for at least `minMillis` after one warm-up pass and reports the rate. */
export function benchEncode(minMillis = 1000): EncodeBenchResult {
  const work: [ParsedInstruction, EncodeContext][] = [];
  for (const bits of [16, 32, 64] as const) {
    for (const form of corpus(bits)) {
      const address = 0x1000n;
      work.push([placed(form, address), { bits, address, section: '.text' }]);
    }
  }
  for (const [ins, ctx] of work) encodeInstruction(ins, ctx);
  let instructions = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMillis) {
    for (const [ins, ctx] of work) encodeInstruction(ins, ctx);
    instructions += work.length;
    elapsed = performance.now() - start;
  }
  return { name: 'assembler encoder', instructionsPerSecond: Math.round((instructions / elapsed) * 1000), instructions, millis: Math.round(elapsed) };
}
