// Prints a structured instruction as NASM source, so real NASM can assemble what the encoder gets.
import type { Operand, OperandSize, ParsedInstruction, Value } from '../../../tools/asm/instruction.ts';

const SIZE_NAMES: Readonly<Record<number, string>> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword', 80: 'tword', 128: 'oword' };

function sizeName(size: OperandSize | 8 | 16 | 32 | 64): string {
  const name = SIZE_NAMES[size];
  if (name === undefined) throw new Error(`no NASM keyword for size ${size}`);
  return name;
}

function number(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** The label the relocation tests define at the start of section `.name`: `name_start`. */
export function sectionLabel(section: string): string {
  return `${section.replace(/^\./, '')}_start`;
}

/** A value as NASM text; `here` prints it as an offset from `$` (for branch targets and rel). */
function value(v: Value, here: boolean): string {
  if (v.reloc !== null) {
    const name = v.reloc.isSection ? sectionLabel(v.reloc.symbol) : v.reloc.symbol;
    return v.value < 0n ? `${name}-${number(-v.value)}` : `${name}+${number(v.value)}`;
  }
  if (!here) return number(v.value);
  return v.value < 0n ? `$-${(-v.value).toString()}` : `$+${v.value.toString()}`;
}

/** One operand as NASM text; `here` as in `value`. An index without a base is printed with `nosplit`, which is what it means. */
export function printOperand(op: Operand, here = false): string {
  switch (op.kind) {
    case 'reg':
      return op.reg;
    case 'imm': {
      const parts: string[] = [];
      if (op.jump !== null) parts.push(op.jump);
      if (op.strict) parts.push('strict');
      if (op.size !== null) parts.push(sizeName(op.size));
      parts.push(value(op.value, here));
      return parts.join(' ');
    }
    case 'mem': {
      const inside: string[] = [];
      if (op.index !== null) inside.push(op.scale === 1 && op.base !== null ? op.index : `${op.index}*${op.scale}`);
      if (op.base !== null) inside.unshift(op.base);
      let text = inside.join('+');
      if (op.hasDisp) {
        const d = value(op.disp, here);
        text = text === '' ? d : d.startsWith('-') || d.startsWith('$') ? `${text}+${d}`.replace('+-', '-') : `${text}+${d}`;
      }
      const keywords: string[] = [];
      if (op.base === null && op.index !== null) keywords.push('nosplit');
      if (op.dispSize !== null) keywords.push(sizeName(op.dispSize));
      if (op.addressing === 'rel') keywords.push('rel');
      const seg = op.segment !== null ? `${op.segment}:` : '';
      const outer: string[] = [];
      if (op.size !== null) outer.push(sizeName(op.size));
      if (op.far) outer.push('far');
      outer.push(`[${seg}${keywords.length > 0 ? `${keywords.join(' ')} ` : ''}${text}]`);
      return outer.join(' ');
    }
    case 'far': {
      const size = 'size' in op && typeof op.size === 'number' ? `${sizeName(op.size as OperandSize)} ` : '';
      return `${size}${number(op.segment.value)}:${number(op.offset.value)}`;
    }
  }
}

/** The instruction as one line of NASM source; operand `hereIndex` is printed relative to `$`. */
export function printInstruction(ins: ParsedInstruction, hereIndex = -1): string {
  const head = [...ins.prefixes, ins.mnemonic].join(' ');
  if (ins.operands.length === 0) return head;
  return `${head} ${ins.operands.map((op, i) => printOperand(op, i === hereIndex)).join(', ')}`;
}
