// The decoder of 64-bit mode: legacy prefixes (CS DS ES SS overrides have no effect), REX (only
// right before the opcode; W R X B), operand size (32 by default, 64 with REX.W or for the rows
// marked d64/f64, 16 with 66), address size (64, or 32 with 67), ModRM/SIB over 16 registers,
// RIP-relative addressing, and 8-byte immediates and moffs. Cached entries are laid out as below
// and run through a wrapper that unpacks the entry and runs the table's handler (blocks run the
// common forms themselves: forms64.ts, block-run64.ts).
import { DS, EBP, ESP, SS } from './constants.ts';
import { D_CHECK, D_GROUP, D_IMM1_SHIFT, D_IMM2_SHIFT, D_IMM_TEST, D_MODRM, D_REGONLY, IMM_B, IMM_MOFFS, IMM_V, IMM_W, IMM_Z } from './decode-flags.ts';
import { E_DISP, E_EA, E_IMM, E_IMM2, E_META, E_MODRM, META_64, META_KEY_MASK, META_LEN_SHIFT, META_VALID, STRIDE } from './decoded-cache.ts';
import { PREFIX_KIND, SEG_OF_PREFIX, type CpuDecoder } from './decoder.ts';
import { gp, ud } from './fault.ts';
import { normalizeRip } from './mem64.ts';
import { checkEncoding, LONG } from './opcodes.ts';
import type { Handler } from './ops/operands.ts';

/** eaBase value meaning RIP (RIP-relative addressing). */
export const EA_RIP = 16;

// A 64-bit entry. E_META: opcode 0-8, osz 9-10, lock 11, (bit 12 clear), length 13-16, VALID,
// (bit 18 clear), META_64, then 32-bit addressing (67) and REX present. E_MODRM: mod 0-1, reg 2-5, rm 6-9,
// segment override + 1 10-12, rep byte 13-20. E_EA: base + 1 0-4, index + 1 5-9, scale 10-11,
// segment 12-14, present 15.
const M_A32 = 1 << 20;
const M_REX = 1 << 21;
const EA_PRESENT = 1 << 15;
const EA_BASE_ESP = 1 << 16;

const P32 = 4294967296;

/** Sets eaOff/eaHi from the address recipe, the registers and (RIP-relative) the next RIP. */
export function computeEa64(c: CpuDecoder): void {
  const base = c.eaBase, index = c.eaIndex, disp = c.eaDisp;
  if (c.asz === 2) {
    let off = disp;
    if (base === EA_RIP) off += c.eip;
    else if (base >= 0) off += c.regs[base];
    if (index >= 0) off += c.regs[index] << c.eaScale;
    c.eaOff = off | 0;
    c.eaHi = 0;
    return;
  }
  let lo = (disp >>> 0), hi = disp >> 31;
  if (base === EA_RIP) {
    lo += c.eip;
    hi += c.ripHi;
  } else if (base >= 0) {
    lo += c.regs[base] >>> 0;
    hi += c.regsHi[base];
  }
  if (index >= 0) {
    const sc = c.eaScale, v = c.regs[index];
    // The bits the scale moves out of the low half arrive through the carry below.
    lo += (v >>> 0) * (1 << sc);
    hi += c.regsHi[index] << sc;
  }
  const carry = Math.floor(lo / P32);
  c.eaOff = (lo - carry * P32) | 0;
  c.eaHi = (hi + carry) | 0;
}

/** ModRM/SIB addressing with 16 registers; returns the index after the displacement. */
function ea64(c: CpuDecoder, a: Uint8Array, i: number, mod: number, m: number, rex: number): number {
  const rm = m & 7;
  let base: number, index = -1, scale = 0, disp = 0;
  if (rm === 4) {
    const sib = a[i++];
    base = (sib & 7) | ((rex & 1) << 3);
    const idx = ((sib >>> 3) & 7) | ((rex & 2) << 2);
    if (idx !== 4) index = idx;
    scale = sib >>> 6;
    if ((sib & 7) === 5 && mod === 0) {
      disp = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
      i += 4;
      base = -1;
    }
  } else if (rm === 5 && mod === 0) {
    disp = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
    i += 4;
    base = EA_RIP;
  } else {
    base = rm | ((rex & 1) << 3);
  }
  if (mod === 1) {
    disp = (a[i++] << 24) >> 24;
  } else if (mod === 2) {
    disp = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
    i += 4;
  }
  c.eaBaseEsp = base === ESP;
  c.eaBase = base;
  c.eaIndex = index;
  c.eaScale = scale;
  c.eaDisp = disp;
  c.eaSeg = c.segOvr >= 0 ? c.segOvr : base === ESP || base === EBP ? SS : DS;
  return i;
}

