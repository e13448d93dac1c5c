// Far transfers and far-pointer loads in 64-bit mode: jmp/call m16:16/32/64, retf and iret (both
// 32-bit by default, 64-bit with REX.W), and lss/lfs/lgs with an offset of the operand size.
import type { Cpu } from '../cpu.ts';
import { FS, GS, SS } from '../constants.ts';
import { farReturnLong, farTransferLong, interruptReturnLong } from '../far64.ts';
import type { Handler } from '../ops/operands.ts';
import { loadSegment } from '../segmentation.ts';
import { readAtEa, setReg } from './operands.ts';

/** The far pointer at the decoded address: offset of the operand size, then the selector. */
function farPointer(c: Cpu): [number, number, number] {
  const bytes = 1 << c.osz;
  const off = readAtEa(c, 0, bytes), offHi = c.osz === 3 ? c.opHi : 0;
  const sel = readAtEa(c, bytes, 2);
  return [sel, off, offHi];
}

export const jmpMp: Handler = (c) => {
  const [sel, off, offHi] = farPointer(c);
  farTransferLong(c, sel, off, offHi, false, c.osz);
};
export const callMp: Handler = (c) => {
  const [sel, off, offHi] = farPointer(c);
  farTransferLong(c, sel, off, offHi, true, c.osz);
};
export const retf: Handler = (c) => farReturnLong(c, c.osz, 0);
export const retfIw: Handler = (c) => farReturnLong(c, c.osz, c.imm & 0xffff);
export const iret: Handler = (c) => interruptReturnLong(c, c.osz);

function loadFarPointer(c: Cpu, seg: number): void {
  const [sel, off, offHi] = farPointer(c);
  loadSegment(c, seg, sel);
  setReg(c, c.osz, off, offHi);
  if (seg === SS) c.inhibitInterrupts();
}
export const lss: Handler = (c) => loadFarPointer(c, SS);
export const lfs: Handler = (c) => loadFarPointer(c, FS);
export const lgs: Handler = (c) => loadFarPointer(c, GS);
