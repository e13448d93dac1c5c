// The equ constants a %if may test. NASM runs its preprocessor line by line inside the
// assembler's first pass, so `%if X > 2` sees an `X equ 5` above it. This assembler preprocesses
// the whole file first; it records, as lines go out to the assembler, each `NAME equ EXPR` whose
// expression is numbers and earlier such constants, which is what such tests use. An equ of
// labels (`LEN equ end - start`) is not known here, and the message says why.
import { evaluate, ExprError, parseExpr, TokenStream, type EvalValue } from '../expr.ts';
import type { Token } from '../lexer.ts';

/** The numeric equ constants seen so far, and the equ names whose value needs the assembler. */
export class EquConstants {
  private readonly values = new Map<string, bigint>();
  private readonly deferred = new Set<string>();

  /** Records the line if it is `NAME equ EXPR` (or `NAME: equ EXPR`) with a global name. */
  note(tokens: readonly Token[]): void {
    const words = tokens.filter((t) => t.kind !== 'space');
    const name = words[0];
    if (name?.kind !== 'id' || name.text.startsWith('.')) return;
    const at = words[1]?.text === ':' ? 2 : 1;
    if (words[at]?.kind !== 'id' || words[at]!.text.toLowerCase() !== 'equ') return;
    const rest = tokens.slice(tokens.indexOf(words[at]!) + 1);
    try {
      const ts = new TokenStream(rest);
      const e = parseExpr(ts);
      if (!ts.atEnd()) throw new ExprError('trailing tokens');
      const v = evaluate(e, { symbol: (n) => this.symbol(n), here: () => notConstant(), base: () => notConstant(), final: true });
      if (v.rel !== null || v.minus !== null) throw new ExprError('relocatable');
      this.values.set(name.text, v.n);
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      this.deferred.add(name.text);
    }
  }

  /** The value of `name` for a preprocessor expression; an ExprError naming the problem otherwise. */
  symbol(name: string): EvalValue {
    const n = this.values.get(name);
    if (n !== undefined) return { n, rel: null, minus: null, known: true };
    if (this.deferred.has(name)) {
      throw new ExprError(`\`${name}' is an equ of labels or of later symbols: this assembler preprocesses before it assembles, so a preprocessor expression can use only an equ of numbers and earlier such equs`);
    }
    throw new ExprError(`symbol \`${name}' not defined before use`);
  }
}

function notConstant(): never {
  throw new ExprError('not a constant');
}
