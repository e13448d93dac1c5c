// Specialised handlers for the hottest 64-bit-mode forms (32- and 64-bit operand sizes, 64-bit
// addressing, no prefixes but REX): ALU operations on registers, immediates and memory, mov,
// lea, movzx, inc/dec, shifts by an immediate, push/pop, call/ret, jcc and jmp. Like
// fast-forms.ts for 32-bit code, each runs straight from a cache entry (decoder64.ts's layout)
// without unpacking it, and does exactly what the table's handler does for the same form, which
// test/cpu/fast-forms64.test.ts checks on random states.
import type { Cpu } from './cpu.ts';
import { AF, CF, OF, SS } from './constants.ts';
import { E_DISP, E_EA, E_IMM, E_META, E_MODRM } from './decoded-cache.ts';
import type { CpuDecoder } from './decoder.ts';
import { gp } from './fault.ts';
import { canonical } from './long-mode.ts';
import { checkWritable, popSized, pushSized, readMem, setRip, writeMem } from './mem64.ts';
import { cond } from './ops/cond.ts';
import type { Handler } from './ops/operands.ts';
import { shift } from './ops/shift.ts';
import { setFlags64 } from './ops64/alu.ts';
import { shift64 } from './ops64/shift.ts';
import { LAZY_ADD, LAZY_SUB } from './state.ts';

const P32 = 4294967296;
const SIGN32 = 0x80000000 | 0;
/** eaBase + 1 of RIP-relative entries (decoder64.ts's EA_RIP + 1). */
const RIP_PLUS_1 = 17;

// ---- the entry being run

function regOf(c: Cpu): number {
  return (c.entryWords[c.entryAt + E_MODRM] >>> 2) & 15;
}
function rmOf(c: Cpu): number {
  return (c.entryWords[c.entryAt + E_MODRM] >>> 6) & 15;
}
function immOf(c: Cpu): number {
  return c.entryWords[c.entryAt + E_IMM];
}

let eaHi = 0;
/** The entry's 64-bit effective address: the low half returned, the high half in eaHi. */
function eaOf(c: Cpu): number {
  const w = c.entryWords, k = c.entryAt;
  const ea = w[k + E_EA];
  const disp = w[k + E_DISP];
  const b1 = ea & 31, i1 = (ea >>> 5) & 31;
  let lo = disp >>> 0, hi = disp >> 31;
  if (b1 === RIP_PLUS_1) {
    lo += c.eip;
    hi += c.ripHi;
  } else if (b1 !== 0) {
    lo += c.regs[b1 - 1] >>> 0;
    hi += c.regsHi[b1 - 1];
  }
  if (i1 !== 0) {
    const sc = (ea >>> 10) & 3;
    lo += (c.regs[i1 - 1] >>> 0) * (1 << sc);
    hi += c.regsHi[i1 - 1] << sc;
  }
  if (lo >= P32) {
    const carry = Math.floor(lo / P32);
    lo -= carry * P32;
    hi += carry;
  }
  eaHi = hi | 0;
  return lo | 0;
}
function segOf(c: Cpu): number {
  return (c.entryWords[c.entryAt + E_EA] >>> 12) & 7;
}

/** Reads 4 bytes at the entry's address: the TLB fast path below 4 GiB, else the 64-bit memory path. */
function load32(c: Cpu, lo: number, hi: number): number {
  if (hi === 0 && lo >>> 0 <= 0xfffffff8) return c.rdLin32(lo);
  return readMem(c, segOfCur, lo, hi, 4);
}
function store32(c: Cpu, lo: number, hi: number, v: number): void {
  if (hi === 0 && lo >>> 0 <= 0xfffffff8) c.wrLin32(lo, v);
  else writeMem(c, segOfCur, lo, hi, 4, v, 0);
}
/** The segment of the access being made (SS or DS; fast forms have no FS/GS override). */
let segOfCur = 3;

