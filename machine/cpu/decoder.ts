// The instruction decoder: prefixes, the opcode table's decode word, ModRM/SIB with 16- and
// 32-bit addressing, displacements and immediates, and the encoding checks (#UD for lock on
// the wrong instruction, a register where memory is required, an undefined group member;
// #GP for more than 15 bytes). It reads the fetch window directly.
import { CS, DS, EBP, EBX, EDI, ES, ESI, ESP, FS, GS, SS } from './constants.ts';
import { D_CHECK, D_GROUP, D_IMM1_SHIFT, D_IMM2_SHIFT, D_IMM_TEST, D_MODRM, D_REGONLY, IMM_B, IMM_FAR, IMM_MOFFS, IMM_W, IMM_Z } from './decode-flags.ts';
import { CpuFault, gp } from './fault.ts';
import { CpuMemory } from './mem.ts';
import { E_DISP, E_EA, E_IMM, E_IMM2, E_META, E_MODRM, META_64, META_CODE32_SHIFT, META_KEY_MASK, META_LEN_SHIFT, META_VALID, STRIDE } from './decoded-cache.ts';
import { decodeAndCache64, decodeBytes64 } from './decoder64.ts';
import { checkEncoding, DECODE, GROUP_HANDLERS, HANDLERS, LEGACY } from './opcodes.ts';
import type { Handler } from './ops/operands.ts';

/** Prefix bytes: 1 operand size, 2 address size, 3 segment, 4 lock, 5 rep/repne. */
export const PREFIX_KIND = new Uint8Array(256);
PREFIX_KIND[0x66] = 1;
PREFIX_KIND[0x67] = 2;
for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) PREFIX_KIND[b] = 3;
PREFIX_KIND[0xf0] = 4;
PREFIX_KIND[0xf2] = PREFIX_KIND[0xf3] = 5;
/** The segment register each segment-override prefix selects. */
export const SEG_OF_PREFIX = new Int8Array(256);
SEG_OF_PREFIX[0x26] = ES;
SEG_OF_PREFIX[0x2e] = CS;
SEG_OF_PREFIX[0x36] = SS;
SEG_OF_PREFIX[0x3e] = DS;
SEG_OF_PREFIX[0x64] = FS;
SEG_OF_PREFIX[0x65] = GS;

// 16-bit addressing: base and index registers per rm (-1 none) and the default segment.
const EA16_BASE = [EBX, EBX, EBP, EBP, ESI, EDI, EBP, EBX];
const EA16_INDEX = [ESI, EDI, ESI, EDI, -1, -1, -1, -1];
const EA16_SEG = [DS, DS, SS, SS, DS, DS, SS, DS];

/** Bits of a cache entry's E_EA slot: an address was decoded; its base register is ESP. */
const EA_PRESENT = 1 << 14;
const EA_BASE_ESP = 1 << 13;

/** CpuMemory plus the decoder and the fields describing the current instruction. */
export class CpuDecoder extends CpuMemory {
  // ---- decoder state of the current instruction
  instrStart = 0;
  o32 = 0;
  a32 = 0;
  segOvr = -1;
  rep = 0;
  lock = 0;
  mod = 0;
  reg = 0;
  rm = 0;
  eaSeg = DS;
  eaOff = 0;
  /** The 32-bit address used ESP as its base (pop [esp+x] adjusts for the pop). */
  eaBaseEsp = false;
  /** How eaOff is computed: base and index registers (-1: none), scale shift, displacement. */
  eaBase = -1;
  eaIndex = -1;
  eaScale = 0;
  eaDisp = 0;
  /** The 64-bit decoded-cache entry the running instruction reads its operands from (words and index of slot 0). */
  entryWords: Int32Array = new Int32Array(STRIDE);
  entryAt = 0;
  /** Table index of the opcode: the opcode byte, plus 0x100 for the 0F map. */
  opcode = 0;
  imm = 0;
  imm2 = 0;

