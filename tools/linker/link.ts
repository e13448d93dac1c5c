// The static linker as a library: input object files and options in, executable bytes and
// ld-style messages out. The command-line front end (main.ts) and the build call this.
import {
  PF_W, PF_X, PT_LOAD, SHF_WRITE, SHN_ABS, SHT_NOBITS, SHT_PROGBITS, STB_GLOBAL, STB_LOCAL, STB_WEAK,
  STT_FILE, STT_SECTION,
} from '../../machine/formats/elf-constants.ts';
import type { ElfFile } from '../../machine/formats/elf-types.ts';
import { writeElfExecutable, type ExecutableSection, type ExecutableSymbol } from '../elf/write-executable.ts';
import { Diagnostics, paddedAddress } from './diagnostics.ts';
import { EMULATIONS, emulationOf, loadObject, parseInput, type EmulationName, type InputFile, type InputObject, type InputSection } from './input.ts';
import { buildOutputSections, layOut, type Layout, type LayoutMode, type OutputSection } from './layout.ts';
import { fillWithNops } from './code-fill.ts';
import { applyRelocations } from './relocate.ts';
import { definitionValue, symbolValue, SymbolTable } from './symbols.ts';

export type { InputFile } from './input.ts';

export interface LinkOptions {
  /** -m: elf_i386 or elf_x86_64; default: the class of the first input. */
  emulation?: EmulationName;
  /** -e: entry symbol or address; default `_start`. */
  entry?: string;
  /** -Ttext / -Tdata / -Tbss addresses. */
  textAddress?: bigint;
  dataAddress?: bigint;
  bssAddress?: bigint;
  /** Segment layout: ld's default is separate-code. */
  mode?: LayoutMode;
  /** Warn, as ld does, when a segment is writable and executable (default true). */
  warnRwx?: boolean;
  /** The output file's name, for messages (default a.out). */
  outputName?: string;
  /** -s: leave out the symbol table. */
  stripAll?: boolean;
}

/** The outcome: the executable's bytes (null when any error was reported) and every message. */
export interface LinkResult {
  bytes: Uint8Array | null;
  errors: string[];
  warnings: string[];
}

/** A bound on the file this linker writes, so that a wild address cannot exhaust memory. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** Symbols ld's default script defines even when nothing refers to them. */
const ALWAYS_DEFINED = ['__bss_start', '_edata', '_end'];

/** Links relocatable objects into a static executable; never throws for bad input. */
export function link(inputs: InputFile[], options: LinkOptions = {}): LinkResult {
  const diags = new Diagnostics();
  const done = (bytes: Uint8Array | null): LinkResult => ({ bytes: diags.failed ? null : bytes, errors: diags.errors, warnings: diags.warnings });
  if (inputs.length === 0) {
    diags.error('no input files');
    return done(null);
  }
  const parsed: { name: string; elf: ElfFile }[] = [];
  for (const input of inputs) {
    const elf = parseInput(input, diags);
    if (elf) parsed.push({ name: input.name, elf });
  }
  const emulation = options.emulation ?? (parsed[0] ? emulationOf(parsed[0].elf) : undefined);
  if (!emulation) {
    if (parsed[0]) diags.error(`${parsed[0].name}: unsupported machine ${parsed[0].elf.header.machine} (only i386 and x86-64 objects can be linked)`);
    return done(null);
  }
  const { elfClass, machine, bfdName } = EMULATIONS[emulation];
  const objects: InputObject[] = [];
  for (const { name, elf } of parsed) {
    const own = emulationOf(elf);
    if (own !== emulation) {
      const theirs = own ? EMULATIONS[own].bfdName : `machine ${elf.header.machine}`;
      diags.error(`${theirs} architecture of input file \`${name}' is incompatible with ${bfdName} output`);
      continue;
    }
    objects.push(loadObject(name, elf));
  }
  if (diags.failed) return done(null);

  const table = new SymbolTable(diags);
  for (const object of objects) table.addObject(object);
  table.allocateCommons();
  const inputSections = objects.flatMap((o) => [...o.sections.values()]);
  const sections = buildOutputSections(inputSections, table.commonSections);
  const mode = options.mode ?? 'separate-code';
  const layout = layOut(sections, {
    elfClass, mode, textAddress: options.textAddress, dataAddress: options.dataAddress, bssAddress: options.bssAddress,
  });
  checkAddresses(layout, elfClass, diags);
  if (layout.contentEnd > MAX_OUTPUT_BYTES) diags.error(`the output would be ${layout.contentEnd} bytes long (at most ${MAX_OUTPUT_BYTES}): check -Ttext, -Tdata and -Tbss`);
  provideLinkerSymbols(table, layout, elfClass);
  applyRelocations(objects, table, elfClass, diags);
  const entry = entryAddress(options.entry ?? '_start', table, layout, elfClass, diags);
  if (options.warnRwx !== false && layout.segments.some((s) => (s.flags & PF_W) && (s.flags & PF_X))) {
    diags.warning(`${options.outputName ?? 'a.out'} has a LOAD segment with RWX permissions`);
  }
  if (diags.failed) return done(null);

  const outputIndex = new Map<OutputSection, number>();
  const executableSections: ExecutableSection[] = [];
  for (const s of layout.sections) {
    if (s.size === 0) continue;
    outputIndex.set(s, executableSections.length + 1);
    // ld -N marks its .text output section writable, like the segment that holds it.
    const writable = mode === 'omagic' && s.name === '.text' ? SHF_WRITE : 0;
    executableSections.push({
      name: s.name, type: s.nobits ? SHT_NOBITS : SHT_PROGBITS, flags: s.flags | writable, addr: s.address, offset: s.offset,
      size: s.size, addralign: s.align,
    });
  }
  const bytes = writeElfExecutable({
    elfClass, machine, entry, phnum: layout.phnum,
    segments: layout.segments.map((s) => ({ type: PT_LOAD, flags: s.flags, offset: s.offset, vaddr: s.vaddr, paddr: s.vaddr, filesz: s.filesz, memsz: s.memsz, align: s.align })),
    contents: imageContents(layout, elfClass), sections: executableSections,
    symbols: options.stripAll ? null : outputSymbols(objects, table, layout, outputIndex),
  });
  return done(bytes);
}