/** Decodes the 64-bit-mode instruction at a[base..] (the bytes at RIP = start); sets EIP past it. */
export function decodeBytes64(c: CpuDecoder, a: Uint8Array, base: number, start: number): number {
  let p66 = 0, p67 = 0, segOvr = -1, rep = 0, lock = 0, rex = 0;
  let i = base;
  let b = a[i++];
  for (;;) {
    const kind = PREFIX_KIND[b];
    if (kind !== 0) {
      // A REX prefix followed by a legacy prefix is ignored.
      rex = 0;
      if (kind === 1) p66 = 1;
      else if (kind === 2) p67 = 1;
      else if (kind === 3) {
        if (b === 0x64 || b === 0x65) segOvr = SEG_OF_PREFIX[b];
      } else if (kind === 4) lock = 1;
      else rep = b;
    } else if ((b & 0xf0) === 0x40) {
      rex = b;
    } else {
      break;
    }
    if (i - base >= 15) gp(0);
    b = a[i++];
  }
  const idx = b === 0x0f ? 0x100 | a[i++] : b;
  const info = LONG.decode[idx];
  c.asz = p67 ? 2 : 3;
  c.a32 = 1;
  c.rex = rex !== 0 ? 1 : 0;
  c.segOvr = segOvr;
  c.rep = rep;
  c.lock = lock;
  c.opcode = idx;
  if (info & D_MODRM) {
    const m = a[i++];
    const mod = m >>> 6;
    c.mod = mod;
    c.reg = ((m >>> 3) & 7) | ((rex & 4) << 1);
    c.rm = (m & 7) | ((rex & 1) << 3);
    if (mod !== 3) {
      if (info & D_REGONLY) c.mod = 3;
      else i = ea64(c, a, i, mod, m, rex);
    }
  } else {
    c.mod = 3;
    c.reg = 0;
    c.rm = (idx & 7) | ((rex & 1) << 3);
  }
  const rexW = (rex & 8) !== 0;
  const reg = c.reg & 7;
  let osz = rexW ? 3 : p66 ? 1 : 2;
  if (((LONG.def64[idx] >>> reg) & 1) !== 0 || (((LONG.f64[idx] >>> reg) & 1) !== 0 && c.amdBranches)) osz = p66 && !rexW ? 1 : 3;
  else if (((LONG.f64[idx] >>> reg) & 1) !== 0) osz = 3;
  c.osz = osz;
  c.o32 = osz === 1 ? 0 : 1;
  const k1 = (info >>> D_IMM1_SHIFT) & 7;
  c.imm2 = 0;
  if (k1 !== 0 && ((info & D_IMM_TEST) === 0 || (c.reg & 7) < 2)) {
    const bytes = k1 === IMM_B ? 1 : k1 === IMM_W ? 2 : k1 === IMM_Z ? (osz === 1 ? 2 : 4) : k1 === IMM_MOFFS ? (p67 ? 4 : 8) : k1 === IMM_V ? (osz === 3 ? 8 : osz === 1 ? 2 : 4) : 4;
    if (bytes === 1) c.imm = a[i];
    else if (bytes === 2) c.imm = a[i] | (a[i + 1] << 8);
    else c.imm = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
    if (bytes === 8) c.imm2 = a[i + 4] | (a[i + 5] << 8) | (a[i + 6] << 16) | (a[i + 7] << 24);
    i += bytes;
    const k2 = (info >>> D_IMM2_SHIFT) & 7;
    if (k2 !== 0) c.imm2 = a[i++];
  }
  const len = i - base;
  c.eip = start + len;
  if ((info & D_CHECK) !== 0 || lock !== 0) checkEncoding(c, LONG, idx, info);
  // REX.R names control and debug registers 8-15, of which only CR8 exists (and is not offered).
  if (idx >= 0x120 && idx <= 0x123 && c.reg > 7 && ((idx & 1) !== 0 || c.reg !== 8)) ud();
  if (len > 15) gp(0);
  if (c.mod !== 3) computeEa64(c);
  return idx;
}