  // ---- 64-bit mode (decoder64.ts): reg, rm, eaBase and eaIndex then number 16 registers
  /** 1 when the instruction has a REX prefix (byte registers 4-7 are then SPL..DIL, not AH..BH). */
  rex = 0;
  /** Operand and address size as a size index: 1 16-bit, 2 32-bit, 3 64-bit. */
  osz = 2;
  asz = 3;
  /** High half of the 64-bit effective address (eaOff is its low half). */
  eaHi = 0;
  /** Near branches honour a 66 prefix in 64-bit mode (AMD) instead of ignoring it (Intel). */
  amdBranches = false;

  /**
   * Decodes the instruction at CS:EIP into the decoder fields, from the decoded cache of the
   * fetch window's physical page when it holds the instruction for this code size and the whole
   * instruction lies inside the window; returns the handler to run.
   */
  decodeHandler(): Handler {
    const start = this.eip;
    const page = this.fetchCode;
    if (page !== null && start >= this.fetchLo && start < this.fetchHi) {
      const off = start - this.fetchLo;
      const w = page.words;
      const k = off * STRIDE;
      const meta = w[k + E_META];
      if ((meta & META_KEY_MASK) === this.codeKey) {
        const end = start + ((meta >>> META_LEN_SHIFT) & 15);
        if (end <= this.fetchHi) {
          this.instrStart = start;
          this.eip = end;
          if ((meta & META_64) !== 0) {
            this.entryWords = w;
            this.entryAt = k;
          } else {
            this.unpackEntry(w, k, meta);
          }
          return page.handlers[off];
        }
      }
    }
    return this.decodeAndCache(start);
  }

  /** Sets the decoder fields from the cache entry at w[k] (meta = w[k]), as decoding its bytes would. */
  unpackEntry(w: Int32Array, k: number, meta: number): void {
    this.opcode = meta & 0x1ff;
    this.o32 = (meta >>> 9) & 1;
    const a32 = (this.a32 = (meta >>> 10) & 1);
    this.lock = (meta >>> 11) & 1;
    const m = w[k + E_MODRM];
    this.mod = m & 3;
    this.reg = (m >>> 2) & 7;
    this.rm = (m >>> 5) & 7;
    this.segOvr = ((m >>> 8) & 7) - 1;
    this.rep = (m >>> 11) & 0xff;
    this.imm = w[k + E_IMM];
    this.imm2 = w[k + E_IMM2];
    const ea = w[k + E_EA];
    if (ea === 0) return;
    const base = (ea & 15) - 1, index = ((ea >>> 4) & 15) - 1;
    this.eaBase = base;
    this.eaIndex = index;
    this.eaScale = (ea >>> 8) & 3;
    this.eaSeg = (ea >>> 10) & 7;
    this.eaBaseEsp = (ea & EA_BASE_ESP) !== 0;
    let eaOff = (this.eaDisp = w[k + E_DISP]);
    if (a32) {
      if (base >= 0) eaOff += this.regs[base];
      if (index >= 0) eaOff += this.regs[index] << this.eaScale;
      this.eaOff = eaOff | 0;
    } else {
      if (base >= 0) eaOff += this.r16[base * 2];
      if (index >= 0) eaOff += this.r16[index * 2];
      this.eaOff = eaOff & 0xffff;
    }
  }

  /** The cache missed: decodes the bytes and fills the entry when the instruction lies in the window. */
  private decodeAndCache(start: number): Handler {
    if (this.mode64 !== 0) return decodeAndCache64(this, start);
    this.instrStart = start;
    if (start < this.fetchLo || start >= this.fetchHi) this.openFetchWindow();
    const page = this.fetchCode;
    if (page === null || start < this.fetchLo || start + 32 > this.fetchHi) return this.handlerOf(this.decode());
    const handler = this.handlerOf(this.decodeBytes(this.fetchArr, this.fetchDelta + start, start));
    const off = start - this.fetchLo;
    const w = page.words;
    const k = off * STRIDE;
    const len = this.eip - start;
    const code32 = this.code32 << META_CODE32_SHIFT;
    // An entry decoded for another code mode may still be referred to by blocks. (One for this
    // mode is decoded again when the fetch window was closed; its blocks stay as they are.)
    const old = w[k + E_META];
    if ((old & META_VALID) !== 0 && (old & META_KEY_MASK) !== this.codeKey) page.dropBlocks();
    w[k + E_META] = this.opcode | (this.o32 << 9) | (this.a32 << 10) | (this.lock << 11) | code32 | (len << META_LEN_SHIFT) | META_VALID;
    w[k + E_MODRM] = this.mod | (this.reg << 2) | (this.rm << 5) | ((this.segOvr + 1) << 8) | (this.rep << 11);
    w[k + E_IMM] = this.imm;
    w[k + E_IMM2] = this.imm2;
    w[k + E_EA] = this.mod === 3 ? 0 : EA_PRESENT | (this.eaBase + 1) | ((this.eaIndex + 1) << 4) | (this.eaScale << 8) | (this.eaSeg << 10) | (this.eaBaseEsp ? EA_BASE_ESP : 0);
    w[k + E_DISP] = this.eaDisp;
    page.handlers[off] = handler;
    this.decoded.cover(page, this.fetchPageNo, off, len);
    return handler;
  }

