// Single-line macros (%define and friends) and their expansion.
import { tokenize, untokenize, type Token } from '../lexer.ts';

export interface SingleMacro {
  /** Parameter names; null for a macro written without parentheses. */
  params: string[] | null;
  /** The last parameter takes the rest of the arguments, commas included. */
  greedy: boolean;
  body: Token[];
}

/** Raised when expansion cannot finish; the message is the diagnostic. */
export class ExpansionError extends Error {}

/** The longest a line may grow by expansion before it is treated as runaway recursion. */
const MAX_EXPANDED_TOKENS = 200_000;

/** Splits `tokens` at top-level commas (parentheses and braces nest); braces around a whole argument are removed. */
export function splitArguments(tokens: readonly Token[], bracesGroup = true): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'op' && (t.text === '(' || (bracesGroup && t.text === '{'))) depth++;
    if (t.kind === 'op' && (t.text === ')' || (bracesGroup && t.text === '}'))) depth--;
    if (depth === 0 && t.kind === 'op' && t.text === ',') {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(t);
  }
  return args.map((a) => unbrace(trimSpace(a)));
}

/** Removes white space at both ends. */
export function trimSpace(tokens: readonly Token[]): Token[] {
  let a = 0;
  let b = tokens.length;
  while (a < b && tokens[a]!.kind === 'space') a++;
  while (b > a && tokens[b - 1]!.kind === 'space') b--;
  return tokens.slice(a, b);
}

function unbrace(tokens: Token[]): Token[] {
  if (tokens.length >= 2 && tokens[0]!.text === '{' && tokens[tokens.length - 1]!.text === '}') {
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.text === '{') depth++;
      if (tokens[i]!.text === '}') depth--;
      if (depth === 0 && i < tokens.length - 1) return tokens;
    }
    return trimSpace(tokens.slice(1, -1));
  }
  return tokens;
}

/** Joins the tokens around each `%+` and rescans the joined text. */
export function pasteTokens(tokens: Token[]): Token[] {
  if (!tokens.some((t) => t.kind === 'pp' && t.text === '%+')) return tokens;
  let text = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'pp' && t.text === '%+') {
      text = text.replace(/[ ]+$/, '');
      while (tokens[i + 1]?.kind === 'space') i++;
      continue;
    }
    text += t.text;
  }
  return tokenize(text);
}

/** Provides the built-in macros whose value depends on where they are used. */
export interface DynamicMacros {
  lookup(name: string): Token[] | null;
}

/** The table of single-line macros, case-sensitive and case-insensitive ones. */
export class SingleMacroTable {
  private readonly exact = new Map<string, SingleMacro[]>();
  private readonly folded = new Map<string, SingleMacro[]>();

  define(name: string, macro: SingleMacro, caseInsensitive: boolean): void {
    const map = caseInsensitive ? this.folded : this.exact;
    const key = caseInsensitive ? name.toLowerCase() : name;
    const count = macro.params?.length ?? -1;
    const list = (map.get(key) ?? []).filter((m) => (m.params?.length ?? -1) !== count);
    list.push(macro);
    map.set(key, list);
  }

  undefine(name: string): void {
    this.exact.delete(name);
    this.folded.delete(name.toLowerCase());
  }

  isDefined(name: string): boolean {
    return this.exact.has(name) || this.folded.has(name.toLowerCase());
  }

  candidates(name: string): SingleMacro[] | undefined {
    return this.exact.get(name) ?? this.folded.get(name.toLowerCase());
  }

  /** Expands every macro in `tokens`, then `%str(...)`; a macro is not expanded inside its own expansion. */
  expand(tokens: readonly Token[], dynamic: DynamicMacros): Token[] {
    const budget = { left: MAX_EXPANDED_TOKENS };
    return stringify(pasteTokens(this.expandIn(tokens, new Set(), dynamic, budget)));
  }

