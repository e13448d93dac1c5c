// Turns one preprocessed line into a statement: optional label, optional TIMES, and one
// instruction, data or reserve directive, EQU, INCBIN or assembler directive.
import { ExprError, parseExpr, TokenStream, type Expr } from '../expr.ts';
import type { Token } from '../lexer.ts';
import { splitArguments } from '../pre/single.ts';
import { DATA_UNITS, DIRECTIVES, isKeyword, MNEMONICS, PREFIXES, RESERVE_UNITS } from './keywords.ts';
import { parseOperand, type OperandAst } from './operand.ts';

export type DataItem = { k: 'expr'; e: Expr } | { k: 'str'; bytes: Uint8Array } | { k: 'float'; text: string; negative: boolean } | { k: 'undef' };

export type Statement =
  | { kind: 'empty' }
  | { kind: 'insn'; prefixes: string[]; mnemonic: string; operands: OperandAst[] }
  | { kind: 'data'; unit: number; items: DataItem[] }
  | { kind: 'reserve'; unit: number; count: Expr }
  | { kind: 'equ'; value: Expr }
  | { kind: 'incbin'; file: string; offset: Expr | null; length: Expr | null }
  | { kind: 'at'; field: Expr; then: Statement }
  /** ALIGN (fill with `fill` repeated, NOP by default) or ALIGNB (reserve). */
  | { kind: 'align'; boundary: Expr; fill: Statement | null; reserve: boolean }
  | { kind: 'directive'; name: string; args: Token[] };

export interface ParsedLine {
  label: string | null;
  /** A label alone on its line without a colon (NASM warns: it may be a misspelt instruction). */
  orphan: boolean;
  times: Expr | null;
  stmt: Statement;
}

/** Words after which the first word of a line is a label even without a colon. */
const LABEL_FOLLOWERS = new Set(['equ', 'times', ...Object.keys(DATA_UNITS), ...Object.keys(RESERVE_UNITS)]);

/** Tracks the last non-local label, which `.local` labels attach to. */
export class LabelScope {
  base = '';
  /** The full name for a label as written. */
  resolve(name: string): string {
    return name.startsWith('.') && !name.startsWith('..') ? this.base + name : name;
  }
  /** Records a label definition; non-local ones become the new base. */
  define(name: string): string {
    const full = this.resolve(name);
    if (!name.startsWith('.')) this.base = name;
    return full;
  }
}

function words(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space');
}

function dataItems(tokens: Token[], resolve: (n: string) => string): DataItem[] {
  const out: DataItem[] = [];
  const args = splitArguments(tokens, false);
  // NASM accepts a trailing comma after the last item.
  if (args.length > 1 && words(args[args.length - 1]!).length === 0) args.pop();
  for (const arg of args) {
    const w = words(arg);
    if (w.length === 0) throw new ExprError('expression syntax error');
    if (w.length === 1 && w[0]!.kind === 'str') out.push({ k: 'str', bytes: w[0]!.bytes! });
    else if (w.length === 1 && w[0]!.kind === 'op' && w[0]!.text === '?') out.push({ k: 'undef' });
    else if (w[w.length - 1]!.kind === 'float' && w.slice(0, -1).every((t) => t.text === '-' || t.text === '+')) {
      const negative = w.filter((t) => t.text === '-').length % 2 === 1;
      out.push({ k: 'float', text: w[w.length - 1]!.text, negative });
    } else {
      const ts = new TokenStream(w);
      out.push({ k: 'expr', e: parseExpr(ts, resolve) });
      if (!ts.atEnd()) throw new ExprError('comma expected after operand');
    }
  }
  return out;
}

function oneExpr(tokens: Token[], resolve: (n: string) => string): Expr {
  const ts = new TokenStream(tokens);
  const e = parseExpr(ts, resolve);
  if (!ts.atEnd()) throw new ExprError('expression syntax error');
  return e;
}