  /** The handler of a decoded instruction (by table index, ModRM.reg for groups, operand size). */
  private handlerOf(idx: number): Handler {
    if (DECODE[idx] & D_GROUP) return GROUP_HANDLERS[(((idx << 3) | this.reg) << 1) | this.o32];
    return HANDLERS[(idx << 1) | this.o32];
  }

  /** Decodes the instruction at CS:EIP into the decoder fields; returns its table index. */
  decode(): number {
    const start = this.eip;
    this.instrStart = start;
    // Fast path: the longest possible instruction lies inside the fetch window.
    if (start >= this.fetchLo && start + 32 <= this.fetchHi) return this.decodeBytes(this.fetchArr, this.fetchDelta + start, start);
    return this.decodeGathered(start);
  }

  /**
   * Slow path near a page end, the CS limit or outside RAM/ROM: gathers the bytes that can be
   * fetched, decodes them, and raises the fetch fault only if the instruction needs a byte that
   * could not be fetched (as the processor does).
   */
  private decodeGathered(start: number): number {
    const cr2 = this.cr2;
    const bytes = this.gathered;
    bytes.fill(0);
    let available = 0;
    let fault: CpuFault | null = null;
    for (; available < 16; available++) {
      this.eip = start + available;
      try {
        bytes[available] = this.fetch8();
      } catch (error) {
        if (!(error instanceof CpuFault)) throw error;
        fault = error;
        break;
      }
    }
    const faultCr2 = this.cr2;
    this.cr2 = cr2;
    this.eip = start;
    try {
      const idx = this.decodeBytes(bytes, 0, start);
      if (fault !== null && this.eip - start > available) throw fault;
      return idx;
    } catch (error) {
      if (fault !== null && this.eip - start > available) {
        this.cr2 = faultCr2;
        throw fault;
      }
      throw error;
    }
  }

  private readonly gathered = new Uint8Array(48);

