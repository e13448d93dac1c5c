// The NASM preprocessor: reads files and macro bodies, runs the % directives, expands macros,
// and yields the lines the assembler sees, each with the file and line messages should name.
import { dirname, join } from 'node:path';
import { DiagnosticSink, type MacroContext, type SourceRef } from '../diagnostics.ts';
import { ExprError } from '../expr.ts';
import type { SourceFiles } from '../files.ts';
import { LexError, tokenize, untokenize, type Token } from '../lexer.ts';
import { ConditionStack, evaluateCritical, tokenTest } from './conditions.ts';
import { accepts, invocationArguments, parseMacroHeader, type MultiMacro } from './multi.ts';
import { ExpansionError, parseDefinition, SingleMacroTable, trimSpace } from './single.ts';
import { builtinMacros } from './builtins.ts';
import { ContextStack } from './contexts.ts';
import { EquConstants } from './equ-constants.ts';
import { DEFAULT_EXPANSION_LIMIT, FrameStack } from './frames.ts';
import { STRING_FUNCTIONS } from './strings.ts';

/** One line as the assembler receives it. */
export interface PreprocessedLine {
  tokens: Token[];
  at: SourceRef;
  /** The line's text for the listing. */
  text: string;
  /** Include, macro and %rep nesting depth, shown as `<n>` in the listing (0 for the main file). */
  depth: number;
  /** The macros the line was expanded from, for the notes under messages about it. */
  macros: MacroContext[];
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
  private readonly frames: FrameStack;
  private readonly out: PreprocessedLine[] = [];
  private collector: Collector | null = null;
  /** The listing text of the line being processed. */
  private listText = '';
  private nextCallId = 1000;
  private readonly contexts = new ContextStack();
  /** The equ constants of the lines handed on so far, for %if and the other preprocessor expressions. */
  private readonly equs = new EquConstants();
  private readonly dynamic;

  constructor(
    private readonly options: PreprocessOptions,
    private readonly sink: DiagnosticSink,
  ) {
    this.frames = new FrameStack(sink, options.expansionLimit ?? DEFAULT_EXPANSION_LIMIT);
    this.dynamic = builtinMacros(() => this.frames.at, options.format, this.singles);
    this.setSection('.text');
    this.setBits(options.format === 'elf64' ? '64' : options.format === 'elf32' ? '32' : '16');
    for (const [name, value] of options.defines) {
      this.define(`${name} ${value}`, false);
    }
  }

  run(path: string, source: string): PreprocessedLine[] {
    this.frames.pushFile(path, source);
    for (;;) {
      const next = this.frames.readLine(this.collector?.kind ?? null, this.conditions.active && !this.collector, (depth) => {
        if (depth !== null) this.conditions.truncate(depth);
      });
      if (!next) break;
      this.listText = next.text;
      this.sink.macros = this.frames.macroChain();
      this.sink.position = this.out.length;
      try {
        this.handle(next.tokens, next.raw);
      } catch (e) {
        if (e instanceof ExprError || e instanceof LexError || e instanceof ExpansionError) this.sink.error(this.frames.at, e.message);
        else throw e;
      }
    }
    this.sink.macros = [];
    this.sink.position = Number.MAX_SAFE_INTEGER;
    if (this.collector) {
      this.sink.error(this.frames.at, this.collector.kind === 'macro' ? 'end of file while still defining macro' : 'end of file while still in `%rep\'');
    }
    if (this.conditions.depth > 0) this.sink.add(this.frames.at, 'fatal', 'expected `%endif\' before end of file');
    return this.out;
  }

  /** Hands a line to the assembler (or only to the listing), with the current line's listing text. */
  private emit(tokens: Token[], listOnly: boolean, depth = this.frames.depth): void {
    this.out.push({ tokens, at: { ...this.frames.at }, text: this.listText, depth, listLine: this.frames.listLine, listOnly, macros: this.sink.macros.slice() });
  }

  /**
   * A bare SECTION/SEGMENT line sets `__SECT__` to its bracketed form, which macros use to return
   * to the user's section; BITS and USEnn lines set `__BITS__`.
   */
  private trackSection(tokens: Token[]): void {
    const words = tokens.filter((t) => t.kind !== 'space');
    const bracketed = words[0]?.text === '[';
    const first = words[bracketed ? 1 : 0];
    if (!first || first.kind !== 'id') return;
    const word = first.text.toLowerCase();
    if (!bracketed && (word === 'section' || word === 'segment')) {
      this.setSection(untokenize(trimSpace(tokens.slice(tokens.indexOf(first) + 1))));
    }
    const next = words[bracketed ? 2 : 1];
    if (word === 'bits' && next?.kind === 'num') this.setBits(String(next.num));
    else if (/^use(16|32|64)$/.test(word)) this.setBits(word.slice(3));
  }

