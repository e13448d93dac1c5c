// One pass over the parsed lines: defines labels at the current position, runs directives,
// encodes instructions and data, and records the listing in the final pass.
import { dirname, join } from 'node:path';
import type { MacroContext, SourceRef } from '../diagnostics.ts';
import { evaluate, ExprError, type EvalValue, type Expr } from '../expr.ts';
import type { Operand } from '../instruction.ts';
import { applyFixupsForBin } from '../encode/index.ts';
import type { Relocation } from '../object.ts';
import type { OperandAst } from '../parse/operand.ts';
import type { ParsedLine, Statement } from '../parse/statement.ts';
import type { SourceFiles } from '../files.ts';
import { floatBytes, stringBytes } from './data.ts';
import { directive } from './directives.ts';
import { currentSection, emitBytes, emitValue, reserve, type Emitter } from './emit.ts';
import type { ListingEntry, PassState, SymbolDef } from './state.ts';
import { environment, here, labelValue, sameDef, sectionBase, toValue } from './values.ts';

/** A line ready for the passes: parsed once, or the parse error to report. */
export interface AsmLine {
  at: SourceRef;
  text: string;
  depth: number;
  listLine: number;
  /** Its index among the preprocessed lines, which orders messages. */
  index: number;
  /** The macros it was expanded from, for notes under its messages. */
  macros: MacroContext[];
  parsed: ParsedLine | string;
}

/** Evaluates an expression at the current point of the pass. */
export function evalAt(state: PassState, e: Expr): EvalValue {
  return evaluate(e, environment(state));
}

/** Evaluates an expression that must be a plain number now (TIMES, RESB, ALIGN...); unknowns count as 0 before the last pass. */
export function critical(state: PassState, e: Expr, what: string): bigint {
  const v = evalAt(state, e);
  if (!v.known) {
    state.usedUnknown = true;
    if (state.final) throw new ExprError(`non-constant argument supplied to ${what}`);
    return 0n;
  }
  if (v.rel || v.minus) throw new ExprError(`non-constant argument supplied to ${what}`);
  return v.n;
}

function defineSymbol(state: PassState, name: string, def: SymbolDef): void {
  const existing = state.symbols.get(name);
  if (existing) {
    // NASM accepts a repeated definition that gives the same value.
    if (sameDef(existing, def)) return;
    throw new ExprError(`label \`${name}' inconsistently redefined`);
  }
  if (state.info.get(name)?.extern) {
    const info = state.info.get(name)!;
    info.extern = false;
    info.global = true;
  }
  state.symbols.set(name, def);
  state.order.push(name);
}

/** Defines a label at the current position. */
export function defineLabel(state: PassState, name: string): void {
  if (state.absolute !== null) defineSymbol(state, name, { kind: 'label', section: null, offset: state.absolute });
  else {
    const s = currentSection(state);
    defineSymbol(state, name, { kind: 'label', section: s.name, offset: BigInt(s.size) });
  }
}

/** Defines a constant (EQU) symbol. */
export function defineEqu(state: PassState, name: string, value: EvalValue): void {
  defineSymbol(state, name, { kind: 'equ', value });
}

function operand(state: PassState, o: OperandAst): Operand {
  switch (o.kind) {
    case 'reg':
      return o;
    case 'imm':
      return { kind: 'imm', value: toValue(evalAt(state, o.expr)), size: o.size, strict: o.strict, jump: o.jump };
    case 'far': {
      const far: Operand = { kind: 'far', segment: toValue(evalAt(state, o.segment)), offset: toValue(evalAt(state, o.offset)) };
      return o.size === null ? far : { ...far, size: o.size };
    }
    case 'mem': {
      const disp = o.disp ? toValue(evalAt(state, o.disp)) : { value: 0n, reloc: null, known: true };
      const addressing = o.addressing ?? (state.bits === 64 && state.defaultRel ? 'rel' : 'abs');
      return {
        kind: 'mem', size: o.size, segment: o.segment, base: o.base, index: o.index, scale: o.scale,
        disp, hasDisp: o.disp !== null, dispSize: o.dispSize, addressing, far: o.far,
      };
    }
  }
}

/** `jmp dword 0x08:x` in 16-bit code is the 32-bit-offset form: an operand-size prefix, which is how NASM encodes it. */
function farSizePrefix(operands: OperandAst[], bits: 16 | 32 | 64): string[] {
  const far = operands.find((o) => o.kind === 'far');
  if (!far || far.kind !== 'far' || far.size === null) return [];
  if (far.size === 32 && bits === 16) return ['o32'];
  if (far.size === 16 && bits !== 16) return ['o16'];
  return [];
}

