// Assembler directives: BITS, ORG, SECTION, GLOBAL/EXTERN, DEFAULT, CPU, ALIGN/ALIGNB/SECTALIGN,
// ABSOLUTE, STRUC/ENDSTRUC and ISTRUC/IEND.
import { ExprError, parseExpr, TokenStream } from '../expr.ts';
import type { Token } from '../lexer.ts';
import { splitArguments } from '../pre/single.ts';
import { applyAttribute } from './sections.ts';
import { currentSection, emitBytes, openSection, type Emitter } from './emit.ts';
import { critical, defineEqu, defineLabel, evalAt } from './pass.ts';
import type { PassState } from './state.ts';
import { here } from './values.ts';

function words(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space');
}

function number(state: PassState, tokens: Token[], what: string): bigint {
  const ts = new TokenStream(tokens);
  const e = parseExpr(ts);
  if (!ts.atEnd()) throw new ExprError(`expression syntax error in \`${what}'`);
  return critical(state, e, what);
}

const BARE = new Set(['progbits', 'nobits', 'alloc', 'noalloc', 'exec', 'noexec', 'write', 'nowrite', 'tls']);

function section(state: PassState, args: Token[]): void {
  const w = words(args);
  const name = w[0];
  if (!name || (name.kind !== 'id' && name.kind !== 'str')) throw new ExprError('`section\' expects a section name');
  const title = name.kind === 'str' ? new TextDecoder().decode(name.bytes!) : name.text;
  const isNew = !state.sections.has(title);
  const s = openSection(state, title);
  state.current = s;
  state.absolute = null;
  let i = 1;
  while (i < w.length) {
    const key = w[i]!.text.toLowerCase();
    i++;
    let value: bigint | string | null = null;
    if (w[i]?.text === '=') {
      i++;
      const start = i;
      while (i < w.length && !(i > start && w[i]!.kind === 'id' && (BARE.has(w[i]!.text.toLowerCase()) || w[i + 1]?.text === '='))) i++;
      const valueTokens = w.slice(start, i);
      if (key === 'follows' || key === 'vfollows') value = valueTokens.map((t) => t.text).join('');
      else value = number(state, valueTokens, 'section attribute');
    }
    if (!isNew && (key === 'start' || key === 'vstart')) continue;
    const err = applyAttribute(s.attrs, key, value);
    if (err) throw new ExprError(err);
  }
}

/** `name[:type [size expression]]` items of GLOBAL and EXTERN. */
function symbolList(args: Token[]): Array<{ name: string; type: string | null; size: Token[] }> {
  return splitArguments(args, false).map((arg) => {
    const w = words(arg);
    if (!w[0] || w[0].kind !== 'id') throw new ExprError('symbol name expected');
    const colon = w.findIndex((t) => t.text === ':');
    const type = colon >= 0 ? (w[colon + 1]?.text.toLowerCase() ?? null) : null;
    return { name: w[0].text, type, size: colon >= 0 ? w.slice(colon + 2) : [] };
  });
}

function declare(state: PassState, em: Emitter, args: Token[], kind: 'global' | 'extern'): void {
  for (const { name, type, size } of symbolList(args)) {
    const info = state.info.get(name) ?? { global: false, extern: false, type: 'notype' as const, size: null, at: em.at };
    if (kind === 'global') info.global = true;
    else if (!state.symbols.has(name) && !info.global) {
      info.extern = true;
      state.order.push(name);
    }
    if (type === 'function' || type === 'func') info.type = 'func';
    else if (type === 'data' || type === 'object') info.type = 'object';
    if (size.length > 0) {
      // The size usually names labels further down (`f.end - f`): known from the previous pass.
      const ts = new TokenStream(size);
      const v = evalAt(state, parseExpr(ts));
      if (!ts.atEnd()) throw new ExprError('expression syntax error in symbol size');
      if (v.known && !v.rel) info.size = v.n;
    }
    state.info.set(name, info);
  }
}

/** Runs one assembler directive. */
export function directive(em: Emitter, name: string, args: Token[]): void {
  const state = em.state;
  const w = words(args);
  const word = w[0]?.text.toLowerCase() ?? '';
  switch (name) {
    case 'bits': {
      const n = number(state, args, 'BITS');
      if (n !== 16n && n !== 32n && n !== 64n) throw new ExprError(`\`${n}' is not a valid segment size; must be 16, 32 or 64`);
      state.bits = Number(n) as 16 | 32 | 64;
      return;
    }
    case 'use16': case 'use32': case 'use64':
      state.bits = Number(name.slice(3)) as 16 | 32 | 64;
      return;
    case 'org':
      if (state.format !== 'bin') throw new ExprError(`unrecognized directive [org]`);
      state.org = number(state, args, 'ORG');
      return;
    case 'section': case 'segment':
      section(state, args);
      return;
    case 'global': case 'static':
      declare(state, em, args, 'global');
      return;
    case 'extern':
      declare(state, em, args, 'extern');
      return;
    case 'common':
      throw new ExprError('`common\' is not supported by this assembler');
    case 'default':
      if (word === 'rel' || word === 'abs') state.defaultRel = word === 'rel';
      else if (!['bnd', 'nobnd'].includes(word)) throw new ExprError(`unknown \`default' parameter \`${word}'`);
      return;
    case 'list':
      if (word === '-' || w[0]?.text === '-') state.listingSuspended = true;
      else if (w[0]?.text === '+') state.listingSuspended = false;
      return;
    case 'cpu': case 'warning': case 'float': case 'map':
      return;
    case 'sectalign': {
      if (word === 'on' || word === 'off') return;
      const n = number(state, args, 'SECTALIGN');
      const s = currentSection(state);
      s.alignRequest = Math.max(s.alignRequest, Number(n));
      return;
    }
    case 'absolute':
      state.absolute = number(state, args, 'ABSOLUTE');
      return;
    case 'struc': {
      const parts = splitArguments(args, false);
      const sname = words(parts[0] ?? [])[0];
      if (!sname || sname.kind !== 'id') throw new ExprError('`struc\' expects a structure name');
      state.strucs.push({ name: sname.text, previous: state.current, previousAbsolute: state.absolute });
      state.absolute = parts[1] ? number(state, parts[1], 'STRUC') : 0n;
      defineLabel(state, sname.text);
      return;
    }
    case 'endstruc': {
      const top = state.strucs.pop();
      if (!top) throw new ExprError('`endstruc\' without `struc\'');
      const start = evalAt(state, { k: 'sym', name: top.name });
      defineEqu(state, `${top.name}_size`, { ...start, n: here(state).n - start.n });
      state.current = top.previous;
      state.absolute = top.previousAbsolute;
      return;
    }
    case 'istruc': {
      if (!w[0] || w[0].kind !== 'id') throw new ExprError('`istruc\' expects a structure name');
      state.istrucs.push({ name: w[0].text, start: here(state).n });
      return;
    }
    case 'iend': {
      const top = state.istrucs.pop();
      if (!top) throw new ExprError('`iend\' without `istruc\'');
      const size = critical(state, { k: 'sym', name: `${top.name}_size` }, 'IEND');
      const pad = size - (here(state).n - top.start);
      if (pad < 0n) throw new ExprError(`TIMES value ${pad} is negative`);
      emitBytes(em, new Uint8Array(Number(pad)));
      return;
    }
    default:
      throw new ExprError(`unrecognized directive [${name}]`);
  }
}
