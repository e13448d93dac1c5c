// Applies every relocation of every laid-out input section: computes S + A (- P) in the output's
// address size, checks that it fits the field under binutils' rule for the type, and patches it.
import type { ElfRelocationSection } from '../../machine/formats/elf-types.ts';
import { R_386_NONE, STT_SECTION } from '../../machine/formats/elf-constants.ts';
import { readSignedField, writeField } from '../elf/records.ts';
import { fitsField, relocationType } from '../elf/relocation-types.ts';
import { hexOffset, type Diagnostics } from './diagnostics.ts';
import type { InputObject, InputSection } from './input.ts';
import { symbolValue, type SymbolTable } from './symbols.ts';

/** Undefined references reported per symbol before ld-style "more undefined references" folding. */
const MAX_REPORTS_PER_SYMBOL = 5;

/** Patches all relocated fields of `objects` in their section copies; reports every failure. */
export function applyRelocations(objects: InputObject[], table: SymbolTable, elfClass: 32 | 64, diags: Diagnostics): void {
  const undefinedCounts = new Map<string, number>();
  for (const object of objects) {
    for (const rs of object.elf.relocationSections) {
      const target = object.sections.get(rs.targetIndex);
      // Relocations of sections that are not loaded (debug information) have nothing to patch.
      if (target) applySection(object, rs, target, table, elfClass, diags, undefinedCounts);
    }
  }
}

function symbolLabel(object: InputObject, symbolIndex: number): string {
  const symbol = object.elf.symbols[symbolIndex]!;
  if (symbol.type === STT_SECTION) return `\`${object.elf.sections[symbol.sectionIndex]?.name ?? '?'}'`;
  return `symbol \`${symbol.name}'`;
}

function applySection(
  object: InputObject, rs: ElfRelocationSection, target: InputSection, table: SymbolTable, elfClass: 32 | 64,
  diags: Diagnostics, undefinedCounts: Map<string, number>,
): void {
  const machine = object.elf.header.machine;
  for (const entry of rs.entries) {
    // R_386_NONE and R_X86_64_NONE (both 0) patch nothing.
    if (entry.type === R_386_NONE) continue;
    const where = `${object.name}:(${target.name}+${hexOffset(entry.offset)})`;
    const type = relocationType(machine, entry.type);
    if (!type) {
      diags.error(`${where}: unsupported relocation type ${entry.type} against ${symbolLabel(object, entry.symbolIndex)} (a static link handles absolute and PC-relative types only)`);
      continue;
    }
    const offset = Number(entry.offset);
    if (target.nobits) {
      diags.error(`${where}: ${type.name} relocation in ${target.name}, which has no contents (NOBITS)`);
      continue;
    }
    if (entry.offset < 0n || offset + type.size > target.size) {
      diags.error(`${where}: ${type.name} relocation lies outside the section (${target.size} bytes)`);
      continue;
    }
    const symbol = object.elf.symbols[entry.symbolIndex]!;
    const s = symbolValue(object, symbol, table);
    if (s === null) {
      const count = (undefinedCounts.get(symbol.name) ?? 0) + 1;
      undefinedCounts.set(symbol.name, count);
      if (count <= MAX_REPORTS_PER_SYMBOL) diags.error(`${where}: undefined reference to \`${symbol.name}'`);
      else if (count === MAX_REPORTS_PER_SYMBOL + 1) diags.error(`more undefined references to \`${symbol.name}' follow`);
      continue;
    }
    const a = entry.addend ?? readSignedField(target.data, offset, type.size);
    const p = target.address + entry.offset;
    const value = BigInt.asIntN(elfClass, s + a - (type.pcRelative ? p : 0n));
    if (!fitsField(value, type.size, type.overflow)) {
      const against = symbolLabel(object, entry.symbolIndex);
      diags.error(`${where}: relocation truncated to fit: ${type.name} against ${against} (value ${value < 0n ? '-' : ''}${hexOffset(value < 0n ? -value : value)} does not fit ${type.size * 8} bits${type.overflow === 'bitfield' ? '' : ` ${type.overflow}`})`);
      continue;
    }
    writeField(target.data, offset, type.size, value);
  }
}
