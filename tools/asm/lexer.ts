// Splits one NASM source line into tokens. The same tokens feed the preprocessor and the parser,
// so each line is scanned once; `text` keeps the spelling for macro bodies, pasting and listings.

export type TokenKind =
  | 'id' // identifiers, keywords, registers, `$`, `$$`, `..@x`, `.local`
  | 'num' // integer constants (value in `num`)
  | 'float' // floating-point constants (`text` holds the spelling)
  | 'str' // quoted strings (bytes in `bytes`)
  | 'op' // operators and punctuation
  | 'pp' // preprocessor tokens: `%define`, `%1`, `%%x`, `%{2}`, `%+`, `%0`, `%$x`
  | 'space'; // one run of white space, kept so macro bodies keep their shape

export interface Token {
  kind: TokenKind;
  text: string;
  num?: bigint;
  bytes?: Uint8Array;
}

/** Raised by the lexer for malformed constants; the caller turns it into a diagnostic. */
export class LexError extends Error {}

const OPS3 = ['<=>'];
const OPS2 = ['<<', '>>', '//', '%%', '==', '!=', '<>', '<=', '>=', '&&', '||', '^^'];
const OPS1 = '+-*/%&|^~!()[],:=<>?{}';

/** Whether `c` may start an identifier (NASM: letters, `_`, `?`, `@`, `.`). */
function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '.' || c === '@' || c === '?';
}

/** Whether `c` may continue an identifier. */
function isIdChar(c: string): boolean {
  return isIdStart(c) || (c >= '0' && c <= '9') || c === '$' || c === '#' || c === '~';
}

function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

const UTF8 = new TextEncoder();

