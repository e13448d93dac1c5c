// The NASM preprocessor: reads files and macro bodies, runs the % directives, expands macros,
// and yields the lines the assembler sees, each with the file and line messages should name.
import { dirname, join } from 'node:path';
import { DiagnosticSink, type SourceRef } from '../diagnostics.ts';
import { ExprError } from '../expr.ts';
import type { SourceFiles } from '../files.ts';
import { LexError, tokenize, untokenize, type Token } from '../lexer.ts';
import { ConditionStack, evaluateCritical, tokenTest } from './conditions.ts';
import { accepts, invocationArguments, parseMacroHeader, substituteLine, type MacroCall, type MultiMacro } from './multi.ts';
import { ExpansionError, parseDefinition, quote, SingleMacroTable, splitArguments, trimSpace } from './single.ts';
import { builtinMacros } from './builtins.ts';

/** One line as the assembler receives it. */
export interface PreprocessedLine {
  tokens: Token[];
  at: SourceRef;
  /** The line's text for the listing. */
  text: string;
  /** Include, macro and %rep nesting depth, shown as `<n>` in the listing (0 for the main file). */
  depth: number;
  /** The line number the listing shows: the source line, or the line inside the macro or %rep body. */
  listLine: number;
  /** Only for the listing: a directive, a skipped line, a macro definition or call. */
  listOnly: boolean;
}

export interface PreprocessOptions {
  files: SourceFiles;
  includePaths: string[];
  /** `-D` definitions: name and value text. */
  defines: Array<[string, string]>;
  format: string;
  /** Lines macros and %rep may produce (DEFAULT_EXPANSION_LIMIT when absent). */
  expansionLimit?: number;
}

/** What may follow `%if` / `%elif` (each also with `n` for the negation). */
const CONDITION_KINDS = new Set(['', 'def', 'ctx', 'macro', 'idn', 'idni', 'num', 'str', 'id', 'empty']);

const MAX_MACRO_DEPTH = 1000;
const MAX_INCLUDE_DEPTH = 50;
const MAX_REP = 1_000_000;
/** Lines that macros and %rep may produce in one assembly by default: beyond this the expansion is runaway, not a program. */
export const DEFAULT_EXPANSION_LIMIT = 1_000_000;

type Frame =
  | { kind: 'file'; path: string; lines: string[]; index: number; line: number }
  | { kind: 'macro'; call: MacroCall; index: number; conditionDepth: number }
  | { kind: 'rep'; body: string[]; lines: number[]; index: number; left: number; conditionDepth: number; call: MacroCall | null };

type Collector =
  | { kind: 'macro'; macro: MultiMacro; nesting: number }
  | { kind: 'rep'; count: number; body: string[]; lines: number[]; nesting: number };

const decoder = new TextDecoder();

/** Runs the preprocessor over a whole file; every problem becomes a diagnostic in `sink`. */
export function preprocess(path: string, source: string, options: PreprocessOptions, sink: DiagnosticSink): PreprocessedLine[] {
  return new Preprocessor(options, sink).run(path, source);
}

class Preprocessor {
  private readonly singles = new SingleMacroTable();
  private readonly multis = new Map<string, MultiMacro[]>();
  private readonly conditions = new ConditionStack();
  private readonly frames: Frame[] = [];
  private readonly out: PreprocessedLine[] = [];
  private collector: Collector | null = null;
  private nextCallId = 1000;
  private at: SourceRef = { file: '', line: 0 };
  private listLine = 0;
  private expandedLines = 0;
  private readonly contexts: Array<{ name: string; id: number }> = [];
  private readonly dynamic;

  constructor(
    private readonly options: PreprocessOptions,
    private readonly sink: DiagnosticSink,
  ) {
    this.dynamic = builtinMacros(() => this.at, options.format, this.singles);
    this.setSection('.text');
    for (const [name, value] of options.defines) {
      this.define(`${name} ${value}`, false);
    }
  }

  run(path: string, source: string): PreprocessedLine[] {
    this.pushFile(path, source);
    for (;;) {
      const next = this.readLine();
      if (!next) break;
      try {
        this.handle(next.tokens, next.raw);
      } catch (e) {
        if (e instanceof ExprError || e instanceof LexError || e instanceof ExpansionError) this.sink.error(this.at, e.message);
        else throw e;
      }
    }
    if (this.collector) {
      this.sink.error(this.at, this.collector.kind === 'macro' ? 'end of file while still defining macro' : 'end of file while still in `%rep\'');
    }
    if (this.conditions.depth > 0) this.sink.add(this.at, 'fatal', 'expected `%endif\' before end of file');
    return this.out;
  }