  /** Decodes from `a[base..]` (the bytes at CS:start); sets EIP past the instruction. */
  private decodeBytes(a: Uint8Array, base: number, start: number): number {
    if (this.mode64 !== 0) return decodeBytes64(this, a, base, start);
    const def = this.code32;
    let o32 = def, a32 = def;
    let segOvr = -1, rep = 0, lock = 0;
    let i = base;
    let b = a[i++];
    let kind: number;
    while ((kind = PREFIX_KIND[b]) !== 0) {
      if (kind === 1) o32 = def ^ 1;
      else if (kind === 2) a32 = def ^ 1;
      else if (kind === 3) segOvr = SEG_OF_PREFIX[b];
      else if (kind === 4) lock = 1;
      else rep = b;
      if (i - base >= 15) {
        this.eip = start + 16;
        gp(0);
      }
      b = a[i++];
    }
    this.o32 = o32;
    this.a32 = a32;
    this.segOvr = segOvr;
    this.rep = rep;
    this.lock = lock;
    const idx = b === 0x0f ? 0x100 | a[i++] : b;
    this.opcode = idx;
    const info = DECODE[idx];
    if (info & D_MODRM) {
      const m = a[i++];
      const mod = m >>> 6;
      this.mod = mod;
      this.reg = (m >>> 3) & 7;
      this.rm = m & 7;
      if (mod !== 3) {
        if (info & D_REGONLY) this.mod = 3;
        else if (a32) i = this.ea32(a, i, mod, m & 7);
        else i = this.ea16(a, i, mod, m & 7);
      }
    } else {
      this.mod = 3;
      this.reg = 0;
    }
    const k1 = (info >>> D_IMM1_SHIFT) & 7;
    if (k1 !== 0 && ((info & D_IMM_TEST) === 0 || this.reg < 2)) {
      if (k1 === IMM_B) {
        this.imm = a[i++];
      } else if (k1 === IMM_W || ((k1 === IMM_Z || k1 === IMM_FAR) && !o32) || (k1 === IMM_MOFFS && !a32)) {
        this.imm = a[i] | (a[i + 1] << 8);
        i += 2;
      } else {
        this.imm = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
        i += 4;
      }
      if (k1 === IMM_FAR) {
        this.imm >>>= 0;
        this.imm2 = a[i] | (a[i + 1] << 8);
        i += 2;
      }
      const k2 = (info >>> D_IMM2_SHIFT) & 7;
      if (k2 !== 0) this.imm2 = a[i++];
    }
    this.eip = start + (i - base);
    if ((info & D_CHECK) !== 0 || lock !== 0) checkEncoding(this, LEGACY, idx, info);
    if (i - base > 15) gp(0);
    return idx;
  }

  private ea16(a: Uint8Array, i: number, mod: number, rm: number): number {
    let disp = 0;
    this.eaBaseEsp = false;
    if (mod === 0 && rm === 6) {
      disp = a[i] | (a[i + 1] << 8);
      i += 2;
      this.eaBase = this.eaIndex = -1;
      this.eaSeg = DS;
    } else {
      this.eaBase = EA16_BASE[rm];
      this.eaIndex = EA16_INDEX[rm];
      if (mod === 1) {
        disp = (a[i++] << 24) >> 24;
      } else if (mod === 2) {
        disp = a[i] | (a[i + 1] << 8);
        i += 2;
      }
      this.eaSeg = EA16_SEG[rm];
    }
    if (this.segOvr >= 0) this.eaSeg = this.segOvr;
    this.eaScale = 0;
    this.eaDisp = disp;
    this.computeEa();
    return i;
  }

  private ea32(a: Uint8Array, i: number, mod: number, rm: number): number {
    let disp = 0;
    let base = rm, index = -1, scale = 0;
    let seg = DS;
    if (rm === 4) {
      const sib = a[i++];
      base = sib & 7;
      index = (sib >>> 3) & 7;
      scale = sib >>> 6;
      if (index === 4) index = -1;
      if (base === 5 && mod === 0) {
        disp = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
        i += 4;
        base = -1;
      }
    } else if (rm === 5 && mod === 0) {
      disp = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
      i += 4;
      base = -1;
    }
    if (base === ESP || base === EBP) seg = SS;
    if (mod === 1) {
      disp = (a[i++] << 24) >> 24;
    } else if (mod === 2) {
      disp = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
      i += 4;
    }
    this.eaBaseEsp = base === ESP;
    this.eaBase = base;
    this.eaIndex = index;
    this.eaScale = scale;
    this.eaDisp = disp;
    this.eaSeg = this.segOvr >= 0 ? this.segOvr : seg;
    this.computeEa();
    return i;
  }

  /** Sets eaOff from the address recipe (base, index, scale, displacement) and the registers. */
  computeEa(): void {
    let off = this.eaDisp;
    if (this.a32) {
      if (this.eaBase >= 0) off += this.regs[this.eaBase];
      if (this.eaIndex >= 0) off += this.regs[this.eaIndex] << this.eaScale;
      this.eaOff = off | 0;
    } else {
      if (this.eaBase >= 0) off += this.r16[this.eaBase * 2];
      if (this.eaIndex >= 0) off += this.r16[this.eaIndex * 2];
      this.eaOff = off & 0xffff;
    }
  }

  /** The segment for string sources and xlat: DS unless overridden. */
  dataSeg(): number {
    return this.segOvr >= 0 ? this.segOvr : DS;
  }
}
