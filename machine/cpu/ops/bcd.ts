// Decimal adjust instructions: daa das aaa aas aam aad. Flags the manuals leave undefined are
// set here as follows: daa/das clear OF; aaa/aas set SF, ZF, PF from AL and clear OF; aam/aad
// clear CF, AF and OF.
import type { Cpu } from '../cpu.ts';
import { AF, CF } from '../constants.ts';
import { CpuFault } from '../fault.ts';
import type { Handler } from './operands.ts';

function finish(c: Cpu, al: number, cfAf: number): void {
  c.r8[0] = al;
  c.setResultFlags(al & 0xff, 0x80, cfAf);
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
  finish(c, al & 0xff, cf | af);
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
  finish(c, al & 0xff, cf | af);
};

export const aaa: Handler = (c) => {
  if ((c.r8[0] & 0xf) > 9 || c.getAF()) {
    c.r16[0] = c.r16[0] + 0x106;
    finish(c, c.r8[0] & 0xf, CF | AF);
  } else {
    finish(c, c.r8[0] & 0xf, 0);
  }
};

export const aas: Handler = (c) => {
  if ((c.r8[0] & 0xf) > 9 || c.getAF()) {
    c.r16[0] = c.r16[0] - 6;
    c.r8[1] = c.r8[1] - 1;
    finish(c, c.r8[0] & 0xf, CF | AF);
  } else {
    finish(c, c.r8[0] & 0xf, 0);
  }
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
