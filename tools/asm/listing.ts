// The `-l` listing in NASM's layout: line number, offset, bytes (nine per row), macro depth, source.
import type { ListingEntry } from './core/state.ts';

/** Characters of hex bytes per listing row (nine bytes). */
const ROW_WIDTH = 18;

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

function row(line: number, address: bigint | null, field: string, depth: number, text: string | null): string {
  const addr = address === null ? ' '.repeat(8) : address.toString(16).toUpperCase().padStart(8, '0');
  const head = `${String(line).padStart(6)} ${addr} `;
  // Continuation rows keep NASM's padding; rows with source put it in column 41, after the depth marker.
  if (text === null) return depth > 0 ? `${head}${field.padEnd(20)}<${depth}>` : head + field.padEnd(19);
  return `${head}${field.padEnd(20)}${depth > 0 ? `<${depth}>` : '   '} ${text}`;
}

/** The line's bytes as NASM prints them: two hex digits per byte, relocated fields as `[..]` or `(..)`. */
function pieces(e: ListingEntry, length: number): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  const marks = new Map(e.marks.map((m) => [m.offset, m]));
  for (let i = 0; i < length; ) {
    const m = marks.get(i);
    if (m && i + m.size <= length) {
      const value = hex(littleEndianBytes(m.shown, m.size));
      out.push({ text: m.pcRelative ? `(${value})` : `[${value}]`, offset: i });
      i += m.size;
    } else {
      out.push({ text: hex(e.bytes.subarray(i, i + 1)), offset: i });
      i++;
    }
  }
  return out;
}

function littleEndianBytes(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

/** Formats listing entries as NASM's `-l` file. */
export function formatListing(entries: ListingEntry[]): string {
  const out: string[] = [];
  for (const e of entries) {
    const first = out.length;
    entryRows(e, out);
    // NASM repeats the line's warnings right after its first row.
    const warnings = e.warnings.map((w) => `${String(e.line).padStart(6)}${' '.repeat(10)}${'*'.repeat(ROW_WIDTH)}       warning: ${w}`);
    out.splice(first + 1, 0, ...warnings);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** The rows of one line: bytes nine to a row, or its `<rep>`, `<res>` or `<bin>` summary. */
function entryRows(e: ListingEntry, out: string[]): void {
  if (e.included > 0) {
    out.push(row(e.line, e.address, `<bin ${e.included.toString(16).toUpperCase()}h>`, e.depth, e.text));
    return;
  }
  if (e.repeat > 1 && e.bytes.length > 0) {
    // One repetition's rows, then `<rep N>` after the last, or on a row of its own (at the last
    // row's address) when it does not fit there.
    const rows = byteRows(e, Math.max(1, Math.floor(e.bytes.length / e.repeat)));
    const rep = `<rep ${e.repeat.toString(16).toUpperCase()}h>`;
    const last = rows[rows.length - 1]!;
    if (last.text.length + rep.length <= ROW_WIDTH) last.text += rep;
    else rows.push({ text: rep, offset: last.offset });
    emitRows(e, rows, out);
    return;
  }
  if (e.bytes.length === 0) {
    // Reserved space: `??` per byte while it fits one row, else its size; a line that produced nothing shows no address.
    const field = e.reserved === 0 ? '' : e.reserved <= 8 ? '??'.repeat(e.reserved) : `<res ${e.reserved.toString(16).toUpperCase()}h>`;
    out.push(row(e.line, field ? e.address : null, field, e.depth, e.text));
    return;
  }
  emitRows(e, byteRows(e, e.bytes.length), out);
}

/** The first `length` bytes of the line in rows of at most 18 characters, each with its offset. */
function byteRows(e: ListingEntry, length: number): Array<{ text: string; offset: number }> {
  const rows: Array<{ text: string; offset: number }> = [];
  for (const p of pieces(e, length)) {
    const last = rows[rows.length - 1];
    if (last && last.text.length + p.text.length <= ROW_WIDTH) last.text += p.text;
    else rows.push({ ...p });
  }
  return rows;
}

/** Writes rows at their addresses; a continued row ends in `-`, and only the first shows the source. */
function emitRows(e: ListingEntry, rows: Array<{ text: string; offset: number }>, out: string[]): void {
  rows.forEach((r, i) => {
    const address = e.address === null ? null : e.address + BigInt(r.offset);
    out.push(row(e.line, address, r.text + (i < rows.length - 1 ? '-' : ''), e.depth, i === 0 ? e.text : null));
  });
}
