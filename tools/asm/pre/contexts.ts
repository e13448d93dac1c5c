// The preprocessor's context stack (%push, %pop, %repl) and its context-local names `%$x`.
import { ExprError } from '../expr.ts';
import type { Token } from '../lexer.ts';

export class ContextStack {
  private readonly stack: Array<{ name: string; id: number }> = [];

  push(name: string, id: number): void {
    this.stack.push({ name, id });
  }

  /** %pop [name]: the name, when given, must be the top context's. */
  pop(name: string | undefined): void {
    const top = this.stack.pop();
    if (!top) throw new ExprError('`%pop\': context stack is already empty');
    if (name && name !== top.name) throw new ExprError(`\`%pop' in a wrong context: ${top.name}, expected ${name}`);
  }

  /** %repl: renames the top context. */
  rename(name: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) throw new ExprError('`%repl\': context stack is empty');
    top.name = name;
  }

  /** Whether the top context has this name (%ifctx). */
  isTop(name: string): boolean {
    return this.stack[this.stack.length - 1]?.name === name;
  }

  /** Replaces `%$x` (`%$$x` for the enclosing context, and so on) with a label unique to that context. */
  localize(tokens: Token[]): Token[] {
    if (!tokens.some((t) => t.kind === 'pp' && t.text.startsWith('%$'))) return tokens;
    return tokens.map((t) => {
      if (t.kind !== 'pp' || !t.text.startsWith('%$')) return t;
      const name = t.text.replace(/^%\$+/, '');
      const up = t.text.length - name.length - 1;
      const ctx = this.stack[this.stack.length - up];
      if (!ctx) throw new ExprError(`\`${t.text}': context stack is ${this.stack.length ? 'not that deep' : 'empty'}`);
      return { kind: 'id', text: `..@${ctx.id}.${name}` };
    });
  }
}
