// Putting bytes, relocations and reserved space into the current section.
import { ExprError, type EvalValue } from '../expr.ts';
import type { Relocation } from '../object.ts';
import { sectionBase } from './values.ts';
import { littleEndian, rangeWarning } from './data.ts';
import { defaultAttributes, Section } from './sections.ts';
import type { ListingEntry, ListingMark, PassState } from './state.ts';

/** The section code goes to when none was named: NASM's default `.text`. */
export function currentSection(state: PassState): Section {
  if (!state.current) {
    const existing = state.sections.get('.text');
    state.current = existing ?? openSection(state, '.text');
    // Used without a SECTION line, it is placed after the declared sections, as NASM does.
    if (!existing) state.current.implicit = true;
  }
  return state.current;
}

/** Returns the named section for a SECTION line, creating it with the format's default attributes. */
export function openSection(state: PassState, name: string): Section {
  let s = state.sections.get(name);
  if (s?.implicit) {
    // A SECTION line for the default section puts it where that line is.
    s.implicit = false;
    state.sections.delete(name);
    state.sections.set(name, s);
  }
  if (!s) {
    s = new Section(name, defaultAttributes(name, state.format));
    state.sections.set(name, s);
  }
  return s;
}

/** The line being assembled, whose listing entry collects what is emitted. */
export interface Emitter {
  state: PassState;
  entry: ListingEntry | null;
  at: { file: string; line: number };
}

/** Appends bytes (with relocations at offsets relative to them) to the current section. */
export function emitBytes(em: Emitter, bytes: Uint8Array, relocs: Relocation[] = [], marks: ListingMark[] = []): void {
  const state = em.state;
  if (state.absolute !== null) {
    throw new ExprError('attempt to assemble code in [ABSOLUTE] space');
  }
  const s = currentSection(state);
  if (s.attrs.kind === 'nobits') {
    if (bytes.length && state.final) state.sink.warning(em.at, 'attempt to initialize memory in a nobits section: ignored [-w+other]');
    s.size += bytes.length;
    return;
  }
  for (const r of relocs) s.relocations.push({ ...r, offset: r.offset + s.size });
  s.data.push(bytes);
  s.size += bytes.length;
  if (em.entry) {
    const at = em.entry.bytes.length;
    for (const m of marks) em.entry.marks.push({ ...m, offset: m.offset + at });
    em.entry.bytes = concat(em.entry.bytes, bytes);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Reserves `n` bytes: advances ABSOLUTE space, grows a nobits section, or zero-fills with NASM's warning. */
export function reserve(em: Emitter, n: number, warn: boolean): void {
  const state = em.state;
  if (em.entry) em.entry.reserved += n;
  if (state.absolute !== null) {
    state.absolute += BigInt(n);
    return;
  }
  const s = currentSection(state);
  if (s.attrs.kind === 'nobits') {
    s.size += n;
    return;
  }
  if (warn && n > 0 && state.final) {
    const where = state.format === 'bin' ? `${s.name} section` : `non-BSS section \`${s.name}'`;
    state.sink.warning(em.at, `uninitialized space declared in ${where}: zeroing [-w+zeroing]`);
  }
  s.data.zeros(n);
  s.size += n;
}

/** Emits an evaluated value as a `size`-byte data field, with a relocation when it is not a constant. */
export function emitValue(em: Emitter, v: EvalValue, size: number): void {
  const state = em.state;
  // A label minus a position in the current section is resolved by the bin output; any other difference is not.
  if (state.format === 'bin' && v.minus && v.minus.symbol !== currentSection(state).name) throw new ExprError('expression is not simple or relocatable');
  if (!v.rel || state.format === 'bin') {
    const warning = state.final ? rangeWarning(v.n, size) : null;
    if (warning) state.sink.warning(em.at, warning);
    const marks = v.rel ? [{ offset: 0, size, pcRelative: v.minus !== null, shown: v.n - (v.minus ? 0n : sectionBase(state, v.rel.symbol)) }] : [];
    emitBytes(em, littleEndian(v.n, size), [], marks);
    return;
  }
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) throw new ExprError(`cannot relocate a ${size}-byte field`);
  const s = currentSection(state);
  let pcRelative = false;
  let addend = v.n;
  if (v.minus) {
    if (!v.minus.isSection || v.minus.symbol !== s.name) throw new ExprError('invalid relocation: subtracting a position in another section');
    pcRelative = true;
    addend += BigInt(s.size);
  }
  // ELF32 has no 64-bit relocation: NASM relocates the low dword and leaves the high one zero.
  let relocSize: 1 | 2 | 4 | 8 = size;
  if (size === 8 && state.format === 'elf32') {
    relocSize = 4;
    if (state.final) state.sink.warning(em.at, `64-bit ${pcRelative ? 'signed' : 'unsigned'} relocation zero-extended from 32 bits [-w+zext-reloc]`);
  }
  // The field stays zero here: the ELF writer stores the addend where the format keeps it.
  const mark = { offset: 0, size: relocSize, pcRelative, shown: v.n };
  emitBytes(em, new Uint8Array(size), [{ offset: 0, size: relocSize, pcRelative, signed: false, symbol: v.rel.symbol, symbolIsSection: v.rel.isSection, addend }], [mark]);
}
