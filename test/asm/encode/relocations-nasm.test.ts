// Relocated operands against real NASM's ELF objects: the same bytes and, per relocation, the same
// field, width, pc-relativity, symbol and addend (REL objects carry the addend in the field).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fixup, Operand, ParsedInstruction } from '../../../tools/asm/instruction.ts';
import { encodeInstruction } from '../../../tools/asm/encode/index.ts';
import { hasRealNasm } from '../../helpers/real-nasm.ts';
import { imm, mem, reg, relocated, target } from './build.ts';
import { readElfSection, type ElfRelocation } from './elf-object.ts';
import { listingSpans } from './nasm-listing.ts';
import { printInstruction, sectionLabel } from './print.ts';

const ext = (addend = 0n): Operand => target(relocated('ext', addend));
const dat = (addend = 0n): Operand => target(relocated('.data', addend, true));
type Mem = Extract<Operand, { kind: 'mem' }>;
const memAt = (bits: 32 | 64, over: Parameters<typeof mem>[1], value: ReturnType<typeof relocated>): Mem => ({ ...mem(bits, over), disp: value, hasDisp: true });
const ins = (mnemonic: string, ...operands: Operand[]): ParsedInstruction => ({ mnemonic, prefixes: [], operands });

function cases(bits: 32 | 64): ParsedInstruction[] {
  const ax = bits === 64 ? 'rax' : 'eax';
  const common = [
    ins('call', ext()), ins('jmp', ext()), ins('jz', ext(8n)), ins('call', dat(0x10n)), ins('jmp', dat(4n)),
    ins('mov', reg('eax'), ext()), ins('mov', reg('ecx'), dat(4n)), ins('push', ext(2n)), ins('add', reg('eax'), dat()),
    ins('cmp', reg('ecx'), ext(-1n)), ins('mov', reg('al'), ext()), ins('mov', reg('ax'), dat(2n)), ins('imul', reg('eax'), reg('ebx'), ext()),
    ins('mov', reg('eax'), memAt(bits, { base: 'ebx' }, relocated('.data', 8n, true))),
    ins('mov', reg('eax'), memAt(bits, { base: 'ebx', index: 'ecx', scale: 4 }, relocated('ext', 0n))),
    ins('mov', { ...memAt(bits, { base: ax }, relocated('.data', 4n, true)), size: 32 }, ext()),
    ins('add', { ...memAt(bits, { base: 'esi' }, relocated('.data', 0n, true)), size: 8 }, imm(1)),
    ins('mov', reg('eax'), memAt(bits, { base: null }, relocated('.data', 12n, true))),
    ins('mov', memAt(bits, { base: null }, relocated('ext', 0n)), reg('eax')),
    ins('mov', reg('edx'), memAt(bits, { base: null }, relocated('ext', 0n))),
  ];
  if (bits === 32) return [...common, ins('push', dat(0x20n)), ins('jecxz', ext()), ins('loop', dat())];
  const rel = (value: ReturnType<typeof relocated>, size: 8 | 32 | 64 | null = null): Operand => ({ ...memAt(64, { base: null, addressing: 'rel' }, value), size });
  return [
    ...common,
    ins('mov', reg('rax'), ext()), ins('mov', reg('r9'), dat(8n)), ins('push', ext()), ins('add', reg('rax'), dat()),
    ins('mov', reg('eax'), rel(relocated('ext', 0n))), ins('lea', reg('rsi'), rel(relocated('.data', 0x10n, true))),
    ins('mov', rel(relocated('.data', 4n, true), 32), imm(5)), ins('cmp', rel(relocated('ext', 0n), 64), imm(0x12)),
    ins('mov', rel(relocated('.data', 0n, true), 8), imm(1)), ins('call', rel(relocated('ext', 0n), 64)),
    ins('mov', reg('rax'), memAt(64, { base: null }, relocated('.data', 0n, true))),
  ];
}

const TYPES: Record<32 | 64, Record<number, [number, boolean, boolean]>> = {
  32: { 1: [4, false, false], 2: [4, true, true], 20: [2, false, false], 21: [2, true, true], 22: [1, false, false], 23: [1, true, true] },
  64: { 1: [8, false, false], 2: [4, true, true], 10: [4, false, false], 11: [4, false, true], 12: [2, false, false], 13: [2, true, true], 14: [1, false, false], 15: [1, true, true] },
};

interface Expected { bytes: string; fixups: Omit<Fixup, 'signed'>[]; signed: boolean[] }

function nasmObject(bits: 32 | 64, lines: string[]): Expected[] {
  const dir = mkdtempSync(join(tmpdir(), 'nasm-elf-'));
  try {
    const header = ['bits ' + bits, 'extern ext', 'section .data', `${sectionLabel('.data')}: times 64 db 0`, 'section .text'];
    writeFileSync(join(dir, 'in.asm'), [...header, ...lines].join('\n') + '\n');
    execFileSync('nasm', ['-f', `elf${bits}`, '-w-all', '-o', join(dir, 'in.o'), '-l', join(dir, 'in.lst'), join(dir, 'in.asm')], { stdio: 'pipe' });
    const spans = listingSpans(readFileSync(join(dir, 'in.lst'), 'utf8'));
    const text = readElfSection(new Uint8Array(readFileSync(join(dir, 'in.o'))), '.text');
    return lines.map((_, i) => {
      const span = spans.get(header.length + i + 1)!;
      const bytes = text.bytes.slice(span.offset, span.offset + span.length);
      const own = text.relocations.filter((r) => r.offset >= span.offset && r.offset < span.offset + span.length);
      const fixups = own.map((r: ElfRelocation) => {
        const [size, pcRelative] = TYPES[bits][r.type]!;
        const field = r.offset - span.offset;
        let addend = r.addend;
        if (addend === null) {
          const view = new DataView(bytes.buffer, bytes.byteOffset + field, size);
          addend = BigInt(size === 4 ? view.getInt32(0, true) : size === 2 ? view.getInt16(0, true) : view.getInt8(0));
          bytes.fill(0, field, field + size);
        }
        return { offset: field, size: size as Fixup['size'], pcRelative, target: { symbol: r.symbol, isSection: r.isSection }, addend };
      });
      return { bytes: Buffer.from(bytes).toString('hex'), fixups, signed: own.map((r) => TYPES[bits][r.type]![2]) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasRealNasm())('relocations against NASM ELF objects', () => {
  for (const bits of [32, 64] as const) {
    it(`match NASM's elf${bits} bytes and relocations`, () => {
      const list = cases(bits);
      const lines = list.map((i) => printInstruction(i));
      const expected = nasmObject(bits, lines);
      let address = 0n;
      list.forEach((instruction, i) => {
        const r = encodeInstruction(instruction, { bits, address, section: '.text' });
        expect(r.ok, lines[i]).toBe(true);
        if (!r.ok) return;
        address += BigInt(r.bytes.length);
        const got = { bytes: Buffer.from(r.bytes).toString('hex'), fixups: r.fixups.map(({ signed: _s, ...f }) => f), signed: r.fixups.map((f) => f.signed) };
        const want = expected[i]!;
        if (bits === 32) { got.signed = []; want.signed = []; }
        expect({ line: lines[i], ...got }).toEqual({ line: lines[i], ...want });
      });
    });
  }
});