  private expandIn(tokens: readonly Token[], active: Set<string>, dynamic: DynamicMacros, budget: { left: number }): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind !== 'id' || active.has(t.text)) {
        out.push(t);
        continue;
      }
      const builtin = dynamic.lookup(t.text);
      if (builtin) {
        out.push(...builtin);
        continue;
      }
      const list = this.candidates(t.text);
      if (!list) {
        out.push(t);
        continue;
      }
      let j = i + 1;
      while (tokens[j]?.kind === 'space') j++;
      let chosen: SingleMacro | undefined;
      let args: Token[][] = [];
      let end = i;
      if (tokens[j]?.kind === 'op' && tokens[j]!.text === '(' && list.some((m) => m.params)) {
        let depth = 0;
        let k = j;
        for (; k < tokens.length; k++) {
          if (tokens[k]!.text === '(' && tokens[k]!.kind === 'op') depth++;
          if (tokens[k]!.text === ')' && tokens[k]!.kind === 'op' && --depth === 0) break;
        }
        if (k < tokens.length) {
          const inner = tokens.slice(j + 1, k);
          args = trimSpace(inner).length === 0 ? [] : splitArguments(inner);
          chosen =
            list.find((m) => m.params && m.params.length === args.length) ??
            list.find((m) => m.params && m.greedy && args.length >= m.params.length);
          if (chosen?.greedy && chosen.params && args.length > chosen.params.length) {
            const n = chosen.params.length;
            const joined: Token[] = [];
            args.slice(n - 1).forEach((a, x) => {
              if (x > 0) joined.push({ kind: 'op', text: ',' });
              joined.push(...a);
            });
            args = [...args.slice(0, n - 1), joined];
          }
          if (chosen) end = k;
        }
      }
      if (!chosen) chosen = list.find((m) => m.params === null);
      if (!chosen) {
        out.push(t);
        continue;
      }
      // Arguments are expanded before they are substituted, so `a(a(1))` expands both calls.
      const expandedArgs = args.map((a) => this.expandIn(a, active, dynamic, budget));
      const body = chosen.params ? substitute(chosen.body, chosen.params, expandedArgs) : chosen.body;
      budget.left -= body.length;
      if (budget.left < 0 || active.size > 1000) throw new ExpansionError('macro expansion too deep or too long (runaway recursion?)');
      const inner = new Set(active);
      inner.add(t.text);
      out.push(...this.expandIn(pasteTokens(body), inner, dynamic, budget));
      i = end;
    }
    return out;
  }
}

/** A string token holding `text`, quoted so that it reads back as the same bytes. */
export function quote(text: string): Token {
  const q = !text.includes("'") ? "'" : !text.includes('"') ? '"' : '`';
  const spelled = q === '`' ? text.replace(/[\\`]/g, (c) => `\\${c}`) : text;
  return { kind: 'str', text: `${q}${spelled}${q}`, bytes: new TextEncoder().encode(text) };
}

/** Replaces each `%str(tokens)` with a string of the tokens' text. */
function stringify(tokens: Token[]): Token[] {
  const at = tokens.findIndex((t) => t.kind === 'pp' && t.text.toLowerCase() === '%str');
  if (at < 0) return tokens;
  let j = at + 1;
  while (tokens[j]?.kind === 'space') j++;
  if (tokens[j]?.text !== '(') return tokens;
  let depth = 0;
  let k = j;
  for (; k < tokens.length; k++) {
    if (tokens[k]!.text === '(' && tokens[k]!.kind === 'op') depth++;
    if (tokens[k]!.text === ')' && tokens[k]!.kind === 'op' && --depth === 0) break;
  }
  if (k >= tokens.length) throw new ExpansionError('`%str\': missing `)\'');
  const text = untokenize(trimSpace(tokens.slice(j + 1, k)));
  return [...tokens.slice(0, at), quote(text), ...stringify(tokens.slice(k + 1))];
}

function substitute(body: readonly Token[], params: string[], args: Token[][]): Token[] {
  const out: Token[] = [];
  for (const t of body) {
    const p = t.kind === 'id' ? params.indexOf(t.text) : -1;
    if (p >= 0) out.push(...(args[p] ?? []));
    else out.push(t);
  }
  return out;
}

/** Parses the text after `%define`: name, optional (params), body. */
export function parseDefinition(tokens: readonly Token[]): { name: string; macro: SingleMacro } | null {
  let i = 0;
  while (tokens[i]?.kind === 'space') i++;
  const nameTok = tokens[i];
  if (!nameTok || nameTok.kind !== 'id') return null;
  i++;
  let params: string[] | null = null;
  let greedy = false;
  if (tokens[i]?.kind === 'op' && tokens[i]!.text === '(') {
    const close = tokens.findIndex((t, k) => k > i && t.kind === 'op' && t.text === ')');
    if (close < 0) return null;
    const inner = tokens.slice(i + 1, close);
    params = trimSpace(inner).length === 0 ? [] : splitArguments(inner).map((a) => untokenize(a).trim());
    const last = params[params.length - 1];
    if (last !== undefined && last.endsWith('+')) {
      greedy = true;
      params[params.length - 1] = last.slice(0, -1).trim();
    }
    i = close + 1;
  }
  return { name: nameTok.text, macro: { params, greedy, body: trimSpace(tokens.slice(i)) } };
}