// ---- ALU at 32 bits (lazy flags, as ops/alu.ts) and 64 bits (as ops64/alu.ts)

type Alu32 = (c: Cpu, a: number, b: number) => number;
type Alu64 = (c: Cpu, alo: number, ahi: number, blo: number, bhi: number) => number;
let outHi = 0;

function alu32(op: number): Alu32 {
  if (op === 0) {
    return (c, a, b) => {
      const r = (a + b) | 0;
      c.setArith(LAZY_ADD, a, b, r, SIGN32);
      return r;
    };
  }
  if (op === 5 || op === 7) {
    return (c, a, b) => {
      const r = (a - b) | 0;
      c.setArith(LAZY_SUB, a, b, r, SIGN32);
      return op === 7 ? a : r;
    };
  }
  return (c, a, b) => {
    const r = op === 1 ? a | b : op === 4 ? a & b : a ^ b;
    c.setResultFlags(r, SIGN32, 0);
    return r;
  };
}

function alu64(op: number): Alu64 {
  if (op === 0) {
    return (c, alo, ahi, blo, bhi) => {
      const sl = (alo >>> 0) + (blo >>> 0);
      const sh = (ahi >>> 0) + (bhi >>> 0) + (sl >= P32 ? 1 : 0);
      const rlo = sl | 0, rhi = sh | 0;
      setFlags64(c, rlo, rhi, (sh >= P32 ? CF : 0) | (((ahi ^ rhi) & (bhi ^ rhi)) < 0 ? OF : 0) | ((alo ^ blo ^ rlo) & AF));
      outHi = rhi;
      return rlo;
    };
  }
  if (op === 5 || op === 7) {
    return (c, alo, ahi, blo, bhi) => {
      const sl = (alo >>> 0) - (blo >>> 0);
      const sh = (ahi >>> 0) - (bhi >>> 0) - (sl < 0 ? 1 : 0);
      const rlo = sl | 0, rhi = sh | 0;
      setFlags64(c, rlo, rhi, (sh < 0 ? CF : 0) | (((ahi ^ bhi) & (ahi ^ rhi)) < 0 ? OF : 0) | ((alo ^ blo ^ rlo) & AF));
      if (op === 7) {
        outHi = ahi;
        return alo;
      }
      outHi = rhi;
      return rlo;
    };
  }
  return (c, alo, ahi, blo, bhi) => {
    const rlo = op === 1 ? alo | blo : op === 4 ? alo & blo : alo ^ blo;
    const rhi = op === 1 ? ahi | bhi : op === 4 ? ahi & bhi : ahi ^ bhi;
    setFlags64(c, rlo, rhi, 0);
    outHi = rhi;
    return rlo;
  };
}

interface AluForms {
  EvGvReg32: Handler;
  EvGvReg64: Handler;
  GvEvReg32: Handler;
  GvEvReg64: Handler;
  EvGvMem32: Handler;
  GvEvMem32: Handler;
  GvEvMem64: Handler;
  EvImmReg32: Handler;
  EvImmReg64: Handler;
}

