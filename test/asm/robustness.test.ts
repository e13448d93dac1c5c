// Damaged sources never make the assembler throw or report an internal error: every problem is
// an ordinary diagnostic. The damage is deterministic (a fixed-seed generator).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../tools/asm/assemble.ts';
import { encodeInstruction } from '../../tools/asm/encode/index.ts';
import { writeElfObject } from '../../tools/elf/write-object.ts';

function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['%', '%%', '[', ']', '(', ')', ',', ':', '$', '$$', "'", '"', '`', '\\', '%macro x 1', '%endmacro', '%rep 3', '%endrep',
  '%if', '%endif', '%else', 'times', 'db', 'equ', 'struc', 'endstruc', 'istruc', 'iend', 'at', 'section', 'align', '1/0', 'byte',
  'far', 'strict', 'rel', '%1', '%0', '%{2}', '%+', '..@', '.x', '0x', '1e', '%define a(b) b', 'a(', '\n', ';', 'org', 'bits 64'];

function mutate(source: string, random: () => number): string {
  let s = source;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * s.length);
    const kind = random();
    if (kind < 0.4) s = s.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)]! + s.slice(at);
    else if (kind < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 8));
    else {
      const from = Math.floor(random() * s.length);
      s = s.slice(0, at) + s.slice(from, from + 20) + s.slice(at);
    }
  }
  return s;
}

const FIXTURES = ['bootsector', 'pmode32', 'features', 'branches'];
/** Damaged copies per fixture: a few in `make test`, many more with FUZZ_LONG=1. */
const MUTANTS = process.env.FUZZ_LONG ? 500 : 15;

describe('damaged sources', () => {
  it.each(FIXTURES)('give diagnostics, never exceptions (%s.asm)', (name) => {
    const path = `test/asm/fixtures/${name}.asm`;
    const original = readFileSync(path, 'utf8');
    const random = generator(name.length * 7919);
    for (let i = 0; i < MUTANTS; i++) {
      const source = mutate(original, random);
      for (const format of ['bin', 'elf32'] as const) {
        const r = assemble(source, path, { format, encoder: encodeInstruction, writeObject: writeElfObject });
        const internal = r.diagnostics.filter((d) => d.message.startsWith('internal error'));
        expect(internal, source).toEqual([]);
        expect(r.ok).toBe(r.output !== null);
      }
    }
  });
});
