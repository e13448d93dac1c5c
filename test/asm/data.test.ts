// Data directives, constants, labels and structures, assembled to flat binaries.
// Expected bytes were produced by NASM 2.16 from the same sources.
import { describe, expect, it } from 'vitest';
import { asm, hexOf } from './helpers.ts';

const CASES: Array<[string, string, string]> = [
  ["db with numbers, characters and strings", "db 1, 255, -1, 'a', 'ab', \"cd\", `\\n\\t\\x41\\101\\\\`, 0\n", "01ffff61616263640a0941415c00"],
  ["empty string emits nothing", "db '', 1\n", "01"],
  ["dw/dd/dq pad strings to whole units", "dw 'abc'\ndd 'abcde'\ndq 'x'\n", "6162630061626364650000007800000000000000"],
  ["little-endian words, dwords, qwords", "dw 0x1234, -2\ndd 0x12345678, -1\ndq 0x123456789abcdef0, -2\n", "3412feff78563412fffffffff0debc9a78563412feffffffffffffff"],
  ["numeric syntaxes", "dw 0x1F, 1Fh, 0h1F, $1F, 0b101, 101b, 101y, 0y11, 17q, 17o, 0o17, 0q17, 99d, 0d99, 0t99, 1_000, 0xA_B\n", "1f001f001f001f0005000500050003000f000f000f000f00630063006300e803ab00"],
  ["floating-point constants", "dd 1.5, -2.0, 0.1\ndq 3.25, -0.5, 1e10\ndw 1.5\ndt 1.0, -2.5\n", "0000c03f000000c0cdcccc3d0000000000000a40000000000000e0bf000000205fa00242003e0000000000000080ff3f00000000000000a000c0"],
  ["tword floats rounded from the decimal digits", "dt 3.14159, 0.1, -2.5, 1e4000, 123456789.123456789e-20, 0.0\n", "1d7233dc80cf0fc90040cdccccccccccccccfb3f00000000000000a000c0618c55fe2383bad1e673cbc15332f7febfadd73f00000000000000000000"],
  ["character constants in expressions", "dd 'ab' + 1, 'abcd'\ndb 'a' | 0x20\n", "626200006162636461"],
  ["times repeats data and $ is the line start", "times 3 db 0xAA\ntimes 2 dw $\ndd $, $\n", "aaaaaa030003000700000007000000"],
  ["resb in .text zero-fills", "db 1\nresb 3\nresw 1\nresd 1\nresq 1\ndb 2\n", "01000000000000000000000000000000000002"],
  ["align pads with NOP bytes and alignb reserves", "db 1\nalign 4\ndb 2\nalignb 8\ndb 3\nalign 2, nop\ndb 4\n", "0190909002000000039004"],
  ["equ and forward references", "dw fwd, k\nk equ fwd + 2\nfwd: db 9\n", "0400060009"],
  ["local labels attach to the previous non-local label", "a: dw .x\n.x: dw a.x\nb: dw .x\n.x: dw b.x, a.x\n", "02000200060006000200"],
  ["labels without colons", "start db 1\nlen equ $ - start\n dw len\nend dd start, end\n", "0101000000000003000000"],
  ["..@ labels do not start a new scope", "top: db 0\n..@lab: db 1\n.x: dw top.x, ..@lab\n", "000102000100"],
  ["struc and istruc", "struc pt\n .x: resw 1\n .y: resw 1\n .name: resb 5\nendstruc\ndw pt_size, pt.y, pt.name\np: istruc pt\n at pt.x, dw 1\n at pt.name, db 'ab'\niend\ndb 0xEE\n", "090002000400010000006162000000ee"],
  ["struc fields are local to the struc name", "struc s\n.a resd 1\n.b resb 1\nendstruc\ndd s.b, s_size\n", "0400000005000000"],
  ["org shifts labels", "org 0x100\nl: dw l, $, $$\n", "000100010001"],
  ["$ before a name makes it a label even when it is a keyword or register", "$mov: dd $mov\n$eax: dd $eax\n$byte dw $byte\n", "00000000040000000800"],
];

describe('data directives, labels and structures (bin)', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(hexOf(asm(source))).toBe(expected);
  });
});