/** ALU forms for operation `op` (null for adc and sbb, which have none). */
function aluForms(op: number): AluForms | null {
  if (op === 2 || op === 3) return null;
  const f = alu32(op), g = alu64(op);
  const write = op !== 7;
  /** Immediates: Iz or Ib, sign-extended (the entry says which by its opcode). */
  const imm = (c: Cpu): number => ((c.entryWords[c.entryAt + E_META] & 0x1ff) === 0x83 ? (immOf(c) << 24) >> 24 : immOf(c));
  return {
    EvGvReg32: (c) => {
      const d = rmOf(c);
      const r = f(c, c.regs[d], c.regs[regOf(c)]);
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = 0;
      }
    },
    EvGvReg64: (c) => {
      const d = rmOf(c), s = regOf(c);
      const r = g(c, c.regs[d], c.regsHi[d], c.regs[s], c.regsHi[s]);
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = outHi;
      }
    },
    GvEvReg32: (c) => {
      const d = regOf(c);
      const r = f(c, c.regs[d], c.regs[rmOf(c)]);
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = 0;
      }
    },
    GvEvReg64: (c) => {
      const d = regOf(c), s = rmOf(c);
      const r = g(c, c.regs[d], c.regsHi[d], c.regs[s], c.regsHi[s]);
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = outHi;
      }
    },
    EvGvMem32: (c) => {
      segOfCur = segOf(c);
      const lo = eaOf(c), hi = eaHi;
      const src = c.regs[regOf(c)];
      if (!write) {
        f(c, load32(c, lo, hi), src);
        return;
      }
      // As the table's read-modify-write: the destination is checked for writing first.
      if (hi === 0 && lo >>> 0 <= 0xfffffff8) {
        const p = c.ramForWrite32(lo);
        if (p >= 0) {
          c.storeRam32(p, f(c, c.ramView.getInt32(p, true), src));
          return;
        }
      }
      checkWritable(c, segOfCur, lo, hi, 4);
      store32(c, lo, hi, f(c, load32(c, lo, hi), src));
    },
    GvEvMem32: (c) => {
      segOfCur = segOf(c);
      const d = regOf(c);
      const lo = eaOf(c);
      const r = f(c, c.regs[d], load32(c, lo, eaHi));
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = 0;
      }
    },
    GvEvMem64: (c) => {
      const d = regOf(c);
      const lo = eaOf(c);
      const v = readMem(c, segOf(c), lo, eaHi, 8);
      const r = g(c, c.regs[d], c.regsHi[d], v, c.opHi);
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = outHi;
      }
    },
    EvImmReg32: (c) => {
      const d = rmOf(c);
      const r = f(c, c.regs[d], imm(c));
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = 0;
      }
    },
    EvImmReg64: (c) => {
      const d = rmOf(c), v = imm(c);
      const r = g(c, c.regs[d], c.regsHi[d], v, v >> 31);
      if (write) {
        c.regs[d] = r;
        c.regsHi[d] = outHi;
      }
    },
  };
}
const ALU_FORMS = [0, 1, 2, 3, 4, 5, 6, 7].map(aluForms);

// ---- other forms

/** inc/dec of a register at 32 or 64 bits; CF is kept. */
function incDec(dec: boolean, wide: boolean): Handler {
  return (c) => {
    const n = rmOf(c);
    const cf = c.getCF();
    if (wide) {
      const lo = c.regs[n], hi = c.regsHi[n];
      const rlo = (dec ? lo - 1 : lo + 1) | 0;
      const rhi = (dec ? (lo === 0 ? hi - 1 : hi) : rlo === 0 ? hi + 1 : hi) | 0;
      const of = dec ? hi === SIGN32 && lo === 0 : hi === 0x7fffffff && lo === -1;
      setFlags64(c, rlo, rhi, cf | (of ? OF : 0) | ((lo ^ 1 ^ rlo) & AF));
      c.regs[n] = rlo;
      c.regsHi[n] = rhi;
      return;
    }
    const v = c.regs[n];
    const r = (dec ? v - 1 : v + 1) | 0;
    c.setArith(dec ? LAZY_SUB : LAZY_ADD, v, 1, r, SIGN32);
    c.flags = (c.flags & ~CF) | cf;
    c.lazyMask &= ~CF;
    c.regs[n] = r;
    c.regsHi[n] = 0;
  };
}
const INC32 = incDec(false, false), DEC32 = incDec(true, false), INC64 = incDec(false, true), DEC64 = incDec(true, true);

