// The `-l` listing in NASM's layout: line number, offset, bytes (nine per row), macro depth, source.
import type { ListingEntry } from './core/state.ts';

const BYTES_PER_ROW = 9;

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

function row(line: number, address: bigint | null, field: string, depth: number, text: string | null): string {
  const addr = address === null ? ' '.repeat(8) : address.toString(16).toUpperCase().padStart(8, '0');
  const head = `${String(line).padStart(6)} ${addr} `;
  // Continuation rows keep NASM's padding; rows with source put it in column 41, after the depth marker.
  if (text === null) return head + field.padEnd(19);
  return `${head}${field.padEnd(20)}${depth > 0 ? `<${depth}>` : '   '} ${text}`;
}

/** Formats listing entries as NASM's `-l` file. */
export function formatListing(entries: ListingEntry[]): string {
  const out: string[] = [];
  for (const e of entries) {
    if (e.repeat > 1 && e.bytes.length > 0) {
      const one = e.bytes.subarray(0, Math.max(1, Math.floor(e.bytes.length / e.repeat)));
      out.push(row(e.line, e.address, `${hex(one)}<rep ${e.repeat.toString(16).toUpperCase()}h>`, e.depth, e.text));
      continue;
    }
    if (e.bytes.length === 0) {
      const field = e.reserved > 0 ? `<res ${e.reserved.toString(16).toUpperCase()}h>` : '';
      out.push(row(e.line, e.address, field, e.depth, e.text));
      continue;
    }
    for (let i = 0; i < e.bytes.length; i += BYTES_PER_ROW) {
      const chunk = e.bytes.subarray(i, i + BYTES_PER_ROW);
      const more = i + BYTES_PER_ROW < e.bytes.length;
      const address = e.address === null ? null : e.address + BigInt(i);
      out.push(row(e.line, address, hex(chunk) + (more ? '-' : ''), e.depth, i === 0 ? e.text : null));
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