  private pushFile(path: string, source: string): void {
    const lines = source.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.frames.push({ kind: 'file', path, lines, index: 0, line: 0 });
  }

  /** The next raw line and its tokens, from the innermost frame; null at the end of the main file. */
  private readLine(): { tokens: Token[]; raw: string } | null {
    for (;;) {
      const f = this.frames[this.frames.length - 1];
      if (!f) return null;
      const limit = this.options.expansionLimit ?? DEFAULT_EXPANSION_LIMIT;
      if (f.kind !== 'file' && ++this.expandedLines > limit) {
        this.sink.add(this.at, 'fatal', `macro and %rep expansion exceeds ${limit} lines`);
        this.unwindExpansions();
        continue;
      }
      if (f.kind === 'file') {
        if (f.index >= f.lines.length) {
          this.frames.pop();
          continue;
        }
        let raw = f.lines[f.index++]!;
        f.line = f.index;
        while (raw.endsWith('\\') && f.index < f.lines.length) raw = raw.slice(0, -1) + f.lines[f.index++]!;
        this.at = { file: f.path, line: f.line };
        this.listLine = f.line;
        try {
          return { tokens: tokenize(raw), raw };
        } catch (e) {
          if (!(e instanceof LexError)) throw e;
          if (this.conditions.active && !this.collector) this.sink.error(this.at, e.message);
          continue;
        }
      }
      if (f.kind === 'macro') {
        if (f.index >= f.call.macro.body.length) {
          this.frames.pop();
          continue;
        }
        const raw = f.call.macro.body[f.index++]!;
        this.listLine = f.call.macro.line + f.index;
        try {
          // Bodies collected inside a macro stay raw: a nested macro keeps its own parameters,
          // and a %rep body is substituted as it runs, so %rotate between repetitions shows.
          if (this.collector) return { tokens: tokenize(raw), raw };
          return { tokens: substituteLine(raw, f.call), raw };
        } catch (e) {
          if (!(e instanceof LexError)) throw e;
          this.sink.error(this.at, e.message);
          continue;
        }
      }
      if (f.index >= f.body.length) {
        if (--f.left <= 0) {
          this.frames.pop();
          continue;
        }
        f.index = 0;
      }
      const raw = f.body[f.index++]!;
      this.listLine = f.lines[f.index - 1] ?? 0;
      if (!f.call || this.collector) return { tokens: tokenize(raw), raw };
      try {
        return { tokens: substituteLine(raw, f.call), raw };
      } catch (e) {
        if (!(e instanceof LexError)) throw e;
        this.sink.error(this.at, e.message);
      }
    }
  }

  /** Abandons every running macro and %rep, back to the file being read, so one runaway expansion gives one error. */
  private unwindExpansions(): void {
    let i = this.frames.length;
    while (i > 0 && this.frames[i - 1]!.kind !== 'file') i--;
    const outermost = this.frames[i] as { conditionDepth?: number } | undefined;
    if (outermost?.conditionDepth !== undefined) this.conditions.truncate(outermost.conditionDepth);
    this.frames.length = i;
  }

