// One parsed instruction as the assembler's front end hands it to the encoder, and what the
// encoder hands back. The front end resolves expressions; the encoder chooses the encoding.

/** Size keywords: byte word dword fword qword tword oword, in bits. */
export type OperandSize = 8 | 16 | 32 | 48 | 64 | 80 | 128;

/** What a relocatable value is relative to (only in relocatable output formats). */
export interface RelocTarget {
  /** A section name (for labels of that section) or a global/extern symbol name. */
  symbol: string;
  isSection: boolean;
}

/** An evaluated expression: a constant, or a symbol plus addend. */
export interface Value {
  /** The constant, or the addend when `reloc` is set. Bin output resolves everything to constants. */
  value: bigint;
  /** Set when the final value is only known at link time; the encoder then emits a fixup. */
  reloc: RelocTarget | null;
  /** false while the value depends on a symbol not yet defined (a forward reference in an early pass). */
  known: boolean;
}

export type Operand =
  | { kind: 'reg'; reg: string }
  | {
      kind: 'imm';
      value: Value;
      /** Explicit size keyword (`push dword 1`, `add eax, byte 1`), or null. */
      size: OperandSize | null;
      /** `strict`: keep the written size even where a shorter form exists. */
      strict: boolean;
      /** Branch distance keyword (`jmp short x`, `jmp near x`, `call far x`), or null. */
      jump: 'short' | 'near' | 'far' | null;
    }
  | {
      kind: 'mem';
      /** Size keyword outside the brackets (`dword [x]`), or null. */
      size: OperandSize | null;
      /** Segment override register written inside or before the brackets, or null. */
      segment: string | null;
      base: string | null;
      index: string | null;
      scale: 1 | 2 | 4 | 8;
      disp: Value;
      /** Whether a displacement was written at all (`[eax]` has none, `[eax+0]` has one). */
      hasDisp: boolean;
      /** Displacement size keyword inside the brackets (`[byte eax+1]`, `[dword eax]`), or null. */
      dispSize: 8 | 16 | 32 | 64 | null;
      /** `rel`/`abs` written inside the brackets; null follows `default rel`/`default abs` of the front end. */
      addressing: 'rel' | 'abs';
      /** `far` keyword before a memory operand (`call far [x]`). */
      far: boolean;
    }
  | {
      kind: 'far';
      /** `jmp 0x08:label`: the selector and the offset. */
      segment: Value;
      offset: Value;
      /** Offset size keyword (`jmp dword 0x08:label`), when written. */
      size?: OperandSize | null;
    };

/** An instruction line after the front end has evaluated its operands. */
export interface ParsedInstruction {
  /** Lower-case mnemonic, e.g. `mov`, `iretd`, `sysret`. */
  mnemonic: string;
  /** Lower-case prefixes in source order: rep repe repz repne repnz lock o16 o32 o64 a16 a32 a64 es cs ss ds fs gs. */
  prefixes: string[];
  operands: Operand[];
}

/** Where the instruction sits, which the encoder needs for relative branches and defaults. */
export interface EncodeContext {
  bits: 16 | 32 | 64;
  /** Address of the instruction's first byte, in the same space as label values. */
  address: bigint;
  /** The section being assembled, so branches to its own labels resolve without relocation. */
  section: string;
}

/** A field of the encoded bytes that the linker must fill in. */
export interface Fixup {
  /** Offset of the field from the instruction's first byte. */
  offset: number;
  size: 1 | 2 | 4 | 8;
  pcRelative: boolean;
  signed: boolean;
  target: RelocTarget;
  addend: bigint;
}

export type EncodeResult =
  | {
      ok: true;
      bytes: Uint8Array;
      fixups: Fixup[];
      /** NASM-style warnings without the `file:line: warning:` part, e.g. `byte data exceeds bounds [-w+number-overflow]`. */
      warnings?: string[];
    }
  /** A NASM-style message without the `file:line: error:` part, e.g. `invalid combination of opcode and operands`. */
  | { ok: false; error: string };
