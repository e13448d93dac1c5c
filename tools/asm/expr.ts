// NASM expressions: parsed once into a tree, evaluated on every pass with the symbol values of
// that pass. Arithmetic is 64-bit two's complement like NASM's.
import type { RelocTarget } from './instruction.ts';
import type { Token } from './lexer.ts';
import { isRegister } from './registers.ts';

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'str'; bytes: Uint8Array }
  | { k: 'sym'; name: string }
  | { k: 'reg'; name: string }
  | { k: 'here' }
  | { k: 'base' }
  | { k: 'un'; op: string; a: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr };

/** An evaluated expression: constant, or relocatable (`rel` + `n`), possibly relative to the field's own address. */
export interface EvalValue {
  n: bigint;
  rel: RelocTarget | null;
  /** Set for `symbol - position`: the value is `rel + n - (minus + 0)`, a section whose base the linker knows. */
  minus: RelocTarget | null;
  /** false while a forward reference is still unresolved. */
  known: boolean;
}

/** What an evaluation can ask about the world. */
export interface EvalEnv {
  /** The value of a symbol; null when it is not (yet) defined. */
  symbol(name: string): EvalValue | null;
  /** `$`. */
  here(): EvalValue;
  /** `$$`. */
  base(): EvalValue;
  /** Whether an undefined symbol is an error now (the last pass) or a forward reference. */
  final: boolean;
  /** Flat binary output: labels are relocatable but their `n` is already the final address. */
  flat?: boolean;
}

/** A malformed or unevaluable expression; the message is NASM's wording. */
export class ExprError extends Error {}

/** Reads tokens left to right, skipping white space. */
export class TokenStream {
  private i = 0;
  private readonly toks: Token[];
  constructor(tokens: readonly Token[]) {
    this.toks = tokens.filter((t) => t.kind !== 'space');
  }
  peek(offset = 0): Token | undefined {
    return this.toks[this.i + offset];
  }
  next(): Token | undefined {
    return this.toks[this.i++];
  }
  atEnd(): boolean {
    return this.i >= this.toks.length;
  }
  /** Consumes the next token if it is the operator or (case-insensitive) word `text`. */
  accept(text: string): boolean {
    const t = this.toks[this.i];
    if (t && (t.kind === 'op' || t.kind === 'id') && t.text.toLowerCase() === text) {
      this.i++;
      return true;
    }
    return false;
  }
  isOp(text: string, offset = 0): boolean {
    const t = this.toks[this.i + offset];
    return t !== undefined && t.kind === 'op' && t.text === text;
  }
  rest(): Token[] {
    return this.toks.slice(this.i);
  }
}

const LEVELS: string[][] = [
  ['||'],
  ['^^'],
  ['&&'],
  ['=', '==', '<', '<=', '>', '>=', '<>', '!=', '<=>'],
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '//', '%', '%%'],
];

/** Parses one expression from the stream; `resolveName` maps a written name to its full name (local labels). */
export function parseExpr(ts: TokenStream, resolveName: (name: string) => string = (n) => n): Expr {
  const parser = new ExprParser(ts, resolveName);
  const e = parser.level(0);
  const t = ts.peek();
  if (t?.kind === 'id' && t.text.toLowerCase() === 'wrt') {
    ts.next();
    const base = ts.next();
    return { k: 'un', op: `wrt ${base?.text ?? ''}`, a: e };
  }
  return e;
}

const UNARY = new Set(['-', '+', '~', '!']);

/** Precedence climbing over LEVELS; a class rather than closures because it runs for every operand. */
class ExprParser {
  constructor(
    private readonly ts: TokenStream,
    private readonly resolveName: (name: string) => string,
  ) {}

  level(l: number): Expr {
    if (l === LEVELS.length) return this.unary();
    let a = this.level(l + 1);
    for (;;) {
      const t = this.ts.peek();
      if (!t || t.kind !== 'op' || !LEVELS[l]!.includes(t.text)) return a;
      this.ts.next();
      a = { k: 'bin', op: t.text, a, b: this.level(l + 1) };
    }
  }

  private unary(): Expr {
    const t = this.ts.peek();
    if (t && t.kind === 'op' && UNARY.has(t.text)) {
      this.ts.next();
      return { k: 'un', op: t.text, a: this.unary() };
    }
    if (t && t.kind === 'id' && t.text.toLowerCase() === 'seg') {
      this.ts.next();
      return { k: 'un', op: 'seg', a: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.ts.next();
    if (!t) throw new ExprError('expression syntax error');
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: t.num! };
      case 'str':
        return { k: 'str', bytes: t.bytes! };
      case 'float':
        throw new ExprError('floating-point constant encountered in non-floating-point expression');
      case 'id':
        if (t.text === '$') return { k: 'here' };
        if (t.text === '$$') return { k: 'base' };
        if (t.text.startsWith('$')) return { k: 'sym', name: this.resolveName(t.text.slice(1)) };
        if (isRegister(t.text)) return { k: 'reg', name: t.text.toLowerCase() };
        return { k: 'sym', name: this.resolveName(t.text) };
      case 'op':
        if (t.text === '(') {
          const e = this.level(0);
          if (!this.ts.accept(')')) throw new ExprError('expecting `)\'');
          return e;
        }
        break;
      default:
        break;
    }
    throw new ExprError(`expression syntax error`);
  }
}

const MASK = (1n << 64n) - 1n;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u64 = (v: bigint): bigint => v & MASK;

