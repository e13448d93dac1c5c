// The standard macros NASM predefines: constant ones go into the table, the ones that depend on
// the current line are answered on demand.
import type { SourceRef } from '../diagnostics.ts';
import { tokenize, type Token } from '../lexer.ts';
import type { DynamicMacros, SingleMacroTable } from './single.ts';

/** The NASM version these sources are written against; programs test it with %if. */
const VERSION = { major: 2, minor: 16, subminor: 1 };

function quoted(s: string): Token {
  return { kind: 'str', text: `'${s}'`, bytes: new TextEncoder().encode(s) };
}

/** Both spellings of a standard macro name: `__FILE__` and `__?FILE?__`. */
function spellings(name: string): string[] {
  return [`__${name}__`, `__?${name}?__`];
}

/** Defines the constant standard macros in `table` and returns the location-dependent ones. */
export function builtinMacros(at: () => SourceRef, format: string, table: SingleMacroTable): DynamicMacros {
  const constants: Array<[string, string]> = [
    ['NASM_MAJOR', String(VERSION.major)],
    ['NASM_MINOR', String(VERSION.minor)],
    ['NASM_SUBMINOR', String(VERSION.subminor)],
    ['NASM_VERSION_ID', String((VERSION.major << 24) | (VERSION.minor << 16) | (VERSION.subminor << 8))],
    ['NASM_VER', `'${VERSION.major}.${VERSION.minor}.${String(VERSION.subminor).padStart(2, '0')}'`],
    ['OUTPUT_FORMAT', format],
  ];
  for (const [name, value] of constants) {
    for (const s of spellings(name)) table.define(s, { params: null, greedy: false, body: tokenize(value) }, false);
  }
  const file = new Set(spellings('FILE'));
  const line = new Set(spellings('LINE'));
  return {
    lookup(name: string): Token[] | null {
      if (name.length < 8 || name[0] !== '_') return null;
      if (file.has(name)) return [quoted(at().file)];
      if (line.has(name)) {
        const n = at().line;
        return [{ kind: 'num', text: String(n), num: BigInt(n) }];
      }
      return null;
    },
  };
}
