// The assembler as a library call: preprocess, parse once, run passes until every label and
// section address settles, then produce the output bytes, symbols, listing and diagnostics.
import { DiagnosticSink, inLineOrder, type Diagnostic } from './diagnostics.ts';
import { diskFiles, type SourceFiles } from './files.ts';
import { ExprError } from './expr.ts';
import type { ObjectModule } from './object.ts';
import { preprocess } from './pre/preprocess.ts';
import { LabelScope, parseLine, type ParsedLine } from './parse/statement.ts';
import { runLine, type AsmLine, type PassInputs } from './core/pass.ts';
import type { Layout, InstructionEncoder, OutputFormat, PassState, SymbolDef } from './core/state.ts';
import { layoutBin, sameLayout, writeBin } from './output/bin.ts';
import { buildObject } from './output/object.ts';
import { formatListing } from './listing.ts';
import { LexError } from './lexer.ts';
import { ExpansionError } from './pre/single.ts';
import { labelValue, sameDef } from './core/values.ts';

export type { OutputFormat, InstructionEncoder } from './core/state.ts';

export interface AssembleOptions {
  format?: OutputFormat;
  /** Folders searched by %include and INCBIN after the including file's folder. */
  includePaths?: string[];
  /** `-D` macros: name and value text (empty for a bare `-DNAME`). */
  defines?: Array<[string, string]>;
  /** Where sources and INCBIN files are read from; the disk by default. */
  files?: SourceFiles;
  encoder: InstructionEncoder;
  /** Lines macro and %rep expansion may produce before it is stopped as runaway (one million by default). */
  expansionLimit?: number;
  /** Whether to produce the listing (`-l`); off by default because it costs time. */
  listing?: boolean;
  /** Serialises an object module (the ELF writer). Required for the ELF formats. */
  writeObject?: (module: ObjectModule) => Uint8Array;
}

export interface AssembledSymbol {
  name: string;
  /** The section of a label; null for constants and absolute (STRUC) labels. */
  section: string | null;
  /** Address in bin output; section offset or constant in object output. */
  value: bigint;
  global: boolean;
}

export interface AssembleResult {
  ok: boolean;
  /** The output file's bytes; null when there were errors. */
  output: Uint8Array | null;
  /** The object model (ELF formats only). */
  object: ObjectModule | null;
  symbols: AssembledSymbol[];
  listing: string;
  diagnostics: Diagnostic[];
}

const MAX_PASSES = 50;

function changedSymbol(before: Map<string, SymbolDef>, after: Map<string, SymbolDef>): string | null {
  for (const [name, def] of after) if (!sameDef(before.get(name), def)) return name;
  if (before.size !== after.size) return [...before.keys()].find((k) => !after.has(k)) ?? '?';
  return null;
}

const LIST_ONLY: ParsedLine = { label: null, orphan: false, times: null, stmt: { kind: 'empty' } };

function parseAll(lines: ReturnType<typeof preprocess>): AsmLine[] {
  const scope = new LabelScope();
  return lines.map((l, index) => {
    let parsed: AsmLine['parsed'];
    if (l.listOnly) return { at: l.at, text: l.text, depth: l.depth, listLine: l.listLine, index, macros: l.macros, parsed: LIST_ONLY };
    try {
      parsed = parseLine(l.tokens, scope);
      if (parsed.stmt.kind === 'directive' && parsed.stmt.name === 'struc') {
        const name = parsed.stmt.args.find((t) => t.kind === 'id');
        if (name) scope.base = name.text;
      }
    } catch (e) {
      if (!(e instanceof ExprError || e instanceof LexError || e instanceof ExpansionError)) throw e;
      parsed = e.message;
    }
    return { at: l.at, text: l.text, depth: l.depth, listLine: l.listLine, index, macros: l.macros, parsed };
  });
}

interface PassSetup {
  format: OutputFormat;
  encoder: InstructionEncoder;
  sticky: PassState['stickyErrors'];
  listing: boolean;
  /** GLOBAL/EXTERN declarations, kept across passes so a use before the declaration still sees it. */
  info: PassState['info'];
}

function newState(setup: PassSetup, pass: number, final: boolean, previous: Map<string, SymbolDef>, layout: Layout | null): PassState {
  const { format, encoder } = setup;
  return {
    format, final, pass, sink: new DiagnosticSink(), encoder,
    sections: new Map(), current: null, absolute: null,
    bits: format === 'elf64' ? 64 : format === 'elf32' ? 32 : 16,
    defaultRel: false, org: 0n, symbols: new Map(), order: [], previous, previousLayout: layout, info: setup.info,
    stickyErrors: setup.sticky, usedUnknown: false, lineStart: null, strucs: [], istrucs: [], listing: final && setup.listing ? [] : null, listingSuspended: false, incbinCache: new Map(), env: null, usedExterns: new Set(),
  };
}

