// Decimal adjust instructions: daa das aaa aas aam aad. Flags the manuals leave undefined are
// set as the P6 core does (sandpile.org's table of undefined flags): daa/das leave OF unchanged;
// aaa/aas leave OF unchanged, clear SF, take ZF from AX and PF from AL adjusted by 6 (before the
// high nibble is cleared); aam/aad clear CF, AF and OF.
import type { Cpu } from '../cpu.ts';
import { AF, CF, OF, PF, SF, ZF } from '../constants.ts';
import { PARITY } from '../state.ts';
import { CpuFault } from '../fault.ts';
import type { Handler } from './operands.ts';

function finish(c: Cpu, al: number, cfAf: number): void {
  c.r8[0] = al;
  c.setResultFlags(al & 0xff, 0x80, cfAf);
}

/** daa/das: SF ZF PF from AL, CF and AF as computed, OF kept. */
function finishDecimal(c: Cpu, al: number, cfAf: number): void {
  const of = c.getOF() ? OF : 0;
  finish(c, al, cfAf);
  c.materializeFlags();
  c.flags = (c.flags & ~OF) | of;
}

/** aaa/aas: OF kept, SF clear, ZF from AX, PF from `pfFrom`. */
function finishAscii(c: Cpu, cfAf: number, pfFrom: number): void {
  c.materializeFlags();
  let f = (c.flags & ~(CF | AF | SF | ZF | PF)) | cfAf;
  if (c.r16[0] === 0) f |= ZF;
  f |= PARITY[pfFrom & 0xff];
  c.flags = f;
}

export const daa: Handler = (c) => {
  const old = c.r8[0], oldCf = c.getCF();
  let al = old, cf = 0, af = 0;
  if ((al & 0xf) > 9 || c.getAF()) {
    al += 6;
    cf = oldCf | (al > 0xff ? 1 : 0);
    af = AF;
  }
  if (old > 0x99 || oldCf) {
    al += 0x60;
    cf = 1;
  }
  finishDecimal(c, al & 0xff, cf | af);
};

export const das: Handler = (c) => {
  const old = c.r8[0], oldCf = c.getCF();
  let al = old, cf = 0, af = 0;
  if ((al & 0xf) > 9 || c.getAF()) {
    cf = oldCf | (al < 6 ? 1 : 0);
    al -= 6;
    af = AF;
  }
  if (old > 0x99 || oldCf) {
    al -= 0x60;
    cf = 1;
  }
  finishDecimal(c, al & 0xff, cf | af);
};

export const aaa: Handler = (c) => {
  const al = c.r8[0];
  const adjust = (al & 0xf) > 9 || c.getAF();
  if (adjust) c.r16[0] = c.r16[0] + 0x106;
  c.r8[0] &= 0xf;
  finishAscii(c, adjust ? CF | AF : 0, adjust ? al + 6 : al);
};

export const aas: Handler = (c) => {
  const al = c.r8[0];
  const adjust = (al & 0xf) > 9 || c.getAF();
  if (adjust) {
    c.r16[0] = c.r16[0] - 6;
    c.r8[1] = c.r8[1] - 1;
  }
  c.r8[0] &= 0xf;
  finishAscii(c, adjust ? CF | AF : 0, adjust ? al - 6 : al);
};

export const aam: Handler = (c) => {
  const base = c.imm & 0xff;
  if (base === 0) throw new CpuFault(0, -1);
  const al = c.r8[0];
  c.r8[1] = Math.floor(al / base);
  finish(c, al % base, 0);
};

export const aad: Handler = (c) => {
  const al = (c.r8[0] + c.r8[1] * (c.imm & 0xff)) & 0xff;
  c.r8[1] = 0;
  finish(c, al, 0);
};