  private innermostCall(): MacroCall | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') return f.call;
      if (f.kind === 'rep' && f.call) return f.call;
      if (f.kind === 'file') return null;
    }
    return null;
  }

  private macroDepth(): number {
    return this.frames.filter((f) => f.kind === 'macro').length;
  }

  private emit(tokens: Token[], raw: string, listOnly: boolean, depth = this.frames.length - 1): void {
    this.out.push({ tokens, at: { ...this.at }, text: raw, depth, listLine: this.listLine, listOnly });
  }

  /** A bare SECTION/SEGMENT line sets `__SECT__` to its bracketed form, which macros use to return to the user's section. */
  private trackSection(tokens: Token[]): void {
    const first = tokens.find((t) => t.kind !== 'space');
    if (!first || first.kind !== 'id' || !/^(section|segment)$/i.test(first.text)) return;
    const rest = trimSpace(tokens.slice(tokens.indexOf(first) + 1));
    this.setSection(untokenize(rest));
  }

  private setSection(args: string): void {
    const body = tokenize(`[section ${args}]`);
    for (const name of ['__SECT__', '__?SECT?__']) this.singles.define(name, { params: null, greedy: false, body }, false);
  }

  /** Replaces each `%[tokens]` with the text of the expanded tokens, glued to its neighbours (`name_%[i]`). */
  private indirect(tokens: Token[]): Token[] {
    const starts = (i: number): boolean => tokens[i]?.kind === 'op' && tokens[i]!.text === '%' && tokens[i + 1]?.text === '[';
    if (!tokens.some((_, i) => starts(i))) return tokens;
    let text = '';
    for (let i = 0; i < tokens.length; i++) {
      if (!starts(i)) {
        text += tokens[i]!.text;
        continue;
      }
      let depth = 0;
      let k = i + 1;
      for (; k < tokens.length; k++) {
        if (tokens[k]!.text === '[') depth++;
        if (tokens[k]!.text === ']' && --depth === 0) break;
      }
      if (k >= tokens.length) throw new ExprError('`%[\': missing `]\'');
      text += untokenize(trimSpace(this.singles.expand(tokens.slice(i + 2, k), this.dynamic)));
      i = k;
    }
    return tokenize(text);
  }

  /** Replaces context-local names (`%$x`, `%$$x` for the enclosing context) with unique labels. */
  private contextLocals(tokens: Token[]): Token[] {
    if (!tokens.some((t) => t.kind === 'pp' && t.text.startsWith('%$'))) return tokens;
    return tokens.map((t) => {
      if (t.kind !== 'pp' || !t.text.startsWith('%$')) return t;
      const name = t.text.replace(/^%\$+/, '');
      const up = t.text.length - name.length - 1;
      const ctx = this.contexts[this.contexts.length - up];
      if (!ctx) throw new ExprError(`\`${t.text}': context stack is ${this.contexts.length ? 'not that deep' : 'empty'}`);
      return { kind: 'id', text: `..@${ctx.id}.${name}` };
    });
  }

  private handle(tokens: Token[], raw: string): void {
    // The depth before the line runs: a %endrep or macro call must not list itself inside its own expansion.
    const depth = this.frames.length - 1;
    if (!this.handleLine(tokens, raw)) this.emit([], raw, true, depth);
  }

  /** Processes one line; returns whether it reached the assembler (otherwise it is only listed). */
  private handleLine(original: Token[], raw: string): boolean {
    const tokens = this.collector || !this.conditions.active ? original : this.indirect(this.contextLocals(original));
    const first = tokens.find((t) => t.kind !== 'space');
    const directive = first && first.kind === 'pp' && /^%[a-z]/i.test(first.text) ? first.text.toLowerCase() : null;
    const args = directive ? tokens.slice(tokens.indexOf(first!) + 1) : [];
    if (this.collector) {
      this.collect(directive, raw);
      return false;
    }
    if (directive && this.conditional(directive, args)) return false;
    if (!this.conditions.active) return false;
    if (directive) {
      this.directive(directive, args);
      return false;
    }
    const expanded = this.singles.expand(tokens, this.dynamic);
    if (this.invokeMacro(expanded, raw)) return true;
    this.trackSection(expanded);
    this.emit(expanded, raw, false);
    return true;
  }

  private collect(directive: string | null, raw: string): void {
    const c = this.collector!;
    const opens = c.kind === 'macro' ? ['%macro', '%imacro'] : ['%rep'];
    const closes = c.kind === 'macro' ? ['%endmacro', '%endm'] : ['%endrep'];
    if (directive && opens.includes(directive)) c.nesting++;
    if (directive && closes.includes(directive)) {
      if (c.nesting === 0) {
        this.collector = null;
        if (c.kind === 'macro') {
          const list = (this.multis.get(this.macroKey(c.macro.name, c.macro.caseInsensitive)) ?? []).filter(
            (m) => m.min !== c.macro.min || m.max !== c.macro.max,
          );
          list.push(c.macro);
          this.multis.set(this.macroKey(c.macro.name, c.macro.caseInsensitive), list);
        } else if (c.count > 0) {
          this.frames.push({ kind: 'rep', body: c.body, lines: c.lines, index: 0, left: c.count, conditionDepth: this.conditions.depth, call: this.innermostCall() });
        }
        return;
      }
      c.nesting--;
    }
    if (c.kind === 'macro') c.macro.body.push(raw);
    else {
      c.body.push(raw);
      c.lines.push(this.listLine);
    }
  }

  private macroKey(name: string, caseInsensitive: boolean): string {
    return caseInsensitive ? `i:${name.toLowerCase()}` : `s:${name}`;
  }

  private findMacros(name: string): MultiMacro[] {
    return [...(this.multis.get(this.macroKey(name, false)) ?? []), ...(this.multis.get(this.macroKey(name, true)) ?? [])];
  }

  /** Handles the %if family; returns whether the directive was one of them. */
  private conditional(directive: string, args: Token[]): boolean {
    const m = /^%(el)?if(.*)$/.exec(directive);
    if (m) {
      let kind = m[2] ?? '';
      const negate = !CONDITION_KINDS.has(kind) && kind.startsWith('n') && CONDITION_KINDS.has(kind.slice(1));
      if (negate) kind = kind.slice(1);
      const test = (): boolean => this.test(kind, args) !== negate;
      if (m[1]) {
        const err = this.conditions.elif(test);
        if (err) this.sink.error(this.at, err);
      } else {
        this.conditions.open(test);
      }
      return true;
    }
    if (directive === '%else' || directive === '%endif') {
      const err = directive === '%else' ? this.conditions.else() : this.conditions.endif();
      if (err) this.sink.error(this.at, err);
      return true;
    }
    return false;
  }

  private test(kind: string, args: Token[]): boolean {
    try {
      const name = trimSpace(args)[0]?.text ?? '';
      switch (kind) {
        case 'def':
          return this.singles.isDefined(name);
        case 'ctx': {
          const top = this.contexts[this.contexts.length - 1];
          return top !== undefined && args.some((t) => t.kind === 'id' && t.text === top.name);
        }
        case 'macro': {
          const parts = args.filter((t) => t.kind !== 'space');
          const count = parts[1]?.kind === 'num' ? Number(parts[1].num) : null;
          return this.findMacros(name).some((mm) => count === null || accepts(mm, count));
        }
        case '':
          return tokenTest('if', this.singles.expand(args, this.dynamic));
        default:
          return tokenTest(kind, this.singles.expand(args, this.dynamic));
      }
    } catch (e) {
      if (e instanceof ExprError || e instanceof ExpansionError) {
        this.sink.error(this.at, e.message);
        return false;
      }
      throw e;
    }
  }

  private define(text: string, caseInsensitive: boolean, expandFirst = false): void {
    const tokens = tokenize(text);
    const def = parseDefinition(tokens);
    if (!def) {
      this.sink.error(this.at, '`%define\' expects a macro identifier');
      return;
    }
    if (expandFirst) def.macro.body = this.singles.expand(def.macro.body, this.dynamic);
    this.singles.define(def.name, def.macro, caseInsensitive);
  }

  private nameAndRest(args: Token[], what: string): { name: string; rest: Token[] } | null {
    const t = trimSpace(args);
    if (!t[0] || t[0].kind !== 'id') {
      this.sink.error(this.at, `\`${what}' expects a macro identifier`);
      return null;
    }
    return { name: t[0].text, rest: t.slice(1) };
  }

  private assign(name: string, value: Token[], caseInsensitive: boolean): void {
    this.singles.define(name, { params: null, greedy: false, body: value }, caseInsensitive);
  }

  private directive(directive: string, args: Token[]): void {
    const text = untokenize(args);
    switch (directive) {
      case '%define':
      case '%idefine':
      case '%xdefine':
      case '%ixdefine':
        this.define(text, directive.startsWith('%i'), directive.includes('x'));
        return;
      case '%undef': {
        const nr = this.nameAndRest(args, directive);
        if (nr) this.singles.undefine(nr.name);
        return;
      }
      case '%assign':
      case '%iassign': {
        const nr = this.nameAndRest(args, directive);
        if (!nr) return;
        const v = evaluateCritical(this.singles.expand(nr.rest, this.dynamic), directive);
        this.assign(nr.name, tokenize(String(v)), directive === '%iassign');
        return;
      }
      case '%defstr': {
        const nr = this.nameAndRest(args, directive);
        if (nr) this.assign(nr.name, [quote(untokenize(trimSpace(this.singles.expand(nr.rest, this.dynamic))))], false);
        return;
      }
      case '%deftok': {
        const nr = this.nameAndRest(args, directive);
        if (!nr) return;
        const s = trimSpace(this.singles.expand(nr.rest, this.dynamic));
        if (s.length !== 1 || s[0]!.kind !== 'str') throw new ExprError('`%deftok\' requires a string as second parameter');
        this.assign(nr.name, tokenize(decoder.decode(s[0]!.bytes!)), false);
        return;
      }
      case '%strcat': {
        const nr = this.nameAndRest(args, directive);
        if (!nr) return;
        let text = '';
        for (const part of splitArguments(this.singles.expand(nr.rest, this.dynamic), false)) {
          if (part.length !== 1 || part[0]!.kind !== 'str') throw new ExprError('non-string passed to `%strcat\'');
          text += decoder.decode(part[0]!.bytes!);
        }
        this.assign(nr.name, [quote(text)], false);
        return;
      }
      case '%strlen': {
        const nr = this.nameAndRest(args, directive);
        if (!nr) return;
        const s = trimSpace(this.singles.expand(nr.rest, this.dynamic));
        if (s.length !== 1 || s[0]!.kind !== 'str') throw new ExprError('`%strlen\' requires string as second parameter');
        this.assign(nr.name, tokenize(String(s[0]!.bytes!.length)), false);
        return;
      }
      case '%substr': {
        const nr = this.nameAndRest(args, directive);
        if (!nr) return;
        const parts = splitArguments(this.singles.expand(nr.rest, this.dynamic), false);
        const str = parts[0]?.[0];
        if (!str || str.kind !== 'str') throw new ExprError('`%substr\' requires string as second parameter');
        const bytes = str.bytes!;
        const start = Number(evaluateCritical(parts[1] ?? [], '%substr'));
        const len = parts[2] ? Number(evaluateCritical(parts[2], '%substr')) : 1;
        const end = len < 0 ? bytes.length + len + 1 : start - 1 + len;
        const piece = decoder.decode(bytes.slice(Math.max(0, start - 1), Math.max(0, end)));
        this.assign(nr.name, [{ kind: 'str', text: `'${piece}'`, bytes: new TextEncoder().encode(piece) }], false);
        return;
      }
      case '%macro':
      case '%imacro': {
        const h = parseMacroHeader(args);
        if (typeof h === 'string') {
          this.sink.error(this.at, h);
          return;
        }
        this.collector = {
          kind: 'macro',
          nesting: 0,
          macro: { ...h, caseInsensitive: directive === '%imacro', body: [], file: this.at.file, line: this.at.line },
        };
        return;
      }
      case '%unmacro':
      case '%unimacro': {
        const nr = this.nameAndRest(args, directive);
        if (nr) this.multis.delete(this.macroKey(nr.name, directive === '%unimacro'));
        return;
      }
      case '%endmacro':
      case '%endm':
        this.sink.error(this.at, `\`${directive}': not defining a macro`);
        return;
      case '%rep': {
        const n = evaluateCritical(this.singles.expand(args, this.dynamic), '%rep');
        if (n > BigInt(MAX_REP)) throw new ExprError(`\`%rep' count ${n} is too large`);
        this.collector = { kind: 'rep', count: n < 0n ? 0 : Number(n), body: [], lines: [], nesting: 0 };
        return;
      }
      case '%endrep':
        this.sink.error(this.at, '`%endrep\': no matching `%rep\'');
        return;
      case '%exitrep':
      case '%exitmacro': {
        const kind = directive === '%exitrep' ? 'rep' : 'macro';
        const idx = this.frames.map((f) => f.kind).lastIndexOf(kind);
        if (idx < 0) {
          this.sink.error(this.at, `\`${directive}' not within \`${kind === 'rep' ? '%rep' : '%macro'}' block`);
          return;
        }
        const f = this.frames[idx] as { conditionDepth: number };
        this.conditions.truncate(f.conditionDepth);
        this.frames.length = idx;
        return;
      }
      case '%rotate': {
        const call = this.innermostCall();
        if (!call) {
          this.sink.error(this.at, '`%rotate\' invoked outside a macro call');
          return;
        }
        const n = Number(evaluateCritical(this.singles.expand(args, this.dynamic), '%rotate'));
        const count = call.args.length;
        if (count > 0) call.rotation = (((call.rotation + n) % count) + count) % count;
        return;
      }
      case '%include':
        this.include(this.singles.expand(args, this.dynamic));
        return;
      case '%error':
      case '%fatal':
      case '%warning': {
        const body = trimSpace(this.singles.expand(args, this.dynamic));
        const msg = body.length === 1 && body[0]!.kind === 'str' ? decoder.decode(body[0]!.bytes!) : untokenize(body);
        if (directive === '%warning') this.sink.warning(this.at, `${msg} [-w+user]`);
        else this.sink.add(this.at, directive === '%fatal' ? 'fatal' : 'error', msg);
        return;
      }
      case '%push':
      case '%repl': {
        const name = trimSpace(args)[0]?.text ?? '';
        if (directive === '%repl') {
          const top = this.contexts[this.contexts.length - 1];
          if (!top) throw new ExprError('`%repl\': context stack is empty');
          top.name = name;
        } else this.contexts.push({ name, id: this.nextCallId++ });
        return;
      }
      case '%pop': {
        const top = this.contexts.pop();
        const name = trimSpace(args)[0]?.text;
        if (!top) throw new ExprError('`%pop\': context stack is already empty');
        if (name && name !== top.name) throw new ExprError(`\`%pop\' in a wrong context: ${top.name}, expected ${name}`);
        return;
      }
      case '%line':
      case '%pragma':
      case '%use':
        return;
      default:
        this.sink.error(this.at, `unknown preprocessor directive \`${directive}'`);
    }
  }

  private include(args: Token[]): void {
    const t = trimSpace(args);
    let name: string | null = null;
    if (t.length === 1 && t[0]!.kind === 'str') name = decoder.decode(t[0]!.bytes!);
    else if (t[0]?.text === '<' && t[t.length - 1]?.text === '>') name = untokenize(t.slice(1, -1));
    if (name === null) {
      this.sink.error(this.at, '`%include\' expects a file name');
      return;
    }
    if (this.frames.filter((f) => f.kind === 'file').length > MAX_INCLUDE_DEPTH) {
      this.sink.error(this.at, `\`%include' nested too deeply (${name})`);
      return;
    }
    const file = this.frames.filter((f) => f.kind === 'file').pop()!;
    const candidates = [join(dirname(file.path), name), ...this.options.includePaths.map((p) => join(p, name!)), name];
    for (const c of candidates) {
      const bytes = this.options.files.read(c);
      if (bytes) {
        this.pushFile(c.startsWith('./') ? c.slice(2) : c, decoder.decode(bytes));
        return;
      }
    }
    this.sink.error(this.at, `unable to open include file \`${name}': No such file or directory`);
  }

  /** Starts a multi-line macro if the line invokes one (listing the call line first); returns whether it did. */
  private invokeMacro(tokens: Token[], raw: string): boolean {
    const words = tokens.map((t, i) => ({ t, i })).filter((x) => x.t.kind !== 'space');
    if (words.length === 0 || words[0]!.t.kind !== 'id') return false;
    let at = 0;
    let macros = this.findMacros(words[0]!.t.text);
    if (macros.length === 0 && words[1]?.t.text === ':' && words[2]?.t.kind === 'id') {
      at = 2;
      macros = this.findMacros(words[2]!.t.text);
    }
    if (macros.length === 0) return false;
    const rest = tokens.slice(words[at]!.i + 1);
    const plain = invocationArguments(rest, null);
    const macro = macros.find((m) => accepts(m, plain.length));
    if (!macro) {
      this.sink.warning(this.at, `macro \`${words[at]!.t.text}' exists, but not taking ${plain.length} parameters [-w+macro-params-multi]`);
      return false;
    }
    if (this.macroDepth() >= MAX_MACRO_DEPTH) {
      this.sink.error(this.at, 'interminable macro recursion');
      this.unwindExpansions();
      return true;
    }
    this.emit(at > 0 ? tokens.slice(0, words[1]!.i + 1) : [], raw, at === 0);
    const args = invocationArguments(rest, macro);
    // Parameters left out are filled from the defaults, and %0 counts them too.
    while (args.length < macro.min + macro.defaults.length && args.length < macro.max) {
      args.push(macro.defaults[args.length - macro.min] ?? []);
    }
    this.frames.push({ kind: 'macro', call: { macro, args, rotation: 0, id: this.nextCallId++ }, index: 0, conditionDepth: this.conditions.depth });
    return true;
  }
}
