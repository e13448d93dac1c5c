// Host safety: random bytes executed in ring 0 and ring 3 never make the CPU throw a JavaScript
// exception or report an internal error; every run ends for an architectural reason.
import { describe, expect, it } from 'vitest';
import { bare } from '../cpu/harness.ts';
import { prng } from '../cpu/prng.ts';

const LONG = process.env.FUZZ_LONG === '1';
const CASES = LONG ? 20_000 : 300;

describe.each([0, 3] as const)('random code in ring %i', (ring) => {
  it('always stops for an architectural reason', () => {
    const next = prng(0xc0de + ring);
    const reasons = new Map<string, number>();
    for (let n = 0; n < CASES; n++) {
      const code = new Uint8Array(512);
      for (let i = 0; i < code.length; i++) code[i] = next() & 0xff;
      const t = bare(code, { ring });
      // Point some registers at memory that exists so more instructions get past their operands.
      for (let r = 0; r < 8; r++) if (r !== 4 && next() % 2) t.cpu.regs[r] = 0x20000 + (next() & 0xffff);
      const reason = t.cpu.run(2_000);
      expect(reason, t.cpu.shutdownReport ?? '').not.toBe('internal-error');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    expect([...reasons.keys()].every((r) => ['budget', 'hlt', 'triple-fault', 'stopped'].includes(r))).toBe(true);
  }, LONG ? 3_600_000 : 60_000);
});
