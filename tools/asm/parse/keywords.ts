// The words the line parser recognises: data and reserve directives, size keywords, prefixes,
// assembler directives, and the instruction mnemonics (so that a line's first word can be told
// apart from a label written without a colon).
import { Mnemonic } from 'iced-x86';
import { knownMnemonics } from '../encode/table.ts';
import type { OperandSize } from '../instruction.ts';

/** Bytes per unit of the data directives. */
export const DATA_UNITS: Record<string, number> = { db: 1, dw: 2, dd: 4, dq: 8, dt: 10, do: 16, dy: 32, dz: 64 };

/** Bytes per unit of the reserve directives. */
export const RESERVE_UNITS: Record<string, number> = { resb: 1, resw: 2, resd: 4, resq: 8, rest: 10, reso: 16, resy: 32, resz: 64 };

/** Size keywords that may precede an operand. */
export const SIZE_KEYWORDS: Record<string, OperandSize> = {
  byte: 8, word: 16, dword: 32, fword: 48, qword: 64, tword: 80, oword: 128,
};

/** Displacement size keywords inside brackets. */
export const DISP_SIZES: Record<string, 8 | 16 | 32 | 64> = { byte: 8, word: 16, dword: 32, qword: 64 };

/** Instruction prefixes written as separate words. */
export const PREFIXES = new Set([
  'rep', 'repe', 'repz', 'repne', 'repnz', 'lock', 'o16', 'o32', 'o64', 'a16', 'a32', 'a64',
  'es', 'cs', 'ss', 'ds', 'fs', 'gs',
]);

/** Assembler directives (the bare forms; NASM also accepts them in brackets). */
export const DIRECTIVES = new Set([
  'bits', 'use16', 'use32', 'use64', 'org', 'section', 'segment', 'global', 'extern', 'common', 'static',
  'default', 'cpu', 'align', 'alignb', 'sectalign', 'absolute', 'struc', 'endstruc', 'istruc', 'at', 'iend',
  'incbin', 'equ', 'times', 'warning', 'float', 'list', 'map',
]);

const CONDITIONS = ['o', 'no', 'b', 'c', 'nae', 'ae', 'nb', 'nc', 'e', 'z', 'ne', 'nz', 'be', 'na', 'a', 'nbe', 's', 'ns',
  'p', 'pe', 'np', 'po', 'l', 'nge', 'ge', 'nl', 'le', 'ng', 'g', 'nle'];

const NASM_ONLY = ['retn', 'retfw', 'retfd', 'retfq', 'retnw', 'retnd', 'retnq', 'iretw', 'pushaw', 'popaw', 'pushfw', 'popfw',
  'pushw', 'pushd', 'popw', 'popd', 'loopz', 'loopnz', 'icebp', 'int01', 'int03', 'sal', 'xlat', 'wait', 'sysret', 'sysretq',
  'sysexitq', 'jmpf', 'callf'];

/** Every instruction mnemonic, lower case: the encoder's, and iced-x86's for those it does not encode (so they are not taken for labels). */
export const MNEMONICS: ReadonlySet<string> = (() => {
  const set = new Set<string>();
  for (const key of Object.keys(Mnemonic)) {
    if (Number.isNaN(Number(key)) && key !== 'INVALID') set.add(key.toLowerCase());
  }
  for (const cc of CONDITIONS) for (const p of ['j', 'set', 'cmov']) set.add(p + cc);
  for (const m of NASM_ONLY) set.add(m);
  for (const m of knownMnemonics()) set.add(m);
  return set;
})();

/** Whether a line's first word starts a statement rather than naming a label. */
export function isKeyword(word: string): boolean {
  const w = word.toLowerCase();
  return MNEMONICS.has(w) || w in DATA_UNITS || w in RESERVE_UNITS || PREFIXES.has(w) || DIRECTIVES.has(w);
}
