// Host safety: random bytes executed in ring 0 and ring 3, in 32-bit protected mode, 64-bit mode
// and compatibility mode, never make the CPU throw a JavaScript exception or report an internal
// error; every run ends for an architectural reason.
import { describe, expect, it } from 'vitest';
import { bare } from '../cpu/harness.ts';
import { bare64 } from '../cpu/harness64.ts';
import { prng } from '../cpu/prng.ts';

const LONG = process.env.FUZZ_LONG === '1';
const CASES = LONG ? 20_000 : 300;

const MODES = [
  { mode: 'protected', ring: 0 },
  { mode: 'protected', ring: 3 },
  { mode: '64-bit', ring: 0 },
  { mode: '64-bit', ring: 3 },
  { mode: 'compatibility', ring: 0 },
  { mode: 'compatibility', ring: 3 },
] as const;

describe.each(MODES)('random code in $mode mode, ring $ring', ({ mode, ring }) => {
  it('always stops for an architectural reason', () => {
    const next = prng(0xc0de + ring + (mode === '64-bit' ? 16 : mode === 'compatibility' ? 32 : 0));
    const reasons = new Map<string, number>();
    for (let n = 0; n < CASES; n++) {
      const code = new Uint8Array(512);
      for (let i = 0; i < code.length; i++) code[i] = next() & 0xff;
      const t = mode === 'protected' ? bare(code, { ring }) : bare64(code, { ring, mode: mode === '64-bit' ? '64' : 'compat', vendor: n % 2 ? 'amd' : 'intel' });
      // Point some registers at memory that exists so more instructions get past their operands.
      for (let r = 0; r < 8; r++) if (r !== 4 && next() % 2) t.cpu.regs[r] = 0x20000 + (next() & 0xffff);
      const reason = t.cpu.run(2_000);
      expect(reason, t.cpu.shutdownReport ?? '').not.toBe('internal-error');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    expect([...reasons.keys()].every((r) => ['budget', 'hlt', 'triple-fault', 'stopped'].includes(r))).toBe(true);
  }, LONG ? 3_600_000 : 60_000);
});
