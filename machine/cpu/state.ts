// The architectural state of the processor: general registers (64 bits wide as two 32-bit
// halves, so long mode needs no change of representation), EIP, EFLAGS with lazily computed
// arithmetic flags, segment registers with their descriptor caches, control and system registers.
import { CS, FLAGS_FIXED, PF } from './constants.ts';

/** How the lazy arithmetic flags were produced. */
export const LAZY_ADD = 0, LAZY_ADC = 1, LAZY_SUB = 2, LAZY_SBB = 3;

/**
 * The numbers the flag methods below use, as enum members so that they compile to literals (V8
 * loads a module-level `const` from its cell at each use); test/cpu/block-constants.test.ts checks
 * them against constants.ts and the LAZY_* kinds.
 */
export const enum FlagBit {
  CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, Arith = 0x8d5,
  LazyAdd = 0, LazyAdc = 1, LazySub = 2, LazySbb = 3,
}

/** PF for every byte value: 4 (PF set) when the number of one bits is even. */
export const PARITY = new Uint8Array(256).map((_, v) => {
  let bits = 0;
  for (let b = v; b; b >>= 1) bits += b & 1;
  return bits % 2 === 0 ? PF : 0;
});

/** Register file, flags and descriptor caches; no behaviour beyond flag evaluation. */
export class CpuState {
  /** Low 32 bits of the 16 general registers (only 0-7 exist outside long mode). */
  readonly regs = new Int32Array(16);
  /** High 32 bits of the general registers, for long mode. */
  readonly regsHi = new Int32Array(16);
  /** Byte view of `regs`: register n's low byte is r8[n * 4], AH..BH are r8[n * 4 + 1]. */
  readonly r8 = new Uint8Array(this.regs.buffer);
  /** Word view of `regs`: register n's low 16 bits are r16[n * 2]. */
  readonly r16 = new Uint16Array(this.regs.buffer);
  /** High half of the last 64-bit value a long-mode memory or operand helper read. */
  opHi = 0;
  /** Instruction pointer (an unsigned 32-bit number): RIP's low half in 64-bit mode. */
  eip = 0;
  /** RIP's high half (int32), 0 outside 64-bit mode. */
  ripHi = 0;

  /** EFLAGS except the arithmetic bits named in lazyMask, which the lazy fields describe. */
  flags = FLAGS_FIXED;
  lazyMask = 0;
  lazyOp = LAZY_ADD;
  /** Operands and result, masked to the operation size (32-bit ones as signed int32). */
  lazyDst = 0;
  lazySrc = 0;
  lazyRes = 0;
  /** Sign bit of the operation size: 0x80, 0x8000 or 0x80000000 (as int32, so that the field holds small integers only). */
  lazySign = 0x80;

  /** Segment registers ES CS SS DS FS GS, then LDTR and TR: visible selector and hidden cache. */
  readonly segSel = new Int32Array(8);
  readonly segBase = new Int32Array(8);
  /** High halves of the bases, for FS, GS (MSRs, swapgs), LDTR and TR in long mode; 0 otherwise. */
  readonly segBaseHi = new Int32Array(8);
  /** Byte-granular limit (an unsigned number). */
  readonly segLimit = new Float64Array(8);
  /** Descriptor bits 40-55: type 0-3, S 4, DPL 5-6, P 7, AVL 12, L 13, D/B 14, G 15. */
  readonly segAttr = new Int32Array(8);
  /** Valid offsets for reads and for writes, [lo, hi]; lo > hi makes every access fault. */
  readonly segRLo = new Float64Array(6);
  readonly segRHi = new Float64Array(6);
  readonly segWLo = new Float64Array(6);
  readonly segWHi = new Float64Array(6);

  /** Current privilege level. */
  cpl = 0;
  /** 1 when CS has the D bit (32-bit default operand and address size). */
  code32 = 0;
  /** Whether SS has the B bit (ESP rather than SP is the stack pointer). */
  stack32 = false;
  /** 1 in 64-bit mode (EFER.LMA with CS.L), where the long-mode decoder and handlers run. */
  mode64 = 0;
  /** The decoded-cache key of the current code mode (16, 32 or 64-bit), set with code32 and mode64. */
  codeKey = 0;
  /** IA32_EFER (EFER_* bits). */
  efer = 0;