/** Parses the statement part of a line (after label and TIMES). */
function statement(tokens: Token[], scope: LabelScope): Statement {
  const w = words(tokens);
  if (w.length === 0) return { kind: 'empty' };
  const resolve = (n: string): string => scope.resolve(n);
  const first = w[0]!;
  if (first.kind === 'op' && first.text === '[' && w[w.length - 1]!.text === ']' && w[1]?.kind === 'id') {
    const inner = tokens.slice(tokens.indexOf(w[1]!) + 1, tokens.lastIndexOf(w[w.length - 1]!));
    return { kind: 'directive', name: w[1]!.text.toLowerCase(), args: inner };
  }
  if (first.kind !== 'id') throw new ExprError('label or instruction expected at start of line');
  const word = first.text.toLowerCase();
  const rest = tokens.slice(tokens.indexOf(first) + 1);
  if (word in DATA_UNITS) {
    if (words(rest).length === 0) throw new ExprError(`no operand for data declaration`);
    return { kind: 'data', unit: DATA_UNITS[word]!, items: dataItems(rest, resolve) };
  }
  if (word in RESERVE_UNITS) return { kind: 'reserve', unit: RESERVE_UNITS[word]!, count: oneExpr(rest, resolve) };
  if (word === 'equ') return { kind: 'equ', value: oneExpr(rest, resolve) };
  if (word === 'incbin') {
    const args = splitArguments(rest, false).map(words);
    const name = args[0];
    if (!name || name.length !== 1 || name[0]!.kind !== 'str') throw new ExprError('`incbin\' expects a file name');
    return {
      kind: 'incbin',
      file: new TextDecoder().decode(name[0]!.bytes!),
      offset: args[1] ? oneExpr(args[1], resolve) : null,
      length: args[2] ? oneExpr(args[2], resolve) : null,
    };
  }
  if (word === 'at') {
    const comma = rest.findIndex((t) => t.kind === 'op' && t.text === ',');
    const fieldTokens = comma < 0 ? rest : rest.slice(0, comma);
    return { kind: 'at', field: oneExpr(fieldTokens, resolve), then: comma < 0 ? { kind: 'empty' } : statement(rest.slice(comma + 1), scope) };
  }
  if (word === 'align' || word === 'alignb') {
    const comma = rest.findIndex((t) => t.kind === 'op' && t.text === ',');
    const boundary = oneExpr(comma < 0 ? rest : rest.slice(0, comma), resolve);
    const fill = comma < 0 ? null : statement(rest.slice(comma + 1), scope);
    return { kind: 'align', boundary, fill: fill?.kind === 'empty' ? null : fill, reserve: word === 'alignb' };
  }
  if (DIRECTIVES.has(word)) return { kind: 'directive', name: word, args: rest };
  const prefixes: string[] = [];
  let i = 0;
  while (i < w.length - 1 && w[i]!.kind === 'id' && PREFIXES.has(w[i]!.text.toLowerCase())) prefixes.push(w[i++]!.text.toLowerCase());
  const mn = w[i]!;
  if (mn.kind !== 'id' || !MNEMONICS.has(mn.text.toLowerCase())) throw new ExprError('parser: instruction expected');
  if (PREFIXES.has(mn.text.toLowerCase()) && i === w.length - 1 && prefixes.length === 0) {
    return { kind: 'insn', prefixes: [], mnemonic: mn.text.toLowerCase(), operands: [] };
  }
  const opTokens = tokens.slice(tokens.indexOf(mn) + 1);
  const operands = words(opTokens).length === 0 ? [] : splitOperands(opTokens).map((o) => parseOperand(o, resolve));
  return { kind: 'insn', prefixes, mnemonic: mn.text.toLowerCase(), operands };
}

/** Splits operands at commas outside brackets and parentheses. */
function splitOperands(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of words(tokens)) {
    if (t.kind === 'op' && (t.text === '[' || t.text === '(')) depth++;
    if (t.kind === 'op' && (t.text === ']' || t.text === ')')) depth--;
    if (depth === 0 && t.kind === 'op' && t.text === ',') {
      out.push([]);
      continue;
    }
    out[out.length - 1]!.push(t);
  }
  if (out.some((o) => o.length === 0)) throw new ExprError('expression syntax error');
  return out;
}

/** Parses a whole line; `scope` is advanced past any label the line defines. */
export function parseLine(tokens: Token[], scope: LabelScope): ParsedLine {
  const w = words(tokens);
  let label: string | null = null;
  let rest = tokens;
  const first = w[0];
  if (first && first.kind === 'id') {
    const second = w[1];
    const colon = second?.kind === 'op' && second.text === ':';
    const lower = first.text.toLowerCase();
    const beforeKeyword = second?.kind === 'id' && LABEL_FOLLOWERS.has(second.text.toLowerCase());
    if (colon || beforeKeyword || (!isKeyword(lower) && (!second || second.kind === 'id'))) {
      label = scope.define(first.text.startsWith('$') ? first.text.slice(1) : first.text);
      rest = tokens.slice(tokens.indexOf(colon ? second! : first) + 1);
    }
  }
  const rw = words(rest);
  let times: Expr | null = null;
  if (rw[0]?.kind === 'id' && rw[0].text.toLowerCase() === 'times') {
    const ts = new TokenStream(rest.slice(rest.indexOf(rw[0]) + 1));
    times = parseExpr(ts, (n) => scope.resolve(n));
    rest = ts.rest();
  }
  const stmt = statement(rest, scope);
  const orphan = label !== null && !(w[1]?.kind === 'op' && w[1].text === ':') && stmt.kind === 'empty' && times === null;
  return { label, orphan, times, stmt };
}