  private setBits(bits: string): void {
    for (const name of ['__BITS__', '__?BITS?__']) this.singles.define(name, { params: null, greedy: false, body: tokenize(bits) }, false);
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

  private handle(tokens: Token[], raw: string): void {
    // The depth before the line runs: a %endrep or macro call must not list itself inside its own expansion.
    const depth = this.frames.depth;
    if (!this.handleLine(tokens, raw)) this.emit([], true, depth);
  }

  /** Processes one line; returns whether it reached the assembler (otherwise it is only listed). */
  private handleLine(original: Token[], raw: string): boolean {
    const tokens = this.collector || !this.conditions.active ? original : this.indirect(this.contexts.localize(original));
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
    if (this.invokeMacro(expanded)) return true;
    this.trackSection(expanded);
    this.equs.note(expanded);
    this.emit(expanded, false);
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
          this.frames.pushRep(c.body, c.lines, c.count, this.conditions.depth);
        }
        return;
      }
      c.nesting--;
    }
    if (c.kind === 'macro') c.macro.body.push(raw);
    else {
      c.body.push(raw);
      c.lines.push(this.frames.listLine);
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
        if (err) this.sink.error(this.frames.at, err);
      } else {
        this.conditions.open(test);
      }
      return true;
    }
    if (directive === '%else' || directive === '%endif') {
      const err = directive === '%else' ? this.conditions.else() : this.conditions.endif();
      if (err) this.sink.error(this.frames.at, err);
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
        case 'ctx':
          return args.some((t) => t.kind === 'id' && this.contexts.isTop(t.text));
        case 'macro': {
          const parts = args.filter((t) => t.kind !== 'space');
          const count = parts[1]?.kind === 'num' ? Number(parts[1].num) : null;
          return this.findMacros(name).some((mm) => count === null || accepts(mm, count));
        }
        case '':
          return tokenTest('if', this.singles.expand(args, this.dynamic), this.equs);
        default:
          return tokenTest(kind, this.singles.expand(args, this.dynamic), this.equs);
      }
    } catch (e) {
      if (e instanceof ExprError || e instanceof ExpansionError) {
        this.sink.error(this.frames.at, e.message);
        return false;
      }
      throw e;
    }
  }

  private define(text: string, caseInsensitive: boolean, expandFirst = false): void {
    const tokens = tokenize(text);
    const def = parseDefinition(tokens);
    if (!def) {
      this.sink.error(this.frames.at, '`%define\' expects a macro identifier');
      return;
    }
    if (expandFirst) def.macro.body = this.singles.expand(def.macro.body, this.dynamic);
    this.singles.define(def.name, def.macro, caseInsensitive);
  }

  private nameAndRest(args: Token[], what: string): { name: string; rest: Token[] } | null {
    const t = trimSpace(args);
    if (!t[0] || t[0].kind !== 'id') {
      this.sink.error(this.frames.at, `\`${what}' expects a macro identifier`);
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
        const v = evaluateCritical(this.singles.expand(nr.rest, this.dynamic), directive, this.equs);
        this.assign(nr.name, tokenize(String(v)), directive === '%iassign');
        return;
      }
      case '%defstr':
      case '%deftok':
      case '%strcat':
      case '%strlen':
      case '%substr': {
        const nr = this.nameAndRest(args, directive);
        if (nr) this.assign(nr.name, STRING_FUNCTIONS[directive](this.singles.expand(nr.rest, this.dynamic), this.equs), false);
        return;
      }
      case '%macro':
      case '%imacro': {
        const h = parseMacroHeader(args);
        if (typeof h === 'string') {
          this.sink.error(this.frames.at, h);
          return;
        }
        this.collector = {
          kind: 'macro',
          nesting: 0,
          macro: { ...h, caseInsensitive: directive === '%imacro', body: [], file: this.frames.at.file, line: this.frames.at.line },
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
        this.sink.error(this.frames.at, `\`${directive}': not defining a macro`);
        return;
      case '%rep': {
        const n = evaluateCritical(this.singles.expand(args, this.dynamic), '%rep', this.equs);
        if (n > BigInt(MAX_REP)) throw new ExprError(`\`%rep' count ${n} is too large`);
        this.collector = { kind: 'rep', count: n < 0n ? 0 : Number(n), body: [], lines: [], nesting: 0 };
        return;
      }
      case '%endrep':
        this.sink.error(this.frames.at, '`%endrep\': no matching `%rep\'');
        return;
      case '%exitrep':
      case '%exitmacro': {
        const kind = directive === '%exitrep' ? 'rep' : 'macro';
        const depth = this.frames.exit(kind);
        if (depth === null) this.sink.error(this.frames.at, `\`${directive}' not within \`${kind === 'rep' ? '%rep' : '%macro'}' block`);
        else this.conditions.truncate(depth);
        return;
      }
      case '%rotate': {
        const call = this.frames.innermostCall();
        if (!call) {
          this.sink.error(this.frames.at, '`%rotate\' invoked outside a macro call');
          return;
        }
        const n = Number(evaluateCritical(this.singles.expand(args, this.dynamic), '%rotate', this.equs));
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
        if (directive === '%warning') this.sink.warning(this.frames.at, `${msg} [-w+user]`);
        else this.sink.add(this.frames.at, directive === '%fatal' ? 'fatal' : 'error', msg);
        return;
      }
      case '%push':
        this.contexts.push(trimSpace(args)[0]?.text ?? '', this.nextCallId++);
        return;
      case '%repl':
        this.contexts.rename(trimSpace(args)[0]?.text ?? '');
        return;
      case '%pop':
        this.contexts.pop(trimSpace(args)[0]?.text);
        return;
      case '%use':
        throw new ExprError(`\`%use ${untokenize(trimSpace(args))}': standard macro packages are not supported by this assembler`);
      case '%line':
      case '%pragma':
        return;
      default:
        this.sink.error(this.frames.at, `unknown preprocessor directive \`${directive}'`);
    }
  }

  private include(args: Token[]): void {
    const t = trimSpace(args);
    let name: string | null = null;
    if (t.length === 1 && t[0]!.kind === 'str') name = decoder.decode(t[0]!.bytes!);
    else if (t[0]?.text === '<' && t[t.length - 1]?.text === '>') name = untokenize(t.slice(1, -1));
    if (name === null) {
      this.sink.error(this.frames.at, '`%include\' expects a file name');
      return;
    }
    if (this.frames.fileDepth > MAX_INCLUDE_DEPTH) {
      this.sink.error(this.frames.at, `\`%include' nested too deeply (${name})`);
      return;
    }
    const candidates = [join(dirname(this.frames.currentFile), name), ...this.options.includePaths.map((p) => join(p, name!)), name];
    for (const c of candidates) {
      const bytes = this.options.files.read(c);
      if (bytes) {
        this.frames.pushFile(c.startsWith('./') ? c.slice(2) : c, decoder.decode(bytes));
        return;
      }
    }
    this.sink.error(this.frames.at, `unable to open include file \`${name}': No such file or directory`);
  }

  /** Starts a multi-line macro if the line invokes one (listing the call line first); returns whether it did. */
  private invokeMacro(tokens: Token[]): boolean {
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
      this.sink.warning(this.frames.at, `macro \`${words[at]!.t.text}' exists, but not taking ${plain.length} parameters [-w+macro-params-multi]`);
      return false;
    }
    if (this.frames.macroDepth >= MAX_MACRO_DEPTH) {
      // One message, without a note for each of the thousand nested calls.
      this.sink.macros = [];
      this.sink.error(this.frames.at, 'interminable macro recursion');
      const depth = this.frames.unwind();
      if (depth !== null) this.conditions.truncate(depth);
      return true;
    }
    this.emit([], true);
    if (at > 0) {
      // NASM passes a label before a macro call on as a line of its own, one level deeper.
      const label = tokens.slice(0, words[1]!.i + 1);
      this.out.push({ tokens: label, at: { ...this.frames.at }, text: `${untokenize(label)} `, depth: this.frames.depth + 1, listLine: this.frames.listLine, listOnly: false, macros: this.sink.macros.slice() });
    }
    const args = invocationArguments(rest, macro);
    // Parameters left out are filled from the defaults, and %0 counts them too.
    while (args.length < macro.min + macro.defaults.length && args.length < macro.max) {
      args.push(macro.defaults[args.length - macro.min] ?? []);
    }
    this.frames.pushMacro({ macro, args, rotation: 0, id: this.nextCallId++ }, this.conditions.depth);
    return true;
  }
}
