// Operands of an instruction line: registers, immediates, memory references (split into base,
// index, scale and displacement once, at parse time) and far pointers `seg:offset`.
import { evaluate, ExprError, parseExpr, TokenStream, type Expr } from '../expr.ts';
import type { OperandSize } from '../instruction.ts';
import type { Token } from '../lexer.ts';
import { isRegister, SEGMENT_REGISTERS } from '../registers.ts';
import { DISP_SIZES, SIZE_KEYWORDS } from './keywords.ts';

export type OperandAst =
  | { kind: 'reg'; reg: string }
  | { kind: 'imm'; expr: Expr; size: OperandSize | null; strict: boolean; jump: 'short' | 'near' | 'far' | null }
  | {
      kind: 'mem';
      size: OperandSize | null;
      segment: string | null;
      base: string | null;
      index: string | null;
      scale: 1 | 2 | 4 | 8;
      disp: Expr | null;
      dispSize: 8 | 16 | 32 | 64 | null;
      addressing: 'rel' | 'abs' | null;
      far: boolean;
    }
  | { kind: 'far'; segment: Expr; offset: Expr; size: OperandSize | null };

const NO_SYMBOLS = {
  symbol: () => null,
  here: () => {
    throw new ExprError('invalid effective address');
  },
  base: () => {
    throw new ExprError('invalid effective address');
  },
  final: true,
};

function hasRegister(e: Expr): boolean {
  if (e.k === 'reg') return true;
  if (e.k === 'un') return hasRegister(e.a);
  if (e.k === 'bin') return hasRegister(e.a) || hasRegister(e.b);
  return false;
}

/** Splits an address expression into register terms with their factors and the remaining terms. */
function linearize(e: Expr, sign: bigint, regs: Map<string, bigint>, rest: Expr[]): void {
  if (e.k === 'reg') {
    regs.set(e.name, (regs.get(e.name) ?? 0n) + sign);
    return;
  }
  if (e.k === 'bin' && (e.op === '+' || e.op === '-')) {
    linearize(e.a, sign, regs, rest);
    linearize(e.b, e.op === '-' ? -sign : sign, regs, rest);
    return;
  }
  if (e.k === 'un' && (e.op === '-' || e.op === '+')) {
    linearize(e.a, e.op === '-' ? -sign : sign, regs, rest);
    return;
  }
  if (e.k === 'bin' && e.op === '*' && (hasRegister(e.a) !== hasRegister(e.b))) {
    const [r, c] = hasRegister(e.a) ? [e.a, e.b] : [e.b, e.a];
    const factor = evaluate(c, NO_SYMBOLS).n;
    linearize(r, sign * factor, regs, rest);
    return;
  }
  if (hasRegister(e)) throw new ExprError('invalid effective address');
  rest.push(sign < 0n ? { k: 'un', op: '-', a: e } : e);
}

function memory(inner: Token[], size: OperandSize | null, far: boolean, resolve: (n: string) => string): OperandAst {
  const ts = new TokenStream(inner);
  let dispSize: 8 | 16 | 32 | 64 | null = null;
  let addressing: 'rel' | 'abs' | null = null;
  let segment: string | null = null;
  let nosplit = false;
  for (;;) {
    const t = ts.peek();
    const w = t?.kind === 'id' ? t.text.toLowerCase() : '';
    if (w in DISP_SIZES) dispSize = DISP_SIZES[w]!;
    else if (w === 'rel' || w === 'abs') addressing = w;
    else if (w === 'nosplit') nosplit = true;
    else if (SEGMENT_REGISTERS.has(w) && ts.isOp(':', 1)) {
      segment = w;
      ts.next();
    } else break;
    ts.next();
  }
  if (ts.atEnd()) throw new ExprError('invalid effective address');
  const e = parseExpr(ts, resolve);
  if (!ts.atEnd()) throw new ExprError('invalid effective address');
  const regs = new Map<string, bigint>();
  const rest: Expr[] = [];
  linearize(e, 1n, regs, rest);
  const used = [...regs].filter(([, f]) => f !== 0n);
  let base: string | null = null;
  let index: string | null = null;
  let scale = 1n;
  const isStackPointer = (r: string): boolean => r === 'esp' || r === 'rsp' || r === 'sp';
  if (used.length === 1) {
    const [r, f] = used[0]!;
    if (f === 1n) base = r;
    else if ((f === 3n || f === 5n || f === 9n) && !nosplit) [base, index, scale] = [r, r, f - 1n];
    else if (f === 2n && !nosplit) [base, index, scale] = [r, r, 1n];
    else [index, scale] = [r, f];
  } else if (used.length === 2) {
    const [[r1, f1], [r2, f2]] = used as [[string, bigint], [string, bigint]];
    if (f1 === 1n) [base, index, scale] = [r1, r2, f2];
    else if (f2 === 1n) [base, index, scale] = [r2, r1, f1];
    else throw new ExprError('invalid effective address');
    if (scale === 1n && index && isStackPointer(index)) [base, index] = [index, base];
  } else if (used.length > 2) {
    throw new ExprError('invalid effective address');
  }
  if (index && scale !== 1n && scale !== 2n && scale !== 4n && scale !== 8n) throw new ExprError('invalid effective address');
  const disp = rest.reduce<Expr | null>((acc, x) => (acc ? { k: 'bin', op: '+', a: acc, b: x } : x), null);
  return { kind: 'mem', size, segment, base, index, scale: Number(scale) as 1 | 2 | 4 | 8, disp, dispSize, addressing, far };
}

/** Parses one operand (the tokens between commas, without white space). */
export function parseOperand(tokens: Token[], resolve: (n: string) => string): OperandAst {
  let i = 0;
  let size: OperandSize | null = null;
  let strict = false;
  let jump: 'short' | 'near' | 'far' | null = null;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = t.kind === 'id' ? t.text.toLowerCase() : '';
    if (w in SIZE_KEYWORDS) size = SIZE_KEYWORDS[w]!;
    else if (w === 'strict') strict = true;
    else if (w === 'short' || w === 'near' || w === 'far') jump = w;
    else if (w === 'yword' || w === 'zword') throw new ExprError(`\`${w}' operands are not supported`);
    else break;
  }
  const rest = tokens.slice(i);
  if (rest.length === 0) throw new ExprError('expression syntax error');
  if (rest[0]!.kind === 'op' && rest[0]!.text === '[') {
    if (rest[rest.length - 1]!.text !== ']') throw new ExprError('expecting `]\'');
    return memory(rest.slice(1, -1), size, jump === 'far', resolve);
  }
  if (rest.length === 1 && rest[0]!.kind === 'id' && isRegister(rest[0]!.text)) {
    return { kind: 'reg', reg: rest[0]!.text.toLowerCase() };
  }
  // `es:[di]` is the same as `[es:di]`.
  if (rest.length > 2 && rest[0]!.kind === 'id' && SEGMENT_REGISTERS.has(rest[0]!.text.toLowerCase()) && rest[1]!.text === ':' && rest[2]!.text === '[') {
    return memory([rest[0]!, rest[1]!, ...rest.slice(3, -1)], size, jump === 'far', resolve);
  }
  const ts = new TokenStream(rest);
  const e = parseExpr(ts, resolve);
  if (ts.accept(':')) {
    const offset = parseExpr(ts, resolve);
    if (!ts.atEnd()) throw new ExprError('expression syntax error');
    return { kind: 'far', segment: e, offset, size };
  }
  if (!ts.atEnd()) throw new ExprError(`comma, colon, decorator or end of line expected after operand`);
  return { kind: 'imm', expr: e, size, strict, jump };
}