/** The integer a character constant stands for: its bytes, little-endian. */
export function stringValue(bytes: Uint8Array): bigint {
  if (bytes.length > 8) throw new ExprError('character constant too long');
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return s64(v);
}

const constant = (n: bigint, known = true): EvalValue => ({ n: s64(n), rel: null, minus: null, known });

function sameTarget(a: RelocTarget, b: RelocTarget): boolean {
  return a.symbol === b.symbol && a.isSection === b.isSection;
}

const COMPARISONS = new Set(['=', '==', '!=', '<>', '<', '<=', '>', '>=', '<=>']);

/** NASM's refusal of a label (a relocatable value) as an operand of `op`. */
function requireScalar(v: EvalValue, op: string): void {
  if (!(v.rel || v.minus) || !v.known) return;
  if (op === '<<' || op === '>>') throw new ExprError('shift operator may only be applied to scalar values');
  if (op === '/' || op === '//' || op === '%' || op === '%%') throw new ExprError('division operator may only be applied to scalar values');
  if (op === '*') throw new ExprError('expression is not simple or relocatable');
  throw new ExprError(`\`${op[0]}' operator may only be applied to scalar values`);
}

/** Evaluates an expression; throws ExprError with NASM's message for errors. */
export function evaluate(e: Expr, env: EvalEnv): EvalValue {
  switch (e.k) {
    case 'num':
      return constant(e.v);
    case 'str':
      return constant(stringValue(e.bytes));
    case 'here':
      return env.here();
    case 'base':
      return env.base();
    case 'reg':
      throw new ExprError('invalid use of register in expression');
    case 'sym': {
      const v = env.symbol(e.name);
      if (v) return v;
      if (env.final) throw new ExprError(`symbol \`${e.name}' not defined`);
      return constant(0n, false);
    }
    case 'un': {
      const a = evaluate(e.a, env);
      if (e.op === 'seg') throw new ExprError('`seg\' is not supported by this output format');
      if (e.op.startsWith('wrt')) throw new ExprError(`\`${e.op}' is not supported: the object model has no segment-relative, GOT or PLT relocations`);
      if (e.op === '+') return a;
      // NASM negates a label's address in flat binaries; in objects that is no relocation.
      if (e.op === '-' && a.rel && env.flat && !a.minus) return constant(-a.n, a.known);
      if (e.op === '-' && (a.rel || a.minus) && a.known) throw new ExprError('expression is not simple or relocatable');
      requireScalar(a, e.op);
      const r = e.op === '-' ? -a.n : e.op === '~' ? ~a.n : a.n === 0n ? 1n : 0n;
      return constant(r, a.known);
    }
    case 'bin':
      return binary(e.op, evaluate(e.a, env), evaluate(e.b, env));
  }
}

function binary(op: string, a: EvalValue, b: EvalValue): EvalValue {
  const known = a.known && b.known;
  if (op === '+') {
    if (a.rel && b.rel && known) throw new ExprError('invalid operand to `+\': both operands are relocatable');
    const rel = a.rel ?? b.rel;
    if ((a.minus || b.minus) && known && (a.rel === null) === (b.rel === null)) throw new ExprError('invalid operand to `+\'');
    return { n: s64(a.n + b.n), rel: known ? rel : null, minus: known ? (a.minus ?? b.minus) : null, known };
  }
  if (op === '-') {
    if (b.rel && known) {
      if (a.rel && sameTarget(a.rel, b.rel) && !a.minus && !b.minus) return constant(a.n - b.n);
      if (a.rel && !a.minus && !b.minus && b.rel.isSection) {
        // A symbol minus a position: the caller turns it into a PC-relative field.
        return { n: s64(a.n - b.n), rel: a.rel, minus: b.rel, known };
      }
      throw new ExprError('invalid operand to `-\': subtracting a relocatable value');
    }
    return { n: s64(a.n - b.n), rel: known ? a.rel : null, minus: known ? a.minus : null, known };
  }
  if (known && !COMPARISONS.has(op)) {
    requireScalar(a, op);
    requireScalar(b, op);
  }
  const x = a.n;
  const y = b.n;
  const divisor = (): bigint => {
    if (y === 0n) {
      if (!known) return 1n;
      throw new ExprError('division by zero');
    }
    return y;
  };
  let r: bigint;
  switch (op) {
    case '*': r = x * y; break;
    case '/': r = u64(x) / u64(divisor()); break;
    case '//': r = x / divisor(); break;
    case '%': r = u64(x) % u64(divisor()); break;
    case '%%': r = x % divisor(); break;
    case '<<': r = x << (y & 63n); break;
    case '>>': r = u64(x) >> (y & 63n); break;
    case '&': r = x & y; break;
    case '|': r = x | y; break;
    case '^': r = x ^ y; break;
    case '&&': r = x !== 0n && y !== 0n ? 1n : 0n; break;
    case '||': r = x !== 0n || y !== 0n ? 1n : 0n; break;
    case '^^': r = (x !== 0n) !== (y !== 0n) ? 1n : 0n; break;
    case '=': case '==': r = x === y ? 1n : 0n; break;
    case '!=': case '<>': r = x !== y ? 1n : 0n; break;
    case '<': r = x < y ? 1n : 0n; break;
    case '<=': r = x <= y ? 1n : 0n; break;
    case '>': r = x > y ? 1n : 0n; break;
    case '>=': r = x >= y ? 1n : 0n; break;
    case '<=>': r = x < y ? -1n : x > y ? 1n : 0n; break;
    default: throw new ExprError(`unknown operator \`${op}'`);
  }
  return constant(r, known);
}
