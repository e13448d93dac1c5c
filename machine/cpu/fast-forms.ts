// Specialised handlers for the hottest instruction forms at 32-bit operand and address size
// without prefixes. The decoded cache runs them straight from an entry (operands read from the
// entry's slots, no decoder fields unpacked); each does exactly what the opcode table's handler
// for the same form does, which test/cpu/fast-forms.test.ts checks against the table's handlers.
import type { Cpu } from './cpu.ts';
import type { CpuDecoder } from './decoder.ts';
import { CF, CS, EAX, SS } from './constants.ts';
import { E_DISP, E_EA, E_IMM, E_META, E_MODRM } from './decoded-cache.ts';
import { gp } from './fault.ts';
import { cond } from './ops/cond.ts';
import { type Handler, R8 } from './ops/operands.ts';
import { shift } from './ops/shift.ts';
import { LAZY_ADD, LAZY_SUB } from './state.ts';

const SIGN32 = 0x80000000;

// ---- operands of the current entry

/** ModRM.reg / ModRM.rm of the entry being run. */
function regOf(c: Cpu): number {
  return (c.entryWords[c.entryAt + E_MODRM] >>> 2) & 7;
}
function rmOf(c: Cpu): number {
  return (c.entryWords[c.entryAt + E_MODRM] >>> 5) & 7;
}
function immOf(c: Cpu): number {
  return c.entryWords[c.entryAt + E_IMM];
}
/** The register in the opcode's low three bits (40+r, 50+r, B8+r). */
function opRegOf(c: Cpu): number {
  return c.entryWords[c.entryAt + E_META] & 7;
}
/** The entry's 32-bit effective address. */
function eaOf(c: Cpu): number {
  const w = c.entryWords, k = c.entryAt;
  const ea = w[k + E_EA];
  let off = w[k + E_DISP];
  const base = (ea & 15) - 1, index = ((ea >>> 4) & 15) - 1;
  if (base >= 0) off += c.regs[base];
  if (index >= 0) off += c.regs[index] << ((ea >>> 8) & 3);
  return off | 0;
}
function segOf(c: Cpu): number {
  return (c.entryWords[c.entryAt + E_EA] >>> 10) & 7;
}

// ---- the ALU operations at one size (flags recorded as ops/alu.ts records them)

type Alu = (c: Cpu, a: number, b: number) => number;

function aluSet(add: boolean, mask: number, sign: number): Alu {
  return (c, a, b) => {
    const r = ((add ? a + b : a - b) & mask) | 0;
    c.setArith(add ? LAZY_ADD : LAZY_SUB, a, b, r, sign);
    return r;
  };
}
function logic(kind: number, sign: number): Alu {
  return (c, a, b) => {
    const r = kind === 0 ? a | b : kind === 1 ? a & b : a ^ b;
    c.setResultFlags(r, sign, 0);
    return r;
  };
}

/** By ALU op number (add or adc sbb and sub xor cmp); null where no fast form exists (adc, sbb). */
function aluTable(mask: number, sign: number): Array<Alu | null> {
  const sub = aluSet(false, mask, sign);
  return [aluSet(true, mask, sign), logic(0, sign), null, null, logic(1, sign), sub, logic(2, sign), sub];
}
const ALU32 = aluTable(0xffffffff, SIGN32);
const ALU8 = aluTable(0xff, 0x80);

interface AluForms {
  EvGvReg: Handler;
  EvGvMem: Handler;
  GvEvReg: Handler;
  GvEvMem: Handler;
  EvIzReg: Handler;
  EvIbReg: Handler;
  eAXIz: Handler;
  EbGbReg: Handler;
  GbEbReg: Handler;
}