function decodeEscapes(body: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      for (const b of UTF8.encode(c)) out.push(b);
      continue;
    }
    const e = body[++i];
    if (e === undefined) break;
    const simple: Record<string, number> = {
      "'": 0x27, '"': 0x22, '`': 0x60, '\\': 0x5c, '?': 0x3f, a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, e: 27,
    };
    if (e in simple) {
      out.push(simple[e]!);
    } else if (e >= '0' && e <= '7') {
      let v = 0;
      let n = 0;
      while (n < 3 && i < body.length && body[i]! >= '0' && body[i]! <= '7') {
        v = v * 8 + Number(body[i]);
        i++;
        n++;
      }
      i--;
      out.push(v & 0xff);
    } else if (e === 'x') {
      let v = 0;
      let n = 0;
      while (n < 2 && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) {
        v = v * 16 + parseInt(body[++i]!, 16);
        n++;
      }
      out.push(v);
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      i += hex.length;
      for (const b of UTF8.encode(String.fromCodePoint(parseInt(hex || '0', 16)))) out.push(b);
    } else {
      for (const b of UTF8.encode(e)) out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** Parses a NASM integer constant (`0x1F`, `1Fh`, `$1F`, `0b101`, `101b`, `17q`, `0d99`, `1_000`); null if not one. */
export function parseNumber(spelling: string): bigint | null {
  let s = spelling.replace(/_/g, '').toLowerCase();
  let radix = 10;
  if (s.startsWith('$')) {
    radix = 16;
    s = s.slice(1);
  } else if (s.length > 2 && s[0] === '0' && 'xhdtoqby'.includes(s[1]!) && !(radix === 10 && /^0[bdhy]$/.test(s))) {
    const p = s[1]!;
    const rest = s.slice(2);
    const pr: Record<string, number> = { x: 16, h: 16, d: 10, t: 10, o: 8, q: 8, b: 2, y: 2 };
    // `0b1h`-like spellings are hex with a suffix, not binary with a prefix.
    if (!((p === 'b' || p === 'd') && /h$/.test(rest))) {
      radix = pr[p]!;
      s = rest;
    }
  }
  if (radix === 10 && s.length > 1) {
    const suf = s[s.length - 1]!;
    const sr: Record<string, number> = { h: 16, x: 16, d: 10, t: 10, o: 8, q: 8, b: 2, y: 2 };
    if (suf in sr) {
      radix = sr[suf]!;
      s = s.slice(0, -1);
    }
  }
  if (s === '') return null;
  const digits = '0123456789abcdef'.slice(0, radix);
  let v = 0n;
  const r = BigInt(radix);
  for (const c of s) {
    const d = digits.indexOf(c);
    if (d < 0) return null;
    v = v * r + BigInt(d);
  }
  return v;
}

/** Tokenizes one line (without its newline); comments are dropped. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ';') break;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      let j = i + 1;
      while (j < n && isBlank(line.charCodeAt(j))) j++;
      out.push({ kind: 'space', text: ' ' });
      i = j;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n && line[j] !== c) {
        if (c === '`' && line[j] === '\\') j++;
        j++;
      }
      if (j >= n) throw new LexError(`unterminated string (missing \`${c}')`);
      const body = line.slice(i + 1, j);
      const bytes = c === '`' ? decodeEscapes(body) : UTF8.encode(body);
      out.push({ kind: 'str', text: line.slice(i, j + 1), bytes });
      i = j + 1;
      continue;
    }
    if (c === '%') {
      const next = line[i + 1] ?? '';
      let j = i + 1;
      if (next === '%' && isIdStart(line[i + 2] ?? '')) {
        j = i + 2;
        while (j < n && isIdChar(line[j]!)) j++;
      } else if (next === '{') {
        j = line.indexOf('}', i);
        if (j < 0) throw new LexError('unterminated %{ construct');
        j++;
      } else if (next === '+' && isDigit(line[i + 2] ?? '')) {
        j = i + 2;
        while (j < n && isDigit(line[j]!)) j++;
      } else if (next === '+' || next === '?') {
        j = i + 2;
        if (next === '?' && line[j] === '?') j++;
      } else if (isDigit(next) || (next === '-' && isDigit(line[i + 2] ?? ''))) {
        j = i + 2;
        while (j < n && isDigit(line[j]!)) j++;
      } else if (next === '$') {
        j = i + 1;
        while (j < n && (line[j] === '$' || isIdChar(line[j]!))) j++;
      } else if (next === '!' || isIdStart(next)) {
        j = i + 2;
        while (j < n && isIdChar(line[j]!)) j++;
      } else {
        j = -1;
      }
      if (j > 0) {
        out.push({ kind: 'pp', text: line.slice(i, j) });
        i = j;
        continue;
      }
    }
    if (isDigit(c) || (c === '$' && isDigit(line[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && (isIdChar(line[j]!) || ((line[j] === '+' || line[j] === '-') && /[eE]/.test(line[j - 1]!) && !/^(0x|\$)/i.test(line.slice(i, j))))) j++;
      const spelling = line.slice(i, j);
      const v = parseNumber(spelling);
      if (v !== null) {
        out.push({ kind: 'num', text: spelling, num: v });
      } else if (/^[0-9][0-9_]*(\.[0-9_]*)?(e[+-]?[0-9]+)?$/i.test(spelling) && /[.e]/i.test(spelling)) {
        out.push({ kind: 'float', text: spelling });
      } else {
        // `1.nolist`: a number directly followed by a dotted word.
        const dot = spelling.indexOf('.');
        const head = dot > 0 ? parseNumber(spelling.slice(0, dot)) : null;
        if (head === null) throw new LexError(`invalid number \`${spelling}'`);
        out.push({ kind: 'num', text: spelling.slice(0, dot), num: head });
        j = i + dot;
      }
      i = j;
      continue;
    }
    if (c === '$') {
      if (line[i + 1] === '$') {
        out.push({ kind: 'id', text: '$$' });
        i += 2;
      } else if (isIdStart(line[i + 1] ?? '')) {
        // `$name` is the identifier `name` even when `name` is a keyword or register: the `$` stays
        // in the text so that the parser does not take it for one, and is dropped from the name.
        let j = i + 1;
        while (j < n && isIdChar(line[j]!)) j++;
        out.push({ kind: 'id', text: line.slice(i, j) });
        i = j;
      } else {
        out.push({ kind: 'id', text: '$' });
        i++;
      }
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdChar(line[j]!)) j++;
      const text = line.slice(i, j);
      // `.5` is a float, not a local label.
      if (c === '.' && /^\.[0-9]/.test(text)) {
        out.push({ kind: 'float', text });
      } else if (c === '?' && text === '?') {
        out.push({ kind: 'op', text: '?' });
      } else {
        out.push({ kind: 'id', text });
      }
      i = j;
      continue;
    }
    const three = line.slice(i, i + 3);
    if (OPS3.includes(three)) {
      out.push({ kind: 'op', text: three });
      i += 3;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (OPS2.includes(two)) {
      out.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if (OPS1.includes(c) || c === '\\' || c === '#') {
      out.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    throw new LexError(`unexpected character \`${c}'`);
  }
  return out;
}

/** Joins tokens back into source text. */
export function untokenize(tokens: readonly Token[]): string {
  let s = '';
  for (const t of tokens) s += t.text;
  return s;
}
