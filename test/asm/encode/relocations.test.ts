// Relocated values: full-size fields plus fixups whose offsets and addends the linker can apply.
import { describe, expect, it } from 'vitest';
import type { EncodeResult, Fixup } from '../../../tools/asm/instruction.ts';
import { enc, hexOf, mem, reg, relocated, target } from './build.ts';

function fixups(r: EncodeResult): Fixup[] {
  if (!r.ok) throw new Error(r.error);
  return r.fixups;
}

describe('relocated operands', () => {
  it('calls an external symbol with a pc-relative rel32 fixup', () => {
    const r = enc(32, 'call', [target(relocated('puts', 0n))]);
    expect(hexOf(r)).toBe('e800000000');
    expect(fixups(r)).toEqual([{ offset: 1, size: 4, pcRelative: true, signed: true, target: { symbol: 'puts', isSection: false }, addend: -4n }]);
  });

  it('uses the near form for jumps to other sections and symbols, never short', () => {
    expect(hexOf(enc(32, 'jmp', [target(relocated('exit', 0n))]))).toBe('e900000000');
    const jz = enc(32, 'jz', [target(relocated('.text.other', 0x10n, true))]);
    expect(hexOf(jz)).toBe('0f8400000000');
    expect(fixups(jz)[0]).toMatchObject({ offset: 2, size: 4, pcRelative: true, addend: 0x10n - 4n });
  });

  it('resolves branches to labels of the current section without a fixup', () => {
    const r = enc(32, 'jmp', [target(relocated('.text', 0x20n, true))], [], 0x10n);
    expect(hexOf(r)).toBe('eb0e');
    expect(fixups(r)).toEqual([]);
  });

  it('keeps full-size immediates for relocated values even when the addend is small', () => {
    const push = enc(32, 'push', [target(relocated('.data', 4n, true))]);
    expect(hexOf(push)).toBe('6800000000');
    expect(fixups(push)).toEqual([{ offset: 1, size: 4, pcRelative: false, signed: false, target: { symbol: '.data', isSection: true }, addend: 4n }]);
    expect(hexOf(enc(32, 'add', [reg('eax'), target(relocated('.data', 4n, true))]))).toBe('0500000000');
    expect(hexOf(enc(32, 'mov', [reg('ecx'), target(relocated('msg', 0n))]))).toBe('b900000000');
  });

  it('gives relocated displacements 32 bits and a fixup at the displacement', () => {
    const moffs = enc(32, 'mov', [reg('eax'), mem(32, { base: null, disp: 0n })]);
    expect(hexOf(moffs)).toBe('a100000000');
    const r = enc(32, 'mov', [reg('eax'), { ...mem(32, { base: 'ebx' }), disp: relocated('table', 8n), hasDisp: true }]);
    expect(hexOf(r)).toBe('8b8300000000');
    expect(fixups(r)).toEqual([{ offset: 2, size: 4, pcRelative: false, signed: false, target: { symbol: 'table', isSection: false }, addend: 8n }]);
  });

  it('makes RIP-relative fixups count the bytes after the displacement', () => {
    const load = enc(64, 'mov', [reg('eax'), { ...mem(64, { base: null, addressing: 'rel' }), disp: relocated('counter', 0n), hasDisp: true }]);
    expect(hexOf(load)).toBe('8b0500000000');
    expect(fixups(load)[0]).toMatchObject({ offset: 2, size: 4, pcRelative: true, signed: true, addend: -4n });
    const store = enc(64, 'mov', [{ ...mem(64, { base: null, addressing: 'rel', size: 32 }), disp: relocated('counter', 0n), hasDisp: true }, target({ value: 5n, reloc: null, known: true })]);
    expect(hexOf(store)).toBe('c7050000000005000000');
    expect(fixups(store)[0]).toMatchObject({ offset: 2, size: 4, pcRelative: true, addend: -8n });
  });

  it('marks 32-bit absolute addresses in 64-bit code as sign-extended', () => {
    const r = enc(64, 'mov', [reg('eax'), { ...mem(64, { base: null }), disp: relocated('table', 0n), hasDisp: true }]);
    expect(hexOf(r)).toBe('8b042500000000');
    expect(fixups(r)[0]).toMatchObject({ offset: 3, size: 4, pcRelative: false, signed: true });
  });

  it('loads a relocated 64-bit address with the imm64 form', () => {
    const r = enc(64, 'mov', [reg('rax'), target(relocated('.data', 0x10n, true))]);
    expect(hexOf(r)).toBe('48b80000000000000000');
    expect(fixups(r)[0]).toMatchObject({ offset: 2, size: 8, pcRelative: false, addend: 0x10n });
  });

  it('fills far pointers with a fixup for the offset', () => {
    const r = enc(32, 'jmp', [{ kind: 'far', segment: { value: 8n, reloc: null, known: true }, offset: relocated('.text', 0x40n, true) }]);
    expect(hexOf(r)).toBe('ea000000000800');
    expect(fixups(r)).toEqual([{ offset: 1, size: 4, pcRelative: false, signed: false, target: { symbol: '.text', isSection: true }, addend: 0x40n }]);
  });
});
