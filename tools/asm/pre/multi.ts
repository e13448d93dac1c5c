// Multi-line macros (%macro ... %endmacro): definitions, matching an invocation, and the
// substitution of %1, %0, %{n}, %%local and %+ in each body line.
import { LexError, tokenize, type Token } from '../lexer.ts';
import { pasteTokens, splitArguments, trimSpace } from './single.ts';

export interface MultiMacro {
  name: string;
  caseInsensitive: boolean;
  min: number;
  /** Infinity for `*`. */
  max: number;
  /** The last parameter takes the rest of the line (`1+`). */
  greedy: boolean;
  /** Defaults for parameters min+1 ... max. */
  defaults: Token[][];
  /** Raw body lines, substituted at each use. */
  body: string[];
  /** Where it was defined, for messages. */
  file: string;
  line: number;
}

/** Parses `name count[-max|-*][+] [.nolist] [defaults]` from a %macro line; the message on failure. */
export function parseMacroHeader(tokens: readonly Token[]): Omit<MultiMacro, 'caseInsensitive' | 'body' | 'file' | 'line'> | string {
  const ts = tokens.filter((t) => t.kind !== 'space');
  const name = ts[0];
  if (!name || name.kind !== 'id') return '`%macro\' expects a macro name';
  let i = 1;
  const count = ts[i];
  if (!count || count.kind !== 'num') return '`%macro\' expects a parameter count';
  const min = Number(count.num);
  let max = min;
  i++;
  if (ts[i]?.text === '-') {
    i++;
    if (ts[i]?.text === '*') max = Infinity;
    else if (ts[i]?.kind === 'num') max = Number(ts[i]!.num);
    else return '`%macro\' expects a parameter count after `-\'';
    i++;
  }
  let greedy = false;
  if (ts[i]?.text === '+') {
    greedy = true;
    i++;
  }
  if (ts[i]?.text.toLowerCase() === '.nolist') i++;
  const start = tokens.indexOf(ts[i]!);
  const rest = ts[i] ? tokens.slice(start) : [];
  const defaults = trimSpace(rest).length ? splitArguments(rest) : [];
  return { name: name.text, min, max, greedy, defaults };
}

/** Splits an invocation's argument text into parameters according to the macro's shape. */
export function invocationArguments(rest: readonly Token[], macro: MultiMacro | null): Token[][] {
  if (trimSpace(rest).length === 0) return [];
  const args = splitArguments(rest);
  if (macro && macro.greedy && args.length > macro.max) {
    // The greedy last parameter keeps its commas: rejoin from the original tokens.
    const keep = macro.max - 1;
    let commas = 0;
    let depth = 0;
    let cut = 0;
    for (let k = 0; keep > 0 && k < rest.length; k++) {
      const t = rest[k]!;
      if (t.text === '{' || t.text === '(') depth++;
      if (t.text === '}' || t.text === ')') depth--;
      if (depth === 0 && t.kind === 'op' && t.text === ',' && ++commas === keep) {
        cut = k + 1;
        break;
      }
    }
    return [...args.slice(0, keep), trimSpace(rest.slice(cut))];
  }
  return args;
}

/** Whether the macro accepts `n` parameters. */
export function accepts(macro: MultiMacro, n: number): boolean {
  return n >= macro.min && (n <= macro.max || macro.greedy);
}

/** The state of one running expansion. */
export interface MacroCall {
  macro: MultiMacro;
  args: Token[][];
  rotation: number;
  /** Unique number for this call's %%labels. */
  id: number;
}

function param(call: MacroCall, n: number): Token[] {
  const count = call.args.length;
  if (n === 0) return [{ kind: 'num', text: String(count), num: BigInt(count) }];
  if (n <= count) {
    const idx = count === 0 ? 0 : (n - 1 + call.rotation) % count;
    return call.args[idx] ?? [];
  }
  return call.macro.defaults[n - call.macro.min - 1] ?? [];
}

const INVERSE: Record<string, string> = {
  o: 'no', b: 'nb', c: 'nc', nae: 'ae', e: 'ne', z: 'nz', be: 'nbe', na: 'a', s: 'ns', p: 'np', pe: 'po', l: 'nl', nge: 'ge', le: 'nle', ng: 'g',
};
for (const [a, b] of Object.entries(INVERSE)) INVERSE[b] = a;

/** `%-n` (the inverse condition code of parameter n) and `%+n` (the condition code itself). */
function conditionParam(call: MacroCall, text: string): Token[] {
  const n = Number(text.slice(2));
  const value = param(call, n);
  const cc = value.map((t) => t.text).join('').trim().toLowerCase();
  if (text[1] === '+') return value;
  const inverse = INVERSE[cc];
  if (!inverse) throw new LexError(`condition code \`${cc}' expected in parameter ${n}`);
  return [{ kind: 'id', text: inverse }];
}

/** `%{a:b}`: parameters a to b (negative numbers count from the last), separated by commas. */
function paramRange(call: MacroCall, a: number, b: number): Token[] {
  const count = call.args.length;
  const from = a < 0 ? count + a + 1 : a;
  const to = b < 0 ? count + b + 1 : b;
  const out: Token[] = [];
  const step = from <= to ? 1 : -1;
  for (let n = from; step > 0 ? n <= to : n >= to; n += step) {
    if (n < 1 || n > count) continue;
    if (out.length) out.push({ kind: 'op', text: ',' });
    out.push(...param(call, n));
  }
  return out;
}

/** Substitutes the call's parameters into one body line and rescans it. */
export function substituteLine(raw: string, call: MacroCall): Token[] {
  const tokens = tokenize(raw);
  let changed = false;
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.kind !== 'pp') {
      out.push(t);
      continue;
    }
    const m = /^%(?:\{(-?\d+)\}|(\d+))$/.exec(t.text);
    const range = /^%\{(-?\d+):(-?\d+)\}$/.exec(t.text);
    if (range) {
      out.push(...paramRange(call, Number(range[1]), Number(range[2])));
      changed = true;
    } else if (m) {
      out.push(...param(call, Number(m[1] ?? m[2])));
      changed = true;
    } else if (/^%[-+]\d+$/.test(t.text)) {
      out.push(...conditionParam(call, t.text));
      changed = true;
    } else if (t.text.startsWith('%%')) {
      out.push({ kind: 'id', text: `..@${call.id}.${t.text.slice(2)}` });
      changed = true;
    } else {
      out.push(t);
    }
  }
  if (!changed) return pasteTokens(tokens);
  // Parameters glued to neighbouring text form one token (`label_%1`): rescan the joined text.
  let text = '';
  for (const t of out) text += t.text;
  return pasteTokens(tokenize(text));
}