function aluForms(op: number, f: Alu, f8: Alu): AluForms {
  const write = op !== 7;
  return {
    EvGvReg: (c) => {
      const rm = rmOf(c);
      const r = f(c, c.regs[rm], c.regs[regOf(c)]);
      if (write) c.regs[rm] = r;
    },
    EvGvMem: (c) => {
      const seg = segOf(c), off = eaOf(c), src = c.regs[regOf(c)];
      if (!write) {
        f(c, c.rd32(seg, off), src);
        return;
      }
      // As the table's read-modify-write: the destination is checked for writing first.
      const lin = c.writeAddr(seg, off, 4);
      const p = c.ramForWrite32(lin);
      if (p >= 0) {
        c.storeRam32(p, f(c, c.ramView.getInt32(p, true), src));
        return;
      }
      const user = c.cpl === 3;
      c.translate(lin, true, user);
      if ((lin & 0xfff) > 0xffc) c.translate((lin + 3) | 0, true, user);
      c.wr32(seg, off, f(c, c.rd32(seg, off), src));
    },
    GvEvReg: (c) => {
      const reg = regOf(c);
      const r = f(c, c.regs[reg], c.regs[rmOf(c)]);
      if (write) c.regs[reg] = r;
    },
    GvEvMem: (c) => {
      const reg = regOf(c);
      const r = f(c, c.regs[reg], c.rd32(segOf(c), eaOf(c)));
      if (write) c.regs[reg] = r;
    },
    EvIzReg: (c) => {
      const rm = rmOf(c);
      const r = f(c, c.regs[rm], immOf(c));
      if (write) c.regs[rm] = r;
    },
    EvIbReg: (c) => {
      const rm = rmOf(c);
      const r = f(c, c.regs[rm], (immOf(c) << 24) >> 24);
      if (write) c.regs[rm] = r;
    },
    eAXIz: (c) => {
      const r = f(c, c.regs[EAX], immOf(c));
      if (write) c.regs[EAX] = r;
    },
    EbGbReg: (c) => {
      const d = R8[rmOf(c)];
      const r = f8(c, c.r8[d], c.r8[R8[regOf(c)]]);
      if (write) c.r8[d] = r;
    },
    GbEbReg: (c) => {
      const d = R8[regOf(c)];
      const r = f8(c, c.r8[d], c.r8[R8[rmOf(c)]]);
      if (write) c.r8[d] = r;
    },
  };
}

const ALU_FORMS: Array<AluForms | null> = ALU32.map((f, op) => {
  const f8 = ALU8[op];
  return f !== null && f8 !== null ? aluForms(op, f, f8) : null;
});

// ---- other forms

const nop: Handler = () => {};

/** Group 2 on a 32-bit register: count 1 (D1), CL (D3) or an immediate (C1). */
function shiftForms(op: number): [Handler, Handler, Handler] {
  return [
    (c) => {
      const rm = rmOf(c);
      c.regs[rm] = shift(c, op, c.regs[rm], 1, 2);
    },
    (c) => {
      const rm = rmOf(c);
      c.regs[rm] = shift(c, op, c.regs[rm], c.r8[4] & 31, 2);
    },
    (c) => {
      const rm = rmOf(c);
      c.regs[rm] = shift(c, op, c.regs[rm], immOf(c) & 31, 2);
    },
  ];
}
const SHIFT_FORMS = [0, 1, 2, 3, 4, 5, 6, 7].map(shiftForms);

const testEvGvReg: Handler = (c) => c.setResultFlags(c.regs[rmOf(c)] & c.regs[regOf(c)], SIGN32, 0);
const testEbGbReg: Handler = (c) => c.setResultFlags(c.r8[R8[rmOf(c)]] & c.r8[R8[regOf(c)]], 0x80, 0);

function incDec32(c: Cpu, n: number, dec: boolean): void {
  const cf = c.getCF();
  const v = c.regs[n];
  const r = (dec ? v - 1 : v + 1) | 0;
  c.setArith(dec ? LAZY_SUB : LAZY_ADD, v, 1, r, SIGN32);
  // inc and dec leave CF alone.
  c.flags = (c.flags & ~CF) | cf;
  c.lazyMask &= ~CF;
  c.regs[n] = r;
}
const incReg: Handler = (c) => incDec32(c, opRegOf(c), false);
const decReg: Handler = (c) => incDec32(c, opRegOf(c), true);

const pushReg: Handler = (c) => c.push32(c.regs[opRegOf(c)]);
const popReg: Handler = (c) => {
  const v = c.pop32();
  c.regs[opRegOf(c)] = v;
};

