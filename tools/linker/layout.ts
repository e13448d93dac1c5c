// Places input sections into output sections and segments the way GNU ld's default x86 linker
// scripts do (binutils 2.40, -z separate-code): headers in a read-only segment at the base,
// code on the next page, read-only data on the page after, then data and bss in a read-write
// segment whose address keeps the file offset's position within the page
// (DATA_SEGMENT_ALIGN). Input sections keep input order inside each output section; sections
// with names ld's script does not list become output sections of their own after the listed one
// of the same kind, as ld places orphans.
//
// One deliberate difference from ld's default script: `.multiboot*` sections go first in the code
// segment (as Multiboot kernels' linker scripts put them), so that the Multiboot header lands in
// the first 8 KiB of the file whatever the size of the rest.
import { PF_R, PF_W, PF_X, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE } from '../../machine/formats/elf-constants.ts';
import { sizesFor } from '../elf/records.ts';
import type { InputSection } from './input.ts';

/** Page size of both x86 emulations (ld's MAXPAGESIZE and COMMONPAGESIZE). */
const PAGE_SIZE = 0x1000;

/** How segments are formed: ld's default, `-z noseparate-code`, `-n` (--nmagic) or `-N` (--omagic). */
export type LayoutMode = 'separate-code' | 'noseparate-code' | 'nmagic' | 'omagic';

export interface LayoutOptions {
  elfClass: 32 | 64;
  mode: LayoutMode;
  /** Start of the code (-Ttext); default just past the headers' page. */
  textAddress?: bigint;
  /** Start of the data (-Tdata). */
  dataAddress?: bigint;
  /** Start of the bss (-Tbss). */
  bssAddress?: bigint;
}

type Group = 'text' | 'rodata' | 'data' | 'bss';

/** One section of the executable: input sections of one name (or family) concatenated. */
export interface OutputSection {
  name: string;
  group: Group;
  flags: number;
  nobits: boolean;
  align: number;
  inputs: InputSection[];
  address: bigint;
  offset: number;
  size: number;
}

/** One PT_LOAD segment. */
export interface Segment {
  flags: number;
  vaddr: bigint;
  offset: number;
  filesz: number;
  memsz: bigint;
  align: bigint;
}

export interface Layout {
  sections: OutputSection[];
  segments: Segment[];
  /** Number of program header slots (segments.length, or more with PT_NULL padding). */
  phnum: number;
  /** Size of the ELF header plus the program headers at file offset 0. */
  headerSize: number;
  /** End of the last byte of section contents in the file. */
  contentEnd: number;
  /** Where the data begins (after the read-only part), even when there is no data section. */
  dataStart: bigint;
  /** The address the headers are (or would be) loaded at: ld's __executable_start. */
  imageBase: bigint;
}

/** ld's default text-segment base for the machine. */
export function defaultBase(elfClass: 32 | 64): bigint {
  return elfClass === 64 ? 0x400000n : 0x08048000n;
}

const GROUPS: readonly Group[] = ['text', 'rodata', 'data', 'bss'];

/** The output sections ld's default script names, and the input names each collects. */
const CANONICAL: Record<Group, RegExp> = {
  text: /^\.text(\..*)?$/, rodata: /^\.rodata(\..*)?$/, data: /^\.data(\..*)?$/, bss: /^\.bss(\..*)?$/,
};

/** Where ld's orphan placement puts a section its script does not name: by its flags. */
function orphanGroup(s: InputSection): Group {
  if (s.nobits) return 'bss';
  if (s.flags & SHF_WRITE) return 'data';
  return s.flags & SHF_EXECINSTR ? 'text' : 'rodata';
}

const isMultiboot = (name: string): boolean => /^\.multiboot/.test(name);

/** The output section an input section goes to: the script's by name, else an orphan of its own. */
function placementOf(input: InputSection): { group: Group; name: string } {
  if (input.index < 0) return { group: 'bss', name: '.bss' };
  if (isMultiboot(input.name)) return { group: 'text', name: input.name };
  for (const group of GROUPS) if (CANONICAL[group].test(input.name)) return { group, name: `.${group}` };
  return { group: orphanGroup(input), name: input.name };
}

/** ld's .text rule lists .text.unlikely, .text.exit, .text.startup, .text.hot and sorted .text.sorted.* before the rest. */
const TEXT_ORDER = [/^\.text\.unlikely(\..*)?$|^\.text\..*_unlikely$/, /^\.text\.exit(\..*)?$/, /^\.text\.startup(\..*)?$/, /^\.text\.hot(\..*)?$/, /^\.text\.sorted\./];

/** The .text.sorted.* rank, whose sections ld sorts by name. */
const SORTED_TEXT_RANK = TEXT_ORDER.length - 1;

function textRank(input: InputSection): number {
  const rank = TEXT_ORDER.findIndex((pattern) => pattern.test(input.name));
  return rank < 0 ? TEXT_ORDER.length : rank;
}

