// The tests of the %if family, and the stack of open conditionals.
import { evaluate, parseExpr, ExprError, TokenStream } from '../expr.ts';
import type { Token } from '../lexer.ts';
import type { EquConstants } from './equ-constants.ts';
import { splitArguments, trimSpace } from './single.ts';

interface Frame {
  /** Whether lines in the current branch are assembled. */
  active: boolean;
  /** Whether an earlier branch was taken (or the parent is inactive), so later branches are not. */
  done: boolean;
  sawElse: boolean;
}

/** The nesting of %if ... %endif. */
export class ConditionStack {
  private readonly frames: Frame[] = [];

  get depth(): number {
    return this.frames.length;
  }

  /** Whether the current line is in an active branch. */
  get active(): boolean {
    return this.frames.length === 0 || this.frames[this.frames.length - 1]!.active;
  }

  /** Opens a conditional; `test` is only called when the parent is active. */
  open(test: () => boolean): void {
    const parent = this.active;
    const value = parent ? test() : false;
    this.frames.push({ active: value, done: value || !parent, sawElse: false });
  }

  /** Handles %elif; returns an error message or null. */
  elif(test: () => boolean): string | null {
    const f = this.frames[this.frames.length - 1];
    if (!f) return '`%elif\': no matching `%if\'';
    if (f.sawElse) return '`%elif\' after `%else\'';
    if (f.done) {
      f.active = false;
      return null;
    }
    f.active = test();
    f.done = f.active;
    return null;
  }

  else(): string | null {
    const f = this.frames[this.frames.length - 1];
    if (!f) return '`%else\': no matching `%if\'';
    if (f.sawElse) return '`%else\' after `%else\'';
    f.sawElse = true;
    f.active = !f.done;
    f.done = true;
    return null;
  }

  endif(): string | null {
    if (!this.frames.pop()) return '`%endif\': no matching `%if\'';
    return null;
  }

  /** Drops conditionals opened above `depth` (a macro left with %exitmacro). */
  truncate(depth: number): void {
    this.frames.length = Math.min(this.frames.length, depth);
  }
}

/** Evaluates a preprocessor expression (already macro-expanded) to a number; symbols are the equ constants seen so far. */
export function evaluateCritical(tokens: readonly Token[], what: string, constants: EquConstants): bigint {
  const ts = new TokenStream(tokens);
  if (ts.atEnd()) throw new ExprError(`\`${what}' expects an expression`);
  const e = parseExpr(ts);
  if (!ts.atEnd()) throw new ExprError(`trailing garbage after expression in \`${what}'`);
  const v = evaluate(e, {
    symbol: (name) => constants.symbol(name),
    here: () => {
      throw new ExprError(`\`$' is not allowed in \`${what}'`);
    },
    base: () => {
      throw new ExprError(`\`$$' is not allowed in \`${what}'`);
    },
    final: true,
  });
  return v.n;
}

function sameTokens(a: Token[], b: Token[], fold: boolean): boolean {
  const text = (ts: Token[]): string => ts.filter((t) => t.kind !== 'space').map((t) => (fold ? t.text.toLowerCase() : t.text)).join('\u0000');
  return text(a) === text(b);
}

/** The tests that take expanded tokens: %if, %ifidn(i), %ifnum, %ifstr, %ifid, %ifempty. */
export function tokenTest(kind: string, tokens: Token[], constants: EquConstants): boolean {
  const body = trimSpace(tokens);
  switch (kind) {
    case 'if':
      return evaluateCritical(body, '%if', constants) !== 0n;
    case 'idn':
    case 'idni': {
      const args = splitArguments(body, false);
      if (args.length !== 2) throw new ExprError(`\`%if${kind}' expects two comma-separated arguments`);
      return sameTokens(args[0]!, args[1]!, kind === 'idni');
    }
    case 'num':
      return body.length === 1 && body[0]!.kind === 'num';
    case 'str':
      return body.length === 1 && body[0]!.kind === 'str';
    case 'id':
      return body.length === 1 && body[0]!.kind === 'id';
    case 'empty':
      return body.length === 0;
    default:
      throw new ExprError(`unknown condition \`%if${kind}'`);
  }
}
