import { describe, expect, it } from 'vitest';
import { bare64 } from './harness64.ts';

describe('64-bit mode basics', () => {
  it('enters long mode and runs 64-bit code', () => {
    const t = bare64(`
      mov rax, 0x123456789abcdef0
      mov r9, rax
      add r9, 1
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(9)).toBe(0x123456789abcdef1n);
    expect(t.vector()).toBe(-1);
  });
});
