// Global symbol resolution across input objects, with ELF's rules: one strong definition per
// name, a strong definition overrides weak ones (the first weak one wins among weak ones), a
// common symbol becomes bss space unless something defines the name, and an undefined weak
// reference resolves to 0.
import {
  SHF_ALLOC, SHF_WRITE, SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_LOCAL, STB_WEAK, STT_NOTYPE, STT_SECTION,
} from '../../machine/formats/elf-constants.ts';
import type { ElfSymbol } from '../../machine/formats/elf-types.ts';
import { hexOffset, type Diagnostics } from './diagnostics.ts';
import type { InputObject, InputSection } from './input.ts';

/** Where a resolved symbol's value comes from. */
export type Definition =
  | { kind: 'section'; section: InputSection; value: bigint }
  | { kind: 'absolute'; value: bigint };

/** One global name after resolution. */
export interface GlobalSymbol {
  name: string;
  definition: Definition | null;
  /** The chosen definition is weak. */
  weak: boolean;
  /** Largest common size and alignment seen, while no real definition exists. */
  common: { size: bigint; align: number; object: InputObject } | null;
  /** "file.o:(.text+0x4)", for the "first defined here" part of duplicate errors. */
  where: string;
  type: number;
  size: bigint;
}

/** The location text ld prints for a symbol's definition. */
function locationOf(object: InputObject, symbol: ElfSymbol): string {
  const section = object.elf.sections[symbol.sectionIndex];
  if (symbol.sectionIndex === SHN_ABS || !section) return `${object.name}:(*ABS*)`;
  return `${object.name}:(${section.name}+${hexOffset(symbol.value)})`;
}

/** Every global name of every object, resolved in input order. */
export class SymbolTable {
  readonly globals = new Map<string, GlobalSymbol>();
  /** Bss space made for common symbols, largest first. */
  readonly commonSections: InputSection[] = [];

  constructor(private readonly diags: Diagnostics) {}

  /** Enters the global and weak symbols of one object. */
  addObject(object: InputObject): void {
    for (const symbol of object.elf.symbols.slice(1)) {
      if (symbol.binding === STB_LOCAL) continue;
      this.add(object, symbol);
    }
  }

  private entry(name: string): GlobalSymbol {
    let g = this.globals.get(name);
    if (!g) {
      g = { name, definition: null, weak: false, common: null, where: '', type: STT_NOTYPE, size: 0n };
      this.globals.set(name, g);
    }
    return g;
  }

  private add(object: InputObject, symbol: ElfSymbol): void {
    const g = this.entry(symbol.name);
    if (symbol.sectionIndex === SHN_UNDEF) return;
    if (symbol.sectionIndex === SHN_COMMON) {
      if (g.definition) return;
      // st_value of a common symbol is its alignment.
      const align = Math.max(1, Number(symbol.value));
      if (!g.common) g.common = { size: symbol.size, align, object };
      else g.common = { size: symbol.size > g.common.size ? symbol.size : g.common.size, align: Math.max(align, g.common.align), object: g.common.object };
      g.type = symbol.type;
      return;
    }
    const weak = symbol.binding === STB_WEAK;
    if (g.definition) {
      if (weak) return;
      if (!g.weak) {
        this.diags.error(`${locationOf(object, symbol)}: multiple definition of \`${symbol.name}'; ${g.where}: first defined here`);
        return;
      }
    }
    Object.assign(g, {
      definition: this.definitionOf(object, symbol), weak, common: null, where: locationOf(object, symbol), type: symbol.type, size: symbol.size,
    });
  }

  private definitionOf(object: InputObject, symbol: ElfSymbol): Definition {
    if (symbol.sectionIndex === SHN_ABS) return { kind: 'absolute', value: symbol.value };
    const section = object.sections.get(symbol.sectionIndex);
    // A symbol in a section that is not loaded (debug information, notes) has no address: its offset stands.
    return section ? { kind: 'section', section, value: symbol.value } : { kind: 'absolute', value: symbol.value };
  }

  /** Turns each still-common symbol into bss space of its own, largest first as ld places them. */
  allocateCommons(): void {
    const commons = [...this.globals.values()].filter((g) => !g.definition && g.common);
    // Array.prototype.sort is stable: equal sizes keep the order they were first seen in.
    commons.sort((a, b) => (a.common!.size > b.common!.size ? -1 : a.common!.size < b.common!.size ? 1 : 0));
    for (const g of commons) {
      const { object, size, align } = g.common!;
      const section: InputSection = {
        object, index: -1, name: 'COMMON', flags: SHF_ALLOC | SHF_WRITE, nobits: true, align, size: Number(size),
        data: new Uint8Array(0), address: 0n, offset: 0,
      };
      this.commonSections.push(section);
      Object.assign(g, { definition: { kind: 'section', section, value: 0n }, size, common: null });
    }
  }

  /** Defines a linker-provided name unless an object defined it; `always` also defines it when nothing refers to it. */
  provide(name: string, value: bigint, always: boolean): void {
    const g = this.globals.get(name);
    if (g?.definition) return;
    if (!g && !always) return;
    Object.assign(this.entry(name), { definition: { kind: 'absolute', value }, weak: false });
  }
}

/** The address a definition stands for, once sections are laid out. */
export function definitionValue(d: Definition): bigint {
  return d.kind === 'section' ? d.section.address + d.value : d.value;
}

/** The value of symbol `symbol` of `object`: an address, or null for an unresolved global. */
export function symbolValue(object: InputObject, symbol: ElfSymbol, table: SymbolTable): bigint | null {
  if (symbol.binding === STB_LOCAL || symbol.type === STT_SECTION) {
    if (symbol.sectionIndex === SHN_ABS || symbol.sectionIndex === SHN_UNDEF) return symbol.value;
    const section = object.sections.get(symbol.sectionIndex);
    return section ? section.address + symbol.value : symbol.value;
  }
  const g = table.globals.get(symbol.name);
  if (g?.definition) return definitionValue(g.definition);
  return symbol.binding === STB_WEAK ? 0n : null;
}
