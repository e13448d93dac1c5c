// Relative branches: short when known and in range or not yet known, near otherwise or when asked.
import { describe, expect, it } from 'vitest';
import { enc, forward, hexOf, mem, reg, target } from './build.ts';

const at = (v: bigint) => target({ value: v, reloc: null, known: true });

describe('relative branches', () => {
  it('picks short for a known target in range and near beyond it', () => {
    expect(hexOf(enc(32, 'jmp', [at(0x1081n)], [], 0x1000n))).toBe('eb7f');
    expect(hexOf(enc(32, 'jmp', [at(0x1082n)], [], 0x1000n))).toBe('e97d000000');
    expect(hexOf(enc(32, 'jz', [at(0x1000n - 0x7en)], [], 0x1000n))).toBe('7480');
    expect(hexOf(enc(32, 'jz', [at(0x1000n - 0x7fn)], [], 0x1000n))).toBe('0f847bffffff');
    expect(hexOf(enc(16, 'jnz', [at(0x300n)], [], 0x100n))).toBe('0f85fc01');
  });

  it('assumes short while the target is not yet known', () => {
    expect(hexOf(enc(32, 'jmp', [target(forward())], [], 0x1000n))).toHaveLength(4);
    expect(hexOf(enc(64, 'jc', [target(forward())], [], 0x1000n))).toHaveLength(4);
    expect(hexOf(enc(32, 'call', [target(forward())]))).toHaveLength(10);
  });

  it('honours near and short keywords', () => {
    expect(hexOf(enc(32, 'jmp', [target({ value: 2n, reloc: null, known: true }, 'near')]))).toBe('e9fdffffff');
    expect(hexOf(enc(32, 'jmp', [target({ value: 0x200n, reloc: null, known: true }, 'short')]))).toBe('error: short jump is out of range');
    expect(hexOf(enc(32, 'call', [target({ value: 2n, reloc: null, known: true }, 'short')]))).toBe('error: mismatch in operand sizes');
  });

  it('uses 64-bit operand size without a prefix for near branches in 64-bit mode', () => {
    expect(hexOf(enc(64, 'call', [at(0x2000n)], [], 0x1000n))).toBe('e8fb0f0000');
    expect(hexOf(enc(64, 'jmp', [reg('rax')]))).toBe('ffe0');
    expect(hexOf(enc(64, 'jmp', [reg('eax')]))).toBe('error: instruction not supported in 64-bit mode');
  });

  it('encodes loop and jcxz with the count register as address size', () => {
    expect(hexOf(enc(32, 'loop', [at(0x1000n)], [], 0x1000n))).toBe('e2fe');
    expect(hexOf(enc(32, 'loop', [at(0x1000n), reg('cx')], [], 0x1000n))).toBe('67e2fd');
    expect(hexOf(enc(64, 'loop', [at(0x1000n), reg('ecx')], [], 0x1000n))).toBe('67e2fd');
    expect(hexOf(enc(32, 'jcxz', [at(0x1000n)], [], 0x1000n))).toBe('67e3fd');
    expect(hexOf(enc(64, 'jrcxz', [at(0x1000n)], [], 0x1000n))).toBe('e3fe');
    expect(hexOf(enc(64, 'jecxz', [at(0x1000n)], [], 0x1000n))).toBe('67e3fd');
    expect(hexOf(enc(32, 'loop', [at(0x2000n)], [], 0x1000n))).toBe('error: short jump is out of range');
  });
});

describe('values not yet known', () => {
  it('get full-size immediates and displacements, so later passes only shrink them', () => {
    const later = forward();
    expect(hexOf(enc(32, 'mov', [reg('eax'), { ...mem(32, { base: 'ebx' }), disp: later, hasDisp: true }]))).toBe('8b8300000000');
    expect(hexOf(enc(32, 'add', [reg('eax'), target(later)]))).toBe('0500000000');
    expect(hexOf(enc(32, 'push', [target(later)]))).toBe('6800000000');
    expect(hexOf(enc(64, 'mov', [reg('rax'), target(later)]))).toBe('48b80000000000000000');
  });
});
