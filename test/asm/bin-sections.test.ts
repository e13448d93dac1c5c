// The flat binary format: section placement, ORG, align=, start=, vstart=, follows=.
// Expected bytes were produced by NASM 2.16 from the same sources.
import { describe, expect, it } from 'vitest';
import { asm, hexOf } from './helpers.ts';

const CASES: Array<[string, string, string]> = [
  [".text comes first, other sections follow aligned to 4, .bss is not written", "section .data\ndb 1\nsection .text\ndb 0x90\nsection .bss\nresb 3\nsection .foo\ndb 2\nsection .rodata\ndb 3\n", "90000000010000000200000003"],
  ["labels in later sections and .bss get addresses after .text", "org 0x7c01\ndb 0x90\nsection .data\nd: db 1\nsection .bss\nb: resb 1\nsection .text\ndd b, d\n", "90107c00000c7c0000000001"],
  ["align= on a section", "db 1\nsection .data align=16\ndb 2\n", "0100000000000000000000000000000002"],
  ["align inside a section raises its alignment", "db 1\nsection .data\ndb 1\nalign 16\ndb 2\nsection .d2\ndb 3\n", "01000000000000000000000000000000019090909090909090909090909090900200000003"],
  ["start= and vstart=", "db 1\nsection .x start=0x10\ndb 2\nsection .y vstart=0x5000\nlab: db 3\ndd lab\n", "01000000000000000000000000000000020000000300500000"],
  ["follows=", "db 1\nsection .data\ndb 2\nsection .e follows=.text\ndb 3\n", "010000000300000002"],
  ["returning to a section continues it", "section .text\ndb 1\nsection .data\ndb 2\nsection .text\ndb 3\nsection .data\ndb 4\n", "010300000204"],
  ["segment is section", "segment .data\ndb 5\nsegment .text\ndb 6\n", "0600000005"],
  ["bracketed directives", "[org 0x100]\n[section .text]\nl: dw l\n", "0001"],
  ["nobits attribute", "db 1\nsection .zero nobits\nz: resb 4\nsection .text\ndd z\n", "0108000000"],
];

describe('bin sections', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(hexOf(asm(source))).toBe(expected);
  });
});
