// Shifts and rotates (group 2: rol ror rcl rcr shl shr sal sar) and the double shifts shld/shrd.
// The count is masked to 5 bits; a masked count of 0 changes nothing, flags included.
// Undefined flags, following the P6 core (sandpile.org's table of undefined flags): shifts leave
// AF unchanged; rotates touch only CF and OF. OF for counts above 1 uses the count-1 formula.
import type { Cpu } from '../cpu.ts';
import { AF, CF, OF } from '../constants.ts';
import { getReg, getRmRmw, type Handler, MASK, SIGN, setRm } from './operands.ts';

export const SHIFT_NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'] as const;

/** Sets the result flags of a shift, keeping AF. */
function shiftFlags(c: Cpu, r: number, sz: number, cfOf: number): void {
  c.setResultFlags(r, SIGN[sz], cfOf | (c.getAF() ? AF : 0));
}

/** Sets CF and OF of a rotate; the other arithmetic flags stay as they are (lazy ones too). */
function setCfOf(c: Cpu, cf: number, of: number): void {
  c.flags = (c.flags & ~(CF | OF)) | (cf & 1) | ((of & 1) << 11);
  c.lazyMask &= ~(CF | OF);
}

/** Shift or rotate `v` (size index sz) by `count` (already masked to 5 bits); 32-bit results come back as int32. */
export function shift(c: Cpu, op: number, v: number, count: number, sz: number): number {
  if (count === 0) return v;
  const bits = 8 << sz, m = MASK[sz], top = bits - 1;
  let r: number, cf: number;
  switch (op) {
    case 0: {
      const n = count % bits;
      r = n ? ((v << n) | (v >>> (bits - n))) & m : v;
      r |= 0;
      cf = r & 1;
      setCfOf(c, cf, (r >>> top) ^ cf);
      return r;
    }
    case 1: {
      const n = count % bits;
      r = n ? ((v >>> n) | (v << (bits - n))) & m : v;
      r |= 0;
      setCfOf(c, r >>> top, (r >>> top) ^ (r >>> (top - 1)));
      return r;
    }
    case 2: {
      const n = count % (bits + 1);
      cf = c.getCF();
      r = v;
      for (let i = 0; i < n; i++) {
        const out = (r >>> top) & 1;
        r = ((r << 1) | cf) & m;
        cf = out;
      }
      setCfOf(c, cf, (r >>> top) ^ cf);
      return r;
    }
    case 3: {
      const n = count % (bits + 1);
      cf = c.getCF();
      r = v;
      for (let i = 0; i < n; i++) {
        const out = r & 1;
        r = (r >>> 1) | (cf << top);
        cf = out;
      }
      setCfOf(c, cf, (r >>> top) ^ (r >>> (top - 1)));
      return r;
    }
    case 4:
    case 6:
      r = (v << count) & m;
      cf = count <= bits ? (v >>> (bits - count)) & 1 : 0;
      shiftFlags(c, r, sz, cf | (((r >>> top) ^ cf) & 1 ? OF : 0));
      return r;
    case 5:
      r = v >>> count;
      cf = (v >>> (count - 1)) & 1;
      shiftFlags(c, r, sz, cf | ((v >>> top) & 1 ? OF : 0));
      return r;
    default: {
      const sv = (v << (32 - bits)) >> (32 - bits);
      r = (sv >> Math.min(count, 31)) & m;
      cf = (sv >> Math.min(count - 1, 31)) & 1;
      shiftFlags(c, r, sz, cf);
      return r;
    }
  }
}

function makeShift(op: number) {
  return {
    Eb1: ((c) => setRm(c, 0, shift(c, op, getRmRmw(c, 0), 1, 0))) as Handler,
    EbCL: ((c) => setRm(c, 0, shift(c, op, getRmRmw(c, 0), c.r8[4] & 31, 0))) as Handler,
    EbIb: ((c) => setRm(c, 0, shift(c, op, getRmRmw(c, 0), c.imm & 31, 0))) as Handler,
    Ev1: ((c) => {
      const sz = c.o32 + 1;
      setRm(c, sz, shift(c, op, getRmRmw(c, sz), 1, sz));
    }) as Handler,
    EvCL: ((c) => {
      const sz = c.o32 + 1;
      setRm(c, sz, shift(c, op, getRmRmw(c, sz), c.r8[4] & 31, sz));
    }) as Handler,
    EvIb: ((c) => {
      const sz = c.o32 + 1;
      setRm(c, sz, shift(c, op, getRmRmw(c, sz), c.imm & 31, sz));
    }) as Handler,
  };
}

/** Handlers per shift operation, indexed by ModRM.reg. */
export const SHIFT = SHIFT_NAMES.map((_, op) => makeShift(op));

const P16 = 65536, P32 = 4294967296;

/** shld/shrd: shifts dst, filling from src; 16-bit counts above 16 continue into dst again (Intel). */
function doubleShift(c: Cpu, sz: number, count: number, left: boolean): void {
  count &= 31;
  if (count === 0) return;
  const dst = getRmRmw(c, sz), src = getReg(c, sz);
  setRm(c, sz, doubleShiftValue(c, sz, dst, src, count, left));
}

/** The result of shld/shrd at 16 or 32 bits for a count of 1-31, with the flags set. */
export function doubleShiftValue(c: Cpu, sz: number, dst: number, src: number, count: number, left: boolean): number {
  let r: number, cf: number;
  if (sz === 2) {
    if (left) {
      r = ((dst << count) | (src >>> (32 - count))) >>> 0;
      cf = (dst >>> (32 - count)) & 1;
    } else {
      r = ((dst >>> count) | (src << (32 - count))) >>> 0;
      cf = (dst >>> (count - 1)) & 1;
    }
  } else {
    // 48 bits dst:src:dst, exact in a double: shifted left the top word is the result, shifted
    // right the bottom word is.
    const wide = dst * P32 + src * P16 + dst;
    if (left) {
      r = Math.floor((wide * 2 ** count) / P32) % P16;
      cf = Math.floor((wide * 2 ** (count - 1)) / 2 ** 47) & 1;
    } else {
      r = Math.floor(wide / 2 ** count) % P16;
      cf = Math.floor(wide / 2 ** (count - 1)) & 1;
    }
  }
  shiftFlags(c, r, sz, cf | ((r ^ dst) & SIGN[sz] ? OF : 0));
  return r;
}

export const shldEvGvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  doubleShift(c, sz, c.imm, true);
};
export const shldEvGvCL: Handler = (c) => {
  const sz = c.o32 + 1;
  doubleShift(c, sz, c.r8[4], true);
};
export const shrdEvGvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  doubleShift(c, sz, c.imm, false);
};
export const shrdEvGvCL: Handler = (c) => {
  const sz = c.o32 + 1;
  doubleShift(c, sz, c.r8[4], false);
};
