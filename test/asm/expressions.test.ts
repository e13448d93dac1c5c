// Expressions: NASM's operators, precedence and 64-bit arithmetic.
// Expected bytes were produced by NASM 2.16 from the same sources.
import { describe, expect, it } from 'vitest';
import { asm, hexOf } from './helpers.ts';

const CASES: Array<[string, string, string]> = [
  ["precedence of * over + and of + over shifts", "dd 2 + 3 * 4, 1 << 2 + 1, 1 | 2 ^ 3 & 4\n", "0e0000000800000003000000"],
  ["unsigned and signed division and modulo", "dd -7 / 2, -7 // 2, -7 % 3, -7 %% 3, 7 // -2\n", "fcfffffffdffffff00000000fffffffffdffffff"],
  ["unary operators", "dd -5, ~0, !0, !7, - -3, +4\n", "fbffffffffffffff01000000000000000300000004000000"],
  ["shifts are 64-bit and logical", "dq 1 << 63, -1 >> 60, 1 << 64\n", "00000000000000800f000000000000000100000000000000"],
  ["comparison and logical operators yield 1 or 0", "db 1 == 1, 1 = 2, 1 != 2, 1 <> 1, 2 < 3, 3 <= 2, 3 > 2, 2 >= 3, 1 && 0, 1 || 0, 1 ^^ 1\n", "0100010001000100000100"],
  ["parentheses", "dd (2 + 3) * 4, ((1))\n", "1400000001000000"],
  ["$ and $$ arithmetic", "org 0x1000\ndb 0, 0\nx: dw $ - $$, x - $$, $$\n", "0000020002000010"],
  ["label differences across sections in bin", "section .data\nd1: db 1\nsection .text\nt1: dd d1 - t1\n", "0400000001"],
  ["64-bit wrap-around", "dq 0xFFFFFFFFFFFFFFFF + 2, 0x8000000000000000 * 2\n", "01000000000000000000000000000000"],
];

describe('expressions', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(hexOf(asm(source))).toBe(expected);
  });
});
