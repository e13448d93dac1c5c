// Bad input: NASM's messages, and never an exception, whatever the operands.
import { describe, expect, it } from 'vitest';
import { encodeInstruction } from '../../../tools/asm/encode/index.ts';
import type { Operand, ParsedInstruction } from '../../../tools/asm/instruction.ts';
import { enc, hexOf, imm, mem, reg } from './build.ts';

describe('errors', () => {
  it('words them as NASM does', () => {
    expect(hexOf(enc(32, 'inc', [mem(32)]))).toBe('error: operation size not specified');
    expect(hexOf(enc(32, 'mov', [mem(32), imm(1)]))).toBe('error: operation size not specified');
    expect(hexOf(enc(32, 'mov', [reg('eax'), reg('bl')]))).toBe('error: invalid combination of opcode and operands');
    expect(hexOf(enc(64, 'push', [reg('ds')]))).toBe('error: instruction not supported in 64-bit mode');
    expect(hexOf(enc(64, 'pop', [reg('eax')]))).toBe('error: instruction not supported in 64-bit mode');
    expect(hexOf(enc(32, 'swapgs', []))).toBe('error: instruction not supported in 32-bit mode');
    expect(hexOf(enc(32, 'mov', [reg('eax'), mem(32, { base: 'eax', index: 'bx' })]))).toBe('error: impossible combination of address sizes');
    expect(hexOf(enc(64, 'mov', [reg('eax'), mem(64, { base: 'bx' })]))).toBe('error: impossible combination of address sizes');
    expect(hexOf(enc(32, 'mov', [reg('eax'), mem(32, { base: null, index: 'esp', scale: 2 })]))).toBe('error: invalid 32-bit effective address');
    expect(hexOf(enc(16, 'mov', [reg('ax'), mem(16, { base: 'bx', index: 'bp' })]))).toBe('error: invalid 16-bit effective address');
    expect(hexOf(enc(64, 'mov', [reg('ah'), reg('sil')]))).toBe('error: cannot use high byte register in rex instruction');
    expect(hexOf(enc(32, 'lgdt', [mem(32, { size: 32 })]))).toBe('error: mismatch in operand sizes');
    expect(hexOf(enc(32, 'mov', [reg('eax'), imm(1)], ['o64']))).toBe('error: invalid operands in non-64-bit mode');
  });

  it('names instructions outside its scope', () => {
    expect(hexOf(enc(32, 'fld', [mem(32, { size: 64 })]))).toBe("error: instruction not supported by this assembler: `fld'");
    expect(hexOf(enc(32, 'addps', [reg('xmm0'), reg('xmm1')]))).toBe("error: instruction not supported by this assembler: `addps'");
    expect(hexOf(enc(32, 'movsd', [reg('xmm0'), reg('xmm1')]))).toBe("error: register `xmm0' is not supported by this assembler (x87, MMX and SSE are not)");
    expect(hexOf(enc(32, 'mov', [reg('eax'), reg('tr6')]))).toBe('error: invalid combination of opcode and operands');
    expect(hexOf(enc(32, 'nop', [], ['bogus']))).toBe("error: unknown prefix `bogus'");
    expect(hexOf(enc(32, 'nop', [], ['constructor']))).toBe("error: unknown prefix `constructor'");
    expect(hexOf(enc(32, 'jconstructor', [imm(0)]))).toBe("error: instruction not supported by this assembler: `jconstructor'");
    expect(hexOf(enc(32, 'toString', []))).toBe("error: instruction not supported by this assembler: `toString'");
    expect(hexOf(enc(32, 'inc', [mem(32, { size: 32, segment: 'xs' })]))).toBe("error: invalid segment override `xs'");
    expect(hexOf(enc(32, 'loop', [imm(0), reg('constructor')]))).toBe('error: invalid combination of opcode and operands');
  });

  it('never throws, for any mix of mnemonics and operands', () => {
    const operands: Operand[] = [
      reg('eax'), reg('r15'), reg('ah'), reg('cr3'), reg('fs'), reg('nonsense'), imm(0), imm(-1n << 70n), imm(1, 8, true),
      mem(32), mem(64, { base: 'rip' }), mem(32, { base: 'eax', index: 'eax', scale: 8, size: 80 }), mem(16, { base: null, dispSize: 64 }),
      { ...mem(32), far: true, size: 128 }, { kind: 'far', segment: { value: -1n, reloc: null, known: false }, offset: { value: 1n << 40n, reloc: null, known: true } },
      { kind: 'imm', value: { value: 5n, reloc: null, known: false }, size: 48, strict: true, jump: 'far' },
    ];
    const mnemonics = ['mov', 'add', 'jmp', 'call', 'loop', 'push', 'lgdt', 'imul', 'enter', 'in', 'out', 'xchg', 'movsd', 'ret', 'int', 'lar', 'bogus'];
    let count = 0;
    for (const bits of [16, 32, 64] as const) {
      for (const mnemonic of mnemonics) {
        for (const a of operands) {
          for (const b of [null, ...operands]) {
            const ins: ParsedInstruction = { mnemonic, prefixes: ['lock', 'o16'], operands: b === null ? [a] : [a, b] };
            const r = encodeInstruction(ins, { bits, address: 0n, section: '.text' });
            expect(typeof r.ok).toBe('boolean');
            count++;
          }
        }
      }
    }
    expect(count).toBe(3 * 17 * 16 * 17);
  });
});

describe('purity', () => {
  function frozen<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
      for (const v of Object.values(value)) frozen(v);
      Object.freeze(value);
    }
    return value;
  }

  it('leaves its input untouched and gives the same answer every time', () => {
    const ins = frozen<ParsedInstruction>({ mnemonic: 'imul', prefixes: ['lock'], operands: [reg('eax'), imm(5)] });
    const ctx = frozen({ bits: 32 as const, address: 0n, section: '.text' });
    const first = encodeInstruction(ins, ctx);
    const second = encodeInstruction(ins, ctx);
    expect(hexOf(first)).toBe('f06bc005');
    expect(second).toEqual(first);
  });
});
