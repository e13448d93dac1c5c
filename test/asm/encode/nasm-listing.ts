// Runs real NASM once over many lines and returns, per source line, its bytes or its error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LineResult = { ok: true; offset: number; bytes: Uint8Array } | { ok: false; error: string };

interface Run {
  errors: Map<number, string>;
  stderr: string;
  bin: Uint8Array | null;
  listing: string;
}

function run(dir: string, source: string): Run {
  const input = join(dir, 'in.asm');
  const output = join(dir, 'out.bin');
  const list = join(dir, 'out.lst');
  writeFileSync(input, source);
  let stderr = '';
  let ok = true;
  try {
    execFileSync('nasm', ['-f', 'bin', '-w-all', '-o', output, '-l', list, input], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  } catch (error) {
    ok = false;
    stderr = String((error as { stderr?: Buffer }).stderr ?? error);
  }
  const errors = new Map<number, string>();
  for (const line of stderr.split('\n')) {
    const m = /:(\d+): error: (.*)$/.exec(line);
    if (m !== null && !errors.has(Number(m[1]))) errors.set(Number(m[1]), m[2]!);
  }
  return { errors, stderr, bin: ok ? new Uint8Array(readFileSync(output)) : null, listing: ok ? readFileSync(list, 'utf8') : '' };
}

/** Source line number -> offset and length of its bytes, from a NASM listing (continuation lines summed). */
export function listingSpans(listing: string): Map<number, { offset: number; length: number }> {
  const spans = new Map<number, { offset: number; length: number }>();
  for (const row of listing.split('\n')) {
    const m = /^\s*(\d+) ([0-9A-F]{8}) ([0-9A-F()[\]-]+)/.exec(row);
    if (m === null) continue;
    const lineNo = Number(m[1]);
    const length = m[3]!.replace(/[()[\]-]/g, '').length / 2;
    const span = spans.get(lineNo);
    if (span === undefined) spans.set(lineNo, { offset: parseInt(m[2]!, 16), length });
    else span.length += length;
  }
  return spans;
}

/** Assembles `lines` (after a `bits` line) with real NASM -f bin; result i is for lines[i]. */
export function nasmLines(bits: 16 | 32 | 64, lines: readonly string[]): LineResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'nasm-lines-'));
  try {
    const header = `bits ${bits}\n`;
    const errors = new Map<number, string>();
    let final = run(dir, header + lines.join('\n') + '\n');
    for (let attempt = 0; final.bin === null; attempt++) {
      if (attempt === 8 || final.errors.size === 0) throw new Error(`NASM keeps failing on the corpus: ${final.stderr.slice(0, 500)}`);
      for (const [line, message] of final.errors) errors.set(line, message);
      const kept = lines.map((l, i) => (errors.has(i + 2) ? '' : l));
      final = run(dir, header + kept.join('\n') + '\n');
    }
    const spans = listingSpans(final.listing);
    return lines.map((_, i) => {
      const error = errors.get(i + 2);
      if (error !== undefined) return { ok: false, error };
      const span = spans.get(i + 2);
      if (span === undefined) return { ok: false, error: 'no output in the listing' };
      return { ok: true, offset: span.offset, bytes: final.bin!.slice(span.offset, span.offset + span.length) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