const movEvGvReg: Handler = (c) => {
  c.regs[rmOf(c)] = c.regs[regOf(c)];
};
const movEvGvMem: Handler = (c) => c.wr32(segOf(c), eaOf(c), c.regs[regOf(c)]);
const movGvEvReg: Handler = (c) => {
  c.regs[regOf(c)] = c.regs[rmOf(c)];
};
const movGvEvMem: Handler = (c) => {
  c.regs[regOf(c)] = c.rd32(segOf(c), eaOf(c));
};
const movRegIz: Handler = (c) => {
  c.regs[opRegOf(c)] = immOf(c);
};
const movEvIzMem: Handler = (c) => c.wr32(segOf(c), eaOf(c), immOf(c));
const lea: Handler = (c) => {
  c.regs[regOf(c)] = eaOf(c);
};
const movzxGvEbReg: Handler = (c) => {
  c.regs[regOf(c)] = c.r8[R8[rmOf(c)]];
};
const movzxGvEbMem: Handler = (c) => {
  c.regs[regOf(c)] = c.rd8(segOf(c), eaOf(c));
};

/** A near jump to EIP + displacement; #GP(0) beyond the CS limit (as ops/control.ts). */
function jumpRel(c: Cpu, disp: number): void {
  const t = (c.eip + disp) >>> 0;
  if (t > c.segLimit[CS]) gp(0);
  c.eip = t;
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
  const t = (c.eip + immOf(c)) >>> 0;
  if (t > c.segLimit[CS]) gp(0);
  c.push32(c.eip);
  c.eip = t;
};
const ret: Handler = (c) => {
  const sp = c.sp();
  const t = c.rd32(SS, sp) >>> 0;
  if (t > c.segLimit[CS]) gp(0);
  c.setSp(sp + 4);
  c.eip = t;
};

/**
 * The fast form for the instruction just decoded into the decoder fields, or null when it has
 * none (prefixes, 16-bit sizes, or a form without a specialised handler).
 */
export function fastFormOf(c: CpuDecoder): Handler | null {
  if (c.o32 !== 1 || c.a32 !== 1 || c.segOvr >= 0 || c.rep !== 0 || c.lock !== 0) return null;
  const op = c.opcode;
  const reg3 = c.mod === 3;
  if (op < 0x40 && (op & 7) < 6) {
    const forms = ALU_FORMS[op >>> 3];
    if (forms === null) return null;
    switch (op & 7) {
      case 0:
        return reg3 ? forms.EbGbReg : null;
      case 1:
        return reg3 ? forms.EvGvReg : forms.EvGvMem;
      case 2:
        return reg3 ? forms.GbEbReg : null;
      case 3:
        return reg3 ? forms.GvEvReg : forms.GvEvMem;
      case 5:
        return forms.eAXIz;
      default:
        return null;
    }
  }
  if ((op === 0x81 || op === 0x83) && reg3) {
    const forms = ALU_FORMS[c.reg];
    if (forms === null) return null;
    return op === 0x81 ? forms.EvIzReg : forms.EvIbReg;
  }
  if ((op === 0xd1 || op === 0xd3 || op === 0xc1) && reg3) return SHIFT_FORMS[c.reg][op === 0xd1 ? 0 : op === 0xd3 ? 1 : 2];
  if (op >= 0x40 && op < 0x48) return incReg;
  if (op >= 0x48 && op < 0x50) return decReg;
  if (op >= 0x50 && op < 0x58) return pushReg;
  if (op >= 0x58 && op < 0x60) return popReg;
  if (op >= 0x70 && op < 0x80) return jccJb;
  if (op >= 0x180 && op < 0x190) return jccJz;
  if (op >= 0xb8 && op < 0xc0) return movRegIz;
  switch (op) {
    case 0x90:
      return nop;
    case 0x84:
      return reg3 ? testEbGbReg : null;
    case 0x85:
      return reg3 ? testEvGvReg : null;
    case 0x89:
      return reg3 ? movEvGvReg : movEvGvMem;
    case 0x8b:
      return reg3 ? movGvEvReg : movGvEvMem;
    case 0x8d:
      return reg3 ? null : lea;
    case 0xc7:
      return reg3 ? null : movEvIzMem;
    case 0x1b6:
      return reg3 ? movzxGvEbReg : movzxGvEbMem;
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
