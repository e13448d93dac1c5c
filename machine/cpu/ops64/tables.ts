// Selector instructions in 64-bit mode: sldt/str (a register destination is zero-extended to the
// operand size), lldt/ltr with 16-byte descriptors, lar/lsl/verr/verw with long mode's
// descriptor types; the work is ops/tables.ts's, only the operands differ.
import { LDTR, TR } from '../constants.ts';
import type { Cpu } from '../cpu.ts';
import { gp } from '../fault.ts';
import type { Handler } from '../ops/operands.ts';
import { accessRights, loadLdt, loadTr, segmentLimit, verifySelector } from '../ops/tables.ts';
import { getRm, setR, setReg, setRm } from './operands.ts';

function storeSelector(c: Cpu, sel: number): void {
  if (c.mod === 3) setR(c, c.osz, c.rm, sel, 0);
  else setRm(c, 1, sel, 0);
}
export const sldt: Handler = (c) => storeSelector(c, c.segSel[LDTR]);
export const str: Handler = (c) => storeSelector(c, c.segSel[TR]);
export const lldt: Handler = (c) => {
  if (c.cpl !== 0) gp(0);
  loadLdt(c, getRm(c, 1));
};
export const ltr: Handler = (c) => {
  if (c.cpl !== 0) gp(0);
  loadTr(c, getRm(c, 1));
};
export const lar: Handler = (c) => {
  const v = accessRights(c, getRm(c, 1));
  if (v >= 0) setReg(c, c.osz, c.osz === 1 ? v & 0xff00 : v, 0);
};
export const lsl: Handler = (c) => {
  const v = segmentLimit(c, getRm(c, 1));
  if (v >= 0) setReg(c, c.osz, v, 0);
};
export const verr: Handler = (c) => verifySelector(c, getRm(c, 1), false);
export const verw: Handler = (c) => verifySelector(c, getRm(c, 1), true);