/** Groups input sections into output sections in ld's order: multiboot, code, read-only data, data, bss. */
export function buildOutputSections(inputs: InputSection[], commons: InputSection[]): OutputSection[] {
  const byName = new Map<string, OutputSection>();
  const order: OutputSection[] = [];
  for (const input of [...inputs, ...commons]) {
    const { group, name } = placementOf(input);
    let out = byName.get(name);
    if (!out) {
      out = { name, group, flags: SHF_ALLOC, nobits: true, align: 1, inputs: [], address: 0n, offset: 0, size: 0 };
      byName.set(name, out);
      order.push(out);
    }
    out.inputs.push(input);
    out.flags |= input.flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR);
    out.nobits &&= input.nobits;
    out.align = Math.max(out.align, input.align);
  }
  // Array.prototype.sort is stable, so input order decides within a rank.
  const text = byName.get('.text');
  text?.inputs.sort((a, b) => textRank(a) - textRank(b) || (textRank(a) === SORTED_TEXT_RANK ? a.name.localeCompare(b.name) : 0));
  const rank = (s: OutputSection): number => {
    const groupRank = GROUPS.indexOf(s.group) * 3;
    if (isMultiboot(s.name)) return groupRank;
    return groupRank + (s.name === `.${s.group}` ? 1 : 2);
  };
  return order.sort((a, b) => rank(a) - rank(b));
}

/** The smallest file offset >= `minimum` that is congruent to `address` modulo the page size. */
function congruentOffset(address: bigint, minimum: number): number {
  const inPage = Number(address % BigInt(PAGE_SIZE));
  return inPage >= minimum ? inPage : inPage + Math.ceil((minimum - inPage) / PAGE_SIZE) * PAGE_SIZE;
}

function alignBig(value: bigint, align: number): bigint {
  const a = BigInt(align);
  return ((value + a - 1n) / a) * a;
}

/** A position in both address space and file, advanced together. */
class Cursor {
  constructor(public addr: bigint, public off: number) {}

  skip(delta: bigint): void {
    this.addr += delta;
    this.off += Number(delta);
  }

  /** Places `section`; an `endAlign` above 1 pads its end to that alignment, as ld's script pads .bss. */
  place(section: OutputSection, endAlign = 1): void {
    // ld records a bss section's file offset where the file stood before aligning the address.
    const before = this.off;
    this.skip(alignBig(this.addr, section.align) - this.addr);
    section.address = this.addr;
    section.offset = section.nobits ? before : this.off;
    let size = 0;
    for (const input of section.inputs) {
      size = Math.ceil(size / input.align) * input.align;
      input.address = section.address + BigInt(size);
      input.offset = section.offset + size;
      size += input.size;
    }
    if (size > 0) size = Number(alignBig(section.address + BigInt(size), endAlign) - section.address);
    section.size = size;
    this.addr += BigInt(size);
    // Bss takes no file space, not even for its alignment.
    this.off = section.nobits ? before : this.off + size;
  }

  /**
   * ld's DATA_SEGMENT_ALIGN: the next page, at the same position within the page. The address
   * moves by whole pages, so a new segment can keep the file offset; inside one segment
   * (`sameSegment`) the file must skip as much as the address.
   */
  dataSegmentAlign(sameSegment: boolean): void {
    const page = BigInt(PAGE_SIZE);
    const delta = alignBig(this.addr, PAGE_SIZE) + (this.addr & (page - 1n)) - this.addr;
    if (sameSegment) this.skip(delta);
    else this.addr += delta;
  }
}

function segmentOf(sections: OutputSection[], flags: number, align: bigint): Segment | null {
  const nonEmpty = sections.filter((s) => s.size > 0);
  if (nonEmpty.length === 0) return null;
  const first = nonEmpty[0]!;
  const last = nonEmpty[nonEmpty.length - 1]!;
  const withBytes = nonEmpty.filter((s) => !s.nobits);
  // A segment of bss alone reads nothing from the file: like ld, give it the lowest offset
  // congruent to its address.
  const offset = first.nobits ? congruentOffset(first.address, 0) : first.offset;
  const fileEnd = Math.max(offset, ...withBytes.map((s) => s.offset + s.size));
  // As in ld, a segment is also writable or executable when any of its sections is.
  for (const s of nonEmpty) flags |= (s.flags & SHF_WRITE ? PF_W : 0) | (s.flags & SHF_EXECINSTR ? PF_X : 0);
  return {
    flags, vaddr: first.address, offset, filesz: fileEnd - offset,
    memsz: last.address + BigInt(last.size) - first.address, align,
  };
}

/** Assigns addresses and file offsets to every output section and builds the PT_LOAD segments. */
export function layOut(sections: OutputSection[], options: LayoutOptions): Layout {
  // The headers' size depends on the number of segments, which depends on the layout: iterate
  // until the count is stable; should it not settle, spare program header slots become PT_NULL.
  let phnum = 4;
  for (let round = 0; ; round++) {
    const layout = layOutWith(sections, options, phnum);
    if (layout.segments.length === phnum || (round >= 2 && layout.segments.length < phnum)) return layout;
    phnum = layout.segments.length;
  }
}

