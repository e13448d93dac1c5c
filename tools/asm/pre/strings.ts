// The string functions of the preprocessor: %defstr, %deftok, %strcat, %strlen, %substr.
// Each takes the macro-expanded tokens after the name and gives the new macro's body.
import { evaluateCritical } from './conditions.ts';
import type { EquConstants } from './equ-constants.ts';
import { ExprError } from '../expr.ts';
import { tokenize, untokenize, type Token } from '../lexer.ts';
import { quote, splitArguments, trimSpace } from './single.ts';

const decoder = new TextDecoder();

function onlyString(tokens: Token[], what: string): Uint8Array {
  const t = trimSpace(tokens);
  if (t.length !== 1 || t[0]!.kind !== 'str') throw new ExprError(`\`${what}' requires a string as second parameter`);
  return t[0]!.bytes!;
}

/** The body each string function defines, from its expanded argument tokens (numbers may name equ constants). */
export const STRING_FUNCTIONS: Record<string, (tokens: Token[], constants: EquConstants) => Token[]> = {
  '%defstr': (tokens) => [quote(untokenize(trimSpace(tokens)))],
  '%deftok': (tokens) => tokenize(decoder.decode(onlyString(tokens, '%deftok'))),
  '%strcat': (tokens) => {
    let text = '';
    for (const part of splitArguments(tokens, false)) {
      if (part.length !== 1 || part[0]!.kind !== 'str') throw new ExprError('non-string passed to `%strcat\'');
      text += decoder.decode(part[0]!.bytes!);
    }
    return [quote(text)];
  },
  '%strlen': (tokens) => tokenize(String(onlyString(tokens, '%strlen').length)),
  '%substr': (tokens, constants) => {
    const parts = splitArguments(tokens, false);
    const bytes = onlyString(parts[0] ?? [], '%substr');
    const start = Number(evaluateCritical(parts[1] ?? [], '%substr', constants));
    const len = parts[2] ? Number(evaluateCritical(parts[2], '%substr', constants)) : 1;
    const end = len < 0 ? bytes.length + len + 1 : start - 1 + len;
    return [quote(decoder.decode(bytes.slice(Math.max(0, start - 1), Math.max(0, end))))];
  },
};
