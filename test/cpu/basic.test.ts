import { describe, expect, it } from 'vitest';
import { bare } from './harness.ts';

describe('core loop', () => {
  it('runs a few 32-bit instructions to hlt', () => {
    const t = bare(`
      mov eax, 5
      add eax, 7
      mov ebx, eax
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[3]).toBe(12);
  });
});