/** Reports sections that overlap in memory or run past the end of the address space, as ld does. */
function checkAddresses(layout: Layout, elfClass: 32 | 64, diags: Diagnostics): void {
  const placed = layout.sections.filter((s) => s.size > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const last = (s: OutputSection) => s.address + BigInt(s.size) - 1n;
  const range = (s: OutputSection) => `[${paddedAddress(s.address, 64)},${paddedAddress(last(s), 64)}]`;
  for (const [i, s] of placed.entries()) {
    if (last(s) >= 1n << BigInt(elfClass)) diags.error(`section ${s.name} VMA ${range(s)} runs past the end of the ${elfClass}-bit address space`);
    const next = placed[i + 1];
    if (next && next.address <= last(s)) diags.error(`section ${next.name} VMA ${range(next)} overlaps section ${s.name} VMA ${range(s)}`);
  }
}

/** Defines __bss_start, _edata, _end, and (when referenced) edata, end, etext, _etext, __etext, __executable_start. */
function provideLinkerSymbols(table: SymbolTable, layout: Layout, elfClass: 32 | 64): void {
  const end = (s: OutputSection) => s.address + BigInt(s.size);
  const group = (name: OutputSection['group']) => layout.sections.filter((s) => s.group === name);
  const text = group('text');
  const data = group('data');
  const bss = group('bss');
  const lastOf = (list: OutputSection[]) => list[list.length - 1];
  const etext = lastOf(text) ? end(lastOf(text)!) : layout.imageBase;
  const edata = lastOf(data) ? end(lastOf(data)!) : layout.dataStart;
  const word = BigInt(elfClass / 8);
  const last = lastOf(bss) ?? lastOf(data);
  const endAddress = (((last ? end(last) : edata) + word - 1n) / word) * word;
  const values: [string, bigint][] = [
    ['__bss_start', edata], ['_edata', edata], ['_end', endAddress], ['edata', edata], ['end', endAddress],
    ['etext', etext], ['_etext', etext], ['__etext', etext], ['__executable_start', layout.imageBase],
  ];
  for (const [name, value] of values) table.provide(name, value, ALWAYS_DEFINED.includes(name));
}

/** ld's rule: the entry symbol's value, else a number, else the start of .text with a warning. */
function entryAddress(entry: string, table: SymbolTable, layout: Layout, elfClass: 32 | 64, diags: Diagnostics): bigint {
  const g = table.globals.get(entry);
  if (g?.definition) return definitionValue(g.definition);
  if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(entry)) return BigInt(entry);
  const text = layout.sections.find((s) => s.name === '.text') ?? layout.sections.find((s) => s.group === 'text');
  const fallback = text?.address ?? 0n;
  diags.warning(`cannot find entry symbol ${entry}; defaulting to ${paddedAddress(fallback, elfClass)}`);
  return fallback;
}

/** The file image up to the last section byte: sections' contents, code gaps filled with NOPs. */
function imageContents(layout: Layout, elfClass: 32 | 64): Uint8Array {
  const out = new Uint8Array(layout.contentEnd);
  for (const section of layout.sections) {
    if (section.nobits) continue;
    let at = section.offset;
    for (const input of section.inputs) {
      if (section.group === 'text') fillWithNops(out, at, input.offset, elfClass);
      out.set(input.data, input.offset);
      at = input.offset + input.data.length;
    }
  }
  return out;
}

/** The executable's symbol table: per object its file symbol and locals, then every global. */
function outputSymbols(
  objects: InputObject[], table: SymbolTable, layout: Layout, outputIndex: Map<OutputSection, number>,
): ExecutableSymbol[] {
  const sectionOf = new Map<InputSection, number>();
  for (const s of layout.sections) for (const input of s.inputs) sectionOf.set(input, outputIndex.get(s) ?? SHN_ABS);
  const locals: ExecutableSymbol[] = [];
  for (const object of objects) {
    for (const symbol of object.elf.symbols.slice(1)) {
      if (symbol.binding !== STB_LOCAL || symbol.type === STT_SECTION) continue;
      if (symbol.type === STT_FILE) {
        locals.push({ name: symbol.name, value: 0n, size: 0n, binding: STB_LOCAL, type: STT_FILE, sectionIndex: SHN_ABS });
        continue;
      }
      const input = object.sections.get(symbol.sectionIndex);
      if (!input && symbol.sectionIndex !== SHN_ABS) continue;
      locals.push({
        name: symbol.name, value: symbolValue(object, symbol, table) ?? 0n, size: symbol.size, binding: STB_LOCAL,
        type: symbol.type, sectionIndex: input ? sectionOf.get(input)! : SHN_ABS,
      });
    }
  }
  const globals: ExecutableSymbol[] = [];
  for (const g of table.globals.values()) {
    // Like ld, an undefined weak name (resolved to 0) is left out of a static executable's table.
    if (!g.definition) continue;
    const sectionIndex = g.definition.kind === 'section' ? sectionOf.get(g.definition.section) ?? SHN_ABS : SHN_ABS;
    globals.push({
      name: g.name, value: definitionValue(g.definition), size: g.size, binding: g.weak ? STB_WEAK : STB_GLOBAL, type: g.type, sectionIndex,
    });
  }
  return [...locals, ...globals];
}