  cr0 = 0;
  cr2 = 0;
  /** CR2's high half: the faulting linear address above 4 GiB in long mode. */
  cr2Hi = 0;
  cr3 = 0;
  cr4 = 0;
  readonly dr = new Int32Array(8);
  gdtBase = 0;
  gdtLimit = 0;
  idtBase = 0;
  idtLimit = 0;
  /** High halves of the GDTR and IDTR bases (long mode). */
  gdtBaseHi = 0;
  idtBaseHi = 0;

  /** Whether CR0.PE is set. */
  protectedMode(): boolean {
    return (this.cr0 & 1) !== 0;
  }

  /** FlagBit.CF as 0 or 1. */
  getCF(): number {
    if ((this.lazyMask & FlagBit.CF) === 0) return this.flags & FlagBit.CF;
    switch (this.lazyOp) {
      case FlagBit.LazyAdd:
        return this.lazyRes >>> 0 < this.lazyDst >>> 0 ? 1 : 0;
      case FlagBit.LazyAdc:
        return this.lazyRes >>> 0 <= this.lazyDst >>> 0 ? 1 : 0;
      case FlagBit.LazySub:
        return this.lazyDst >>> 0 < this.lazySrc >>> 0 ? 1 : 0;
      default:
        return this.lazyDst >>> 0 <= this.lazySrc >>> 0 ? 1 : 0;
    }
  }

  getOF(): boolean {
    if ((this.lazyMask & FlagBit.OF) === 0) return (this.flags & FlagBit.OF) !== 0;
    const d = this.lazyDst, s = this.lazySrc, r = this.lazyRes;
    if (this.lazyOp <= FlagBit.LazyAdc) return ((d ^ r) & (s ^ r) & this.lazySign) !== 0;
    return ((d ^ s) & (d ^ r) & this.lazySign) !== 0;
  }

  getZF(): boolean {
    if ((this.lazyMask & FlagBit.ZF) === 0) return (this.flags & FlagBit.ZF) !== 0;
    return (this.lazyRes | 0) === 0;
  }

  getSF(): boolean {
    if ((this.lazyMask & FlagBit.SF) === 0) return (this.flags & FlagBit.SF) !== 0;
    return (this.lazyRes & this.lazySign) !== 0;
  }

  getPF(): boolean {
    if ((this.lazyMask & FlagBit.PF) === 0) return (this.flags & FlagBit.PF) !== 0;
    return PARITY[this.lazyRes & 0xff] !== 0;
  }

  getAF(): boolean {
    if ((this.lazyMask & FlagBit.AF) === 0) return (this.flags & FlagBit.AF) !== 0;
    return ((this.lazyDst ^ this.lazySrc ^ this.lazyRes) & FlagBit.AF) !== 0;
  }

  /** The full EFLAGS value. */
  getEflags(): number {
    const mask = this.lazyMask;
    let f = this.flags & ~mask;
    if (mask !== 0) {
      if (mask & FlagBit.CF) f |= this.getCF();
      if (mask & FlagBit.PF && this.getPF()) f |= FlagBit.PF;
      if (mask & FlagBit.AF && this.getAF()) f |= FlagBit.AF;
      if (mask & FlagBit.ZF && this.getZF()) f |= FlagBit.ZF;
      if (mask & FlagBit.SF && this.getSF()) f |= FlagBit.SF;
      if (mask & FlagBit.OF && this.getOF()) f |= FlagBit.OF;
    }
    return f | 0;
  }

  /** Makes every flag concrete in `flags` (before code that edits individual bits). */
  materializeFlags(): void {
    if (this.lazyMask !== 0) {
      this.flags = this.getEflags();
      this.lazyMask = 0;
    }
  }

  /** Records an add/sub-family result; operands must already be masked to the size. */
  setArith(op: number, dst: number, src: number, res: number, sign: number): void {
    this.lazyOp = op;
    this.lazyDst = dst;
    this.lazySrc = src;
    this.lazyRes = res;
    this.lazySign = sign;
    this.lazyMask = FlagBit.Arith;
  }

  /** Records a result whose FlagBit.SF/FlagBit.ZF/FlagBit.PF follow it and whose FlagBit.CF/FlagBit.OF/FlagBit.AF are given explicitly. */
  setResultFlags(res: number, sign: number, cfOfAf: number): void {
    this.flags = (this.flags & ~(FlagBit.CF | FlagBit.OF | FlagBit.AF)) | cfOfAf;
    this.lazyRes = res;
    this.lazySign = sign;
    this.lazyMask = FlagBit.ZF | FlagBit.SF | FlagBit.PF;
  }

  /** Whether CS is a 32-bit code segment. */
  codeIs32(): boolean {
    return (this.segAttr[CS] & 0x4000) !== 0;
  }
}