/** The handler of a decoded 64-bit-mode instruction. */
function handlerOf64(c: CpuDecoder, idx: number): Handler {
  if (LONG.decode[idx] & D_GROUP) return LONG.groupHandlers[(((idx << 3) | (c.reg & 7)) << 2) | c.osz];
  return LONG.handlers[(idx << 2) | c.osz];
}

/** Sets the decoder fields from a 64-bit cache entry (the one c.entryWords/entryAt point at). */
export function unpack64(c: CpuDecoder): void {
  const w = c.entryWords, k = c.entryAt;
  const meta = w[k + E_META];
  const osz = (meta >>> 9) & 3;
  c.opcode = meta & 0x1ff;
  c.osz = osz;
  c.o32 = osz === 1 ? 0 : 1;
  c.lock = (meta >>> 11) & 1;
  c.asz = (meta & M_A32) !== 0 ? 2 : 3;
  c.rex = (meta & M_REX) !== 0 ? 1 : 0;
  const m = w[k + E_MODRM];
  c.mod = m & 3;
  c.reg = (m >>> 2) & 15;
  c.rm = (m >>> 6) & 15;
  c.segOvr = ((m >>> 10) & 7) - 1;
  c.rep = (m >>> 13) & 0xff;
  c.imm = w[k + E_IMM];
  c.imm2 = w[k + E_IMM2];
  const ea = w[k + E_EA];
  if (ea === 0) return;
  c.eaBase = (ea & 31) - 1;
  c.eaIndex = ((ea >>> 5) & 31) - 1;
  c.eaScale = (ea >>> 10) & 3;
  c.eaSeg = (ea >>> 12) & 7;
  c.eaBaseEsp = (ea & EA_BASE_ESP) !== 0;
  c.eaDisp = w[k + E_DISP];
  computeEa64(c);
}

const wrappers = new Map<Handler, Handler>();
/** The handler a cache entry runs: unpacks the entry, then runs the table's handler. */
function wrapped(h: Handler): Handler {
  let w = wrappers.get(h);
  if (w === undefined) {
    w = (c) => {
      unpack64(c);
      h(c);
    };
    wrappers.set(h, w);
  }
  return w;
}

/** The decoded-cache miss path of 64-bit mode: decodes at RIP, fills the entry when it can, returns the handler. */
export function decodeAndCache64(c: CpuDecoder, start: number): Handler {
  if (start >= P32) {
    normalizeRip(c);
    start = c.eip;
  }
  c.instrStart = start;
  if (start < c.fetchLo || start >= c.fetchHi) c.openFetchWindow();
  const page = c.fetchCode;
  if (page === null || start < c.fetchLo || start + 32 > c.fetchHi) return handlerOf64(c, c.decode());
  const idx = decodeBytes64(c, c.fetchArr, c.fetchDelta + start, start);
  const handler = handlerOf64(c, idx);
  const off = start - c.fetchLo;
  const w = page.words;
  const k = off * STRIDE;
  const len = c.eip - start;
  // An entry decoded for another code mode may still be referred to by blocks.
  const old = w[k + E_META];
  if ((old & META_VALID) !== 0 && (old & META_KEY_MASK) !== c.codeKey) page.dropBlocks();
  w[k + E_META] = idx | (c.osz << 9) | (c.lock << 11) | (len << META_LEN_SHIFT) | META_VALID | META_64 | (c.asz === 2 ? M_A32 : 0) | (c.rex !== 0 ? M_REX : 0);
  w[k + E_MODRM] = c.mod | (c.reg << 2) | (c.rm << 6) | ((c.segOvr + 1) << 10) | (c.rep << 13);
  w[k + E_IMM] = c.imm;
  w[k + E_IMM2] = c.imm2;
  w[k + E_EA] = c.mod === 3 ? 0 : EA_PRESENT | (c.eaBase + 1) | ((c.eaIndex + 1) << 5) | (c.eaScale << 10) | (c.eaSeg << 12) | (c.eaBaseEsp ? EA_BASE_ESP : 0);
  w[k + E_DISP] = c.eaDisp;
  page.handlers[off] = wrapped(handler);
  c.decoded.cover(page, c.fetchPageNo, off, len);
  return handler;
}