/** Group 2 on a register by 1 (D1) or an immediate (C1), at 32 or 64 bits. */
function shiftForm(op: number, wide: boolean, byOne: boolean): Handler {
  return (c) => {
    const n = rmOf(c);
    const count = byOne ? 1 : immOf(c);
    if (wide) {
      const r = shift64(c, op, c.regs[n], c.regsHi[n], count & 63);
      c.regs[n] = r;
      c.regsHi[n] = c.opHi;
    } else {
      c.regs[n] = shift(c, op, c.regs[n], count & 31, 2);
      c.regsHi[n] = 0;
    }
  };
}
const SHIFTS = [0, 1, 2, 3, 4, 5, 6, 7].map((op) => [shiftForm(op, false, true), shiftForm(op, false, false), shiftForm(op, true, true), shiftForm(op, true, false)]);

const movReg32: (toRm: boolean) => Handler = (toRm) => (c) => {
  const d = toRm ? rmOf(c) : regOf(c), s = toRm ? regOf(c) : rmOf(c);
  c.regs[d] = c.regs[s];
  c.regsHi[d] = 0;
};
const movReg64: (toRm: boolean) => Handler = (toRm) => (c) => {
  const d = toRm ? rmOf(c) : regOf(c), s = toRm ? regOf(c) : rmOf(c);
  c.regs[d] = c.regs[s];
  c.regsHi[d] = c.regsHi[s];
};
const MOV_EVGV_32 = movReg32(true), MOV_GVEV_32 = movReg32(false), MOV_EVGV_64 = movReg64(true), MOV_GVEV_64 = movReg64(false);

const movStore32: Handler = (c) => {
  segOfCur = segOf(c);
  const lo = eaOf(c);
  store32(c, lo, eaHi, c.regs[regOf(c)]);
};
const movStore64: Handler = (c) => {
  const lo = eaOf(c), s = regOf(c);
  writeMem(c, segOf(c), lo, eaHi, 8, c.regs[s], c.regsHi[s]);
};
const movLoad32: Handler = (c) => {
  segOfCur = segOf(c);
  const lo = eaOf(c);
  const d = regOf(c);
  c.regs[d] = load32(c, lo, eaHi);
  c.regsHi[d] = 0;
};
const movLoad64: Handler = (c) => {
  const lo = eaOf(c);
  const v = readMem(c, segOf(c), lo, eaHi, 8);
  const d = regOf(c);
  c.regs[d] = v;
  c.regsHi[d] = c.opHi;
};
const lea32: Handler = (c) => {
  const d = regOf(c);
  c.regs[d] = eaOf(c);
  c.regsHi[d] = 0;
};
const lea64: Handler = (c) => {
  const d = regOf(c);
  c.regs[d] = eaOf(c);
  c.regsHi[d] = eaHi;
};
const movzxByteMem: Handler = (c) => {
  const lo = eaOf(c);
  const d = regOf(c);
  c.regs[d] = eaHi === 0 && lo >>> 0 <= 0xfffffff8 ? c.rdLin8(lo) : readMem(c, segOf(c), lo, eaHi, 1);
  c.regsHi[d] = 0;
};
const movRegImm32: Handler = (c) => {
  const d = rmOf(c);
  c.regs[d] = immOf(c);
  c.regsHi[d] = 0;
};

const pushReg: Handler = (c) => {
  const n = rmOf(c);
  pushSized(c, 8, c.regs[n], c.regsHi[n]);
};
const popReg: Handler = (c) => {
  const v = popSized(c, 8);
  const n = rmOf(c);
  c.regs[n] = v;
  c.regsHi[n] = c.opHi;
};