function layOutWith(sections: OutputSection[], options: LayoutOptions, phnum: number): Layout {
  const sizes = sizesFor(options.elfClass);
  const base = defaultBase(options.elfClass);
  const page = BigInt(PAGE_SIZE);
  const of = (group: Group) => sections.filter((s) => s.group === group);
  const [text, rodata, data, bss] = [of('text'), of('rodata'), of('data'), of('bss')];
  const headerSize = sizes.ehdr + phnum * sizes.phdr;
  const segments: Segment[] = [];
  const push = (segment: Segment | null): void => {
    if (segment) segments.push(segment);
  };
  let imageBase: bigint;
  let cursor: Cursor;
  let dataStart: bigint;
  const rwSections = [...data, ...(options.bssAddress === undefined ? bss : [])];
  // ld's scripts end .bss with `. = ALIGN(. != 0 ? WORD : 1)`: a non-empty .bss is padded to the word size.
  const word = options.elfClass / 8;
  const place = (s: OutputSection): void => cursor.place(s, s.name === '.bss' ? word : 1);

  if (options.mode === 'nmagic' || options.mode === 'omagic') {
    // One RWX segment right after the headers, which are not loaded; -n puts data on its own page.
    // Like ld, address and offset start aligned for the first section; the offset then moves on
    // until it is congruent with the address modulo the segment's alignment (the largest one).
    const firstAlign = sections[0]?.align ?? 1;
    const maxAlign = Math.max(1, ...sections.map((s) => s.align));
    imageBase = options.textAddress ?? base;
    const start = alignBig(options.textAddress ?? base + BigInt(headerSize), firstAlign);
    const offset = Math.ceil(headerSize / firstAlign) * firstAlign;
    const misalignment = (Number(start % BigInt(maxAlign)) - (offset % maxAlign) + maxAlign) % maxAlign;
    cursor = new Cursor(start, offset + misalignment);
    for (const s of [...text, ...rodata]) cursor.place(s);
    if (options.dataAddress !== undefined) {
      push(segmentOf([...text, ...rodata], PF_R | PF_W | PF_X, BigInt(maxAlign)));
      cursor = new Cursor(options.dataAddress, congruentOffset(options.dataAddress, cursor.off));
      dataStart = cursor.addr;
      for (const s of rwSections) place(s);
      push(segmentOf(rwSections, PF_R | PF_W, page));
    } else {
      if (options.mode === 'nmagic') cursor.dataSegmentAlign(true);
      dataStart = cursor.addr;
      for (const s of rwSections) place(s);
      push(segmentOf([...text, ...rodata, ...rwSections], PF_R | PF_W | PF_X, BigInt(maxAlign)));
    }
  } else {
    const separate = options.mode === 'separate-code';
    const textStart = options.textAddress ?? (separate ? alignBig(base + BigInt(headerSize), PAGE_SIZE) : base + BigInt(headerSize));
    cursor = new Cursor(textStart, congruentOffset(textStart, headerSize));
    imageBase = textStart - BigInt(cursor.off);
    if (separate) {
      // Code linked too low to have the headers' page under it gets no headers segment.
      if (imageBase >= 0n) push({ flags: PF_R, vaddr: imageBase, offset: 0, filesz: headerSize, memsz: BigInt(headerSize), align: page });
      else imageBase = 0n;
      for (const s of text) cursor.place(s);
      push(segmentOf(text, PF_R | PF_X, page));
      cursor.skip(alignBig(cursor.addr, PAGE_SIZE) - cursor.addr);
      for (const s of rodata) cursor.place(s);
      push(segmentOf(rodata, PF_R, page));
    } else {
      for (const s of [...text, ...rodata]) cursor.place(s);
      push({ flags: PF_R | PF_X, vaddr: imageBase, offset: 0, filesz: cursor.off, memsz: cursor.addr - imageBase, align: page });
    }
    if (options.dataAddress !== undefined) cursor = new Cursor(options.dataAddress, congruentOffset(options.dataAddress, cursor.off));
    else cursor.dataSegmentAlign(false);
    dataStart = cursor.addr;
    for (const s of rwSections) place(s);
    push(segmentOf(rwSections, PF_R | PF_W, page));
  }
  if (options.bssAddress !== undefined) {
    cursor = new Cursor(options.bssAddress, congruentOffset(options.bssAddress, cursor.off));
    for (const s of bss) place(s);
    push(segmentOf(bss, PF_R | PF_W, page));
  }
  const contentEnd = Math.max(headerSize, ...sections.filter((s) => !s.nobits).map((s) => s.offset + s.size));
  return { sections, segments, phnum, headerSize, contentEnd, imageBase, dataStart };
}
