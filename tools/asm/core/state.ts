// What one assembly pass knows and builds: sections, the current position, symbols, and the
// layout of the previous pass that forward references read from.
import type { DiagnosticSink } from '../diagnostics.ts';
import type { EvalEnv, EvalValue } from '../expr.ts';
import type { EncodeContext, EncodeResult, ParsedInstruction } from '../instruction.ts';
import type { Section } from './sections.ts';

export type OutputFormat = 'bin' | 'elf32' | 'elf64';

/** Encodes one instruction; the encoder module provides the real one. */
export type InstructionEncoder = (ins: ParsedInstruction, ctx: EncodeContext) => EncodeResult;

export type SymbolDef =
  | { kind: 'label'; section: string | null; offset: bigint }
  | { kind: 'equ'; value: EvalValue };

/** Where bin sections ended up, and so the addresses of their labels. */
export interface Layout {
  /** Virtual start address of each section (labels' base). */
  vstart: Map<string, bigint>;
  /** File position (load address) of each section. */
  start: Map<string, bigint>;
}

export interface SymbolInfo {
  global: boolean;
  extern: boolean;
  type: 'notype' | 'func' | 'object';
  size: bigint | null;
  /** Where GLOBAL/EXTERN was written, for messages. */
  at: { file: string; line: number };
}

/** A field of the listing's bytes whose value is relative to a section or symbol. */
export interface ListingMark {
  /** Offset in the line's bytes. */
  offset: number;
  size: number;
  pcRelative: boolean;
  /** The value relative to the symbol or section start (what NASM prints). */
  shown: bigint;
}

/** One line's contribution to the listing. */
export interface ListingEntry {
  line: number;
  depth: number;
  text: string;
  address: bigint | null;
  bytes: Uint8Array;
  /** Relocated fields, shown as NASM shows them: `[value]` absolute, `(value)` relative to the field. */
  marks: ListingMark[];
  /** TIMES repeat count, the reserved size (`<res N>`), the INCBIN size (`<bin N>`). */
  repeat: number;
  reserved: number;
  included: number;
  /** Warnings about this line, which NASM repeats in the listing. */
  warnings: string[];
}

export interface PassState {
  format: OutputFormat;
  final: boolean;
  /** 1 for the first pass, which meets forward references. */
  pass: number;
  sink: DiagnosticSink;
  encoder: InstructionEncoder;
  sections: Map<string, Section>;
  current: Section | null;
  /** Set while assembling in ABSOLUTE space (STRUC bodies): the current address there. */
  absolute: bigint | null;
  bits: 16 | 32 | 64;
  defaultRel: boolean;
  org: bigint;
  symbols: Map<string, SymbolDef>;
  /** Names in the order they became known (labels and EQUs defined, externs declared), the object's symbol order. */
  order: string[];
  previous: Map<string, SymbolDef>;
  previousLayout: Layout | null;
  info: Map<string, SymbolInfo>;
  /** Offset (or ABSOLUTE address) where the current statement started: the value of `$`. */
  lineStart: bigint | null;
  /** Errors NASM reports from its first pass, kept whatever later passes find. */
  stickyErrors: Array<{ at: { file: string; line: number }; index: number; message: string }>;
  /** Whether a value that was not yet known was used (the pass cannot be the last). */
  usedUnknown: boolean;
  strucs: Array<{ name: string; previous: Section | null; previousAbsolute: bigint | null }>;
  istrucs: Array<{ name: string; start: bigint }>;
  listing: ListingEntry[] | null;
  /** Between `[list -]` and `[list +]`: lines are left out of the listing. */
  listingSuspended: boolean;
  /** Externs referenced in this pass: NASM writes only those into the object. */
  usedExterns: Set<string>;
  /** The expression environment of this pass, made on first use. */
  env: EvalEnv | null;
  /** INCBIN files already read, by path. */
  incbinCache: Map<string, Uint8Array | null>;
}