function instruction(em: Emitter, stmt: Extract<Statement, { kind: 'insn' }>): void {
  const state = em.state;
  const s = currentSection(state);
  const operands = stmt.operands.map((o) => operand(state, o));
  const prefixes = [...stmt.prefixes, ...farSizePrefix(stmt.operands, state.bits)];
  // The encoder gets this repetition's own address; `$` in the operands stays the line start.
  const address = state.absolute !== null ? state.absolute : labelValue(state, s.name, BigInt(s.size)).n;
  const res = state.encoder({ mnemonic: stmt.mnemonic, prefixes, operands }, { bits: state.bits, address, section: s.name });
  // Before the last pass a failure may come from values that are still settling; the last pass reports it.
  if (!res.ok) {
    if (state.final) throw new ExprError(res.error);
    return;
  }
  if (state.final) for (const w of res.warnings ?? []) state.sink.warning(em.at, w);
  const relocs: Relocation[] = [];
  // The listing shows each fixup's value relative to its section, as the source wrote it (before PC adjustment).
  const marks = res.fixups.map((f) => ({
    offset: f.offset,
    size: f.size,
    pcRelative: f.pcRelative,
    shown: f.addend + (f.pcRelative ? BigInt(res.bytes.length - f.offset) : 0n) - sectionBase(state, f.target.symbol),
  }));
  if (state.format === 'bin') {
    // Label fields were left full-size by the encoder; their final values are known here.
    applyFixupsForBin(res.bytes, res.fixups, address);
    emitBytes(em, res.bytes, [], marks);
    return;
  }
  for (const f of res.fixups) {
    relocs.push({ offset: f.offset, size: f.size, pcRelative: f.pcRelative, signed: f.signed, symbol: f.target.symbol, symbolIsSection: f.target.isSection, addend: f.addend });
  }
  emitBytes(em, res.bytes, relocs, marks);
}

function incbin(em: Emitter, stmt: Extract<Statement, { kind: 'incbin' }>, files: SourceFiles, includePaths: string[]): void {
  const state = em.state;
  let data = state.incbinCache.get(stmt.file);
  if (data === undefined) {
    const candidates = [stmt.file, join(dirname(em.at.file), stmt.file), ...includePaths.map((p) => join(p, stmt.file))];
    data = null;
    for (const c of candidates) {
      data = files.read(c);
      if (data) break;
    }
    state.incbinCache.set(stmt.file, data);
  }
  if (!data) throw new ExprError(`\`incbin': unable to get length of file \`${stmt.file}'`);
  const offset = stmt.offset ? Number(critical(state, stmt.offset, 'INCBIN')) : 0;
  const length = stmt.length ? Number(critical(state, stmt.length, 'INCBIN')) : data.length - offset;
  const piece = data.slice(offset, Math.max(offset, offset + length));
  emitBytes(em, piece);
  if (em.entry) em.entry.included += piece.length;
}

/** ALIGN n[, fill] is NASM's `times (n - ($-$$) % n) % n fill` (NOP by default); ALIGNB reserves instead. Both raise the section's alignment. */
function align(em: Emitter, stmt: Extract<Statement, { kind: 'align' }>, inputs: PassInputs, line: AsmLine): void {
  const state = em.state;
  const n = critical(state, stmt.boundary, stmt.reserve ? 'ALIGNB' : 'ALIGN');
  if (n <= 0n || (n & (n - 1n)) !== 0n) throw new ExprError(`alignment must be a power of two`);
  const pos = state.absolute ?? BigInt(currentSection(state).size);
  const pad = (n - (pos % n)) % n;
  if (state.absolute === null) {
    const s = currentSection(state);
    s.alignRequest = Math.max(s.alignRequest, Number(n));
  }
  if (stmt.reserve || state.absolute !== null || currentSection(state).attrs.kind === 'nobits') {
    reserve(em, Number(pad), false);
  } else if (stmt.fill === null) {
    // The default fill is NOP, the single byte 0x90 in every mode.
    emitBytes(em, new Uint8Array(Number(pad)).fill(0x90));
    if (em.entry) em.entry.repeat = Number(pad);
  } else {
    for (let i = 0n; i < pad; i++) statement(em, stmt.fill, inputs, line);
  }
}

/** Everything a pass needs besides its state. */
export interface PassInputs {
  files: SourceFiles;
  includePaths: string[];
}