/** RIP + a signed displacement, checked canonical (#GP(0) before anything changes). */
function jumpRel(c: Cpu, disp: number): void {
  const s = c.eip + disp;
  const wraps = Math.floor(s / P32);
  const hi = (c.ripHi + wraps) | 0;
  if (wraps !== 0 && !canonical(hi)) gp(0);
  setRip(c, s - wraps * P32, hi);
}
const jccJb: Handler = (c) => {
  if (cond(c, c.entryWords[c.entryAt + E_META] & 15)) jumpRel(c, (immOf(c) << 24) >> 24);
};
const jccJz: Handler = (c) => {
  if (cond(c, c.entryWords[c.entryAt + E_META] & 15)) jumpRel(c, immOf(c));
};
const jmpJb: Handler = (c) => jumpRel(c, (immOf(c) << 24) >> 24);
const jmpJz: Handler = (c) => jumpRel(c, immOf(c));
const callJz: Handler = (c) => {
  const s = c.eip + immOf(c);
  const wraps = Math.floor(s / P32);
  const hi = (c.ripHi + wraps) | 0;
  if (!canonical(hi)) gp(0);
  pushSized(c, 8, c.eip, c.ripHi);
  setRip(c, s - wraps * P32, hi);
};
const ret: Handler = (c) => {
  const sp = c.regs[4], spHi = c.regsHi[4];
  const lo = readMem(c, SS, sp, spHi, 8), hi = c.opHi;
  if (!canonical(hi)) gp(0);
  const s = (sp >>> 0) + 8;
  c.regs[4] = s | 0;
  c.regsHi[4] = s >= P32 ? (spHi + 1) | 0 : spHi;
  setRip(c, lo, hi);
};

/**
 * The fast form for the 64-bit-mode instruction just decoded, or null when it has none (other
 * prefixes, 16-bit operands, 32-bit addressing, FS/GS, or a form without a specialised handler).
 */
export function fastFormOf64(c: CpuDecoder): Handler | null {
  if (c.asz !== 3 || c.segOvr >= 0 || c.rep !== 0 || c.lock !== 0 || c.osz === 1) return null;
  const op = c.opcode, wide = c.osz === 3, reg3 = c.mod === 3;
  if (op < 0x40 && (op & 7) < 4 && (op & 1) === 1) {
    const forms = ALU_FORMS[op >>> 3];
    if (forms === null) return null;
    if ((op & 7) === 1) return reg3 ? (wide ? forms.EvGvReg64 : forms.EvGvReg32) : wide ? null : forms.EvGvMem32;
    return reg3 ? (wide ? forms.GvEvReg64 : forms.GvEvReg32) : wide ? forms.GvEvMem64 : forms.GvEvMem32;
  }
  if ((op === 0x81 || op === 0x83) && reg3) {
    const forms = ALU_FORMS[c.reg & 7];
    return forms === null ? null : wide ? forms.EvImmReg64 : forms.EvImmReg32;
  }
  if ((op === 0xc1 || op === 0xd1) && reg3) return SHIFTS[c.reg & 7][(wide ? 2 : 0) + (op === 0xc1 ? 1 : 0)];
  if (op === 0xff && reg3 && (c.reg & 7) < 2) return (c.reg & 7) === 0 ? (wide ? INC64 : INC32) : wide ? DEC64 : DEC32;
  if (op >= 0x50 && op < 0x58) return pushReg;
  if (op >= 0x58 && op < 0x60) return popReg;
  if (op >= 0x70 && op < 0x80) return jccJb;
  if (op >= 0x180 && op < 0x190) return jccJz;
  if (op >= 0xb8 && op < 0xc0 && !wide) return movRegImm32;
  switch (op) {
    case 0x89:
      return reg3 ? (wide ? MOV_EVGV_64 : MOV_EVGV_32) : wide ? movStore64 : movStore32;
    case 0x8b:
      return reg3 ? (wide ? MOV_GVEV_64 : MOV_GVEV_32) : wide ? movLoad64 : movLoad32;
    case 0x8d:
      return reg3 ? null : wide ? lea64 : lea32;
    case 0x1b6:
      return reg3 || wide ? null : movzxByteMem;
    case 0xc3:
      return ret;
    case 0xe8:
      return callJz;
    case 0xe9:
      return jmpJz;
    case 0xeb:
      return jmpJb;
    default:
      return null;
  }
}