/** Assembles source text named `fileName`; never throws for bad input, every problem is a diagnostic. */
export function assemble(source: string, fileName: string, options: AssembleOptions): AssembleResult {
  try {
    return assembleUnguarded(source, fileName, options);
  } catch (e) {
    // A defect of the assembler, not of the source: still a diagnostic, never an exception.
    const message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, output: null, object: null, symbols: [], listing: '', diagnostics: [{ file: fileName, line: 0, severity: 'fatal', message }] };
  }
}

function assembleUnguarded(source: string, fileName: string, options: AssembleOptions): AssembleResult {
  const format = options.format ?? 'bin';
  const files = options.files ?? diskFiles;
  const sink = new DiagnosticSink();
  const fail = (): AssembleResult => ({ ok: false, output: null, object: null, symbols: [], listing: '', diagnostics: sink.list });
  const pre = preprocess(fileName, source, { files, includePaths: options.includePaths ?? [], defines: options.defines ?? [], format, expansionLimit: options.expansionLimit }, sink);
  sink.macros = [];
  if (sink.list.some((d) => d.severity === 'fatal')) return fail();
  const lines = parseAll(pre);
  const inputs: PassInputs = { files, includePaths: options.includePaths ?? [] };

  const setup: PassSetup = { format, encoder: options.encoder, sticky: [], listing: options.listing ?? false, info: new Map() };
  let previous = new Map<string, SymbolDef>();
  let layout: Layout | null = null;
  let settled = false;
  let moving: string | null = null;
  for (let pass = 1; pass <= MAX_PASSES && !settled; pass++) {
    const state = newState(setup, pass, false, previous, layout);
    for (const line of lines) runLine(state, line, inputs);
    const nextLayout = format === 'bin' ? layoutBin([...state.sections.values()], state.org) : null;
    moving = changedSymbol(previous, state.symbols);
    settled = pass > 1 && !state.usedUnknown && moving === null && (nextLayout === null || sameLayout(layout, nextLayout));
    previous = state.symbols;
    layout = nextLayout;
  }
  const state = newState(setup, MAX_PASSES + 1, true, previous, layout);
  for (const line of lines) runLine(state, line, inputs);
  state.sink.macros = [];
  state.sink.position = Number.MAX_SAFE_INTEGER;
  for (const e of setup.sticky) {
    state.sink.position = e.index;
    state.sink.error(e.at, e.message);
  }
  state.sink.position = Number.MAX_SAFE_INTEGER;
  // Preprocessor and assembler messages together, in the order of the lines they are about.
  const merged = inLineOrder(sink, state.sink);
  sink.list.splice(0, sink.list.length, ...merged);
  sink.positions.fill(Number.MAX_SAFE_INTEGER).push(...state.sink.positions.map(() => Number.MAX_SAFE_INTEGER));
  sink.errors += state.sink.errors;
  if (!settled) {
    const which = moving ? ` (\`${moving}' keeps changing)` : '';
    sink.error({ file: fileName, line: 0 }, `unable to find valid values for all labels after ${MAX_PASSES} passes${which}; giving up`);
  }
  for (const s of state.strucs) sink.error(null, `\`struc ${s.name}' has no matching \`endstruc'`);

  const symbols: AssembledSymbol[] = [...state.symbols].map(([name, def]) => {
    const v = def.kind === 'equ' ? def.value : labelValue(state, def.section, def.offset);
    return { name, section: def.kind === 'label' ? def.section : null, value: v.n, global: state.info.get(name)?.global ?? false };
  });
  const listing = formatListing(state.listing ?? []);
  let output: Uint8Array | null = null;
  let object: ObjectModule | null = null;
  if (format === 'bin') {
    const finalLayout = layoutBin([...state.sections.values()], state.org);
    output = writeBin([...state.sections.values()], finalLayout, state.org, sink);
  } else {
    object = buildObject(state, fileName);
    if (sink.errors === 0) {
      if (!options.writeObject) sink.error(null, 'no object writer given for ELF output');
      else {
        try {
          output = options.writeObject(object);
        } catch (e) {
          sink.error(null, e instanceof Error ? e.message : String(e));
        }
      }
    }
  }
  const ok = sink.errors === 0;
  return { ok, output: ok ? output : null, object: ok ? object : null, symbols, listing, diagnostics: sink.list };
}

/** Assembles the file at `path` (read through `options.files`). */
export function assembleFile(path: string, options: AssembleOptions): AssembleResult {
  const bytes = (options.files ?? diskFiles).read(path);
  if (!bytes) {
    return { ok: false, output: null, object: null, symbols: [], listing: '', diagnostics: [{ file: '', line: 0, severity: 'fatal', message: `unable to open input file \`${path}'` }] };
  }
  return assemble(new TextDecoder().decode(bytes), path, options);
}