function statement(em: Emitter, stmt: Statement, inputs: PassInputs, line: AsmLine): void {
  const state = em.state;
  switch (stmt.kind) {
    case 'empty':
      return;
    case 'insn':
      instruction(em, stmt);
      return;
    case 'data':
      for (const item of stmt.items) {
        if (item.k === 'str') emitBytes(em, stringBytes(item.bytes, stmt.unit));
        else if (item.k === 'float') emitBytes(em, floatBytes(item.text, item.negative, stmt.unit));
        else if (item.k === 'undef') emitBytes(em, new Uint8Array(stmt.unit));
        else emitValue(em, evalAt(state, item.e), stmt.unit);
      }
      return;
    case 'reserve': {
      const n = critical(state, stmt.count, 'RESx');
      if (n < 0n) throw new ExprError(`RESx value ${n} is negative`);
      reserve(em, Number(n) * stmt.unit, true);
      return;
    }
    case 'equ':
      throw new ExprError('`equ\' must be preceded by a label');
    case 'incbin':
      incbin(em, stmt, inputs.files, inputs.includePaths);
      return;
    case 'at': {
      const top = state.istrucs[state.istrucs.length - 1];
      if (!top) throw new ExprError('`at\' outside `istruc\'');
      const field = critical(state, stmt.field, 'AT');
      const structBase = critical(state, { k: 'sym', name: top.name }, 'AT');
      const pad = field - structBase - (here(state).n - top.start);
      if (pad < 0n) throw new ExprError(`TIMES value ${pad} is negative`);
      emitBytes(em, new Uint8Array(Number(pad)));
      statement(em, stmt.then, inputs, line);
      return;
    }
    case 'directive':
      directive(em, stmt.name, stmt.args);
      return;
    case 'align':
      align(em, stmt, inputs, line);
      return;
  }
}

/** Runs one line; errors become diagnostics of this pass. */
export function runLine(state: PassState, line: AsmLine, inputs: PassInputs): void {
  const entry: ListingEntry | null = state.listing
    ? { line: line.listLine, depth: line.depth, text: line.text, address: null, bytes: new Uint8Array(0), marks: [], repeat: 1, reserved: 0, included: 0, warnings: [] }
    : null;
  const em: Emitter = { state, entry, at: line.at };
  const diagnosticsBefore = state.sink.list.length;
  const listingWasSuspended = state.listingSuspended;
  state.sink.macros = line.macros;
  state.sink.position = line.index;
  try {
    if (typeof line.parsed === 'string') throw new ExprError(line.parsed);
    const { label, times, stmt, orphan } = line.parsed;
    if (orphan && state.final) state.sink.warning(line.at, 'label alone on a line without a colon might be in error [-w+label-orphan]');
    if (entry) entry.address = state.absolute ?? BigInt(state.current?.size ?? 0);
    if (label !== null) {
      if (stmt.kind === 'equ') {
        defineEqu(state, label, evalAt(state, stmt.value));
        if (entry) entry.address = null;
        return;
      }
      defineLabel(state, label);
    }
    if (stmt.kind === 'empty' && times === null) {
      if (entry) entry.address = null;
      return;
    }
    let count = 1n;
    if (times) {
      // NASM needs the TIMES count in its first pass: a forward reference there is an error.
      if (state.pass === 1 && !evalAt(state, times).known) state.stickyErrors.push({ at: line.at, index: line.index, message: 'non-constant argument supplied to TIMES' });
      count = critical(state, times, 'TIMES');
      if (count < 0n) throw new ExprError(`TIMES value ${count} is negative`);
      if (entry) entry.repeat = Number(count);
    }
    // `$` is where the line starts, for every TIMES repetition alike (as NASM evaluates it).
    const emits = stmt.kind !== 'directive' && stmt.kind !== 'empty';
    state.lineStart = state.absolute ?? (state.current || emits ? BigInt(currentSection(state).size) : null);
    for (let i = 0n; i < count; i++) statement(em, stmt, inputs, line);
    state.lineStart = null;
    if (entry && stmt.kind === 'directive') entry.address = null;
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    state.sink.error(line.at, e.message);
    state.lineStart = null;
  } finally {
    // `[list -]` itself is listed, then nothing until the line after `[list +]`.
    if (entry && !listingWasSuspended) {
      entry.warnings = state.sink.list.slice(diagnosticsBefore).filter((d) => d.severity === 'warning').map((d) => d.message);
      state.listing!.push(entry);
    }
  }
}
