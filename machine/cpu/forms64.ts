// The forms block-run64.ts runs 64-bit-mode instructions with: which instructions have a case of
// their own (no prefixes but REX, 32- or 64-bit operands, 64-bit addressing through DS or SS), and
// their operands in the block's words. The rest run through their decoded-cache entry.
import { Head, Word } from './block-run.ts';
import { Form64 } from './block-run64.ts';
import type { CpuDecoder } from './decoder.ts';
import { clearOperands } from './fast-forms.ts';
import { R8 } from './ops/operands.ts';

/**
 * Fills words p+1.. of `w` with the operands of the 64-bit-mode instruction just decoded and
 * returns its form and op for the head word (the caller adds the instruction's end).
 */
export function formOf64(c: CpuDecoder, w: Int32Array, p: number): number {
  clearOperands(c, w, p);
  if (c.asz !== 3 || c.segOvr >= 0 || c.rep !== 0 || c.lock !== 0 || c.osz === 1) return Form64.Table;
  const op = c.opcode, reg = c.reg, rm = c.rm, wide = c.osz === 3, mem = c.mod !== 3;
  const set = (a: number, b: number, imm: number): void => {
    w[p + Word.A] = a;
    w[p + Word.B] = b;
    w[p + Word.Imm] = imm;
  };
  const withOp = (form: Form64, o: number): number => form | (o << Head.OpShift);
  if (op < 0x40 && ((op & 7) === 0 || (op & 7) === 2) && !mem) {
    // Byte registers: with a REX prefix, 4-7 are SPL..DIL and 8-15 the low bytes of R8-R15.
    const toRm = (op & 7) === 0;
    const byte = (n: number): number => (c.rex !== 0 ? n * 4 : R8[n]);
    set(byte(toRm ? rm : reg), byte(toRm ? reg : rm), 0);
    return withOp(Form64.Alu8RR, op >>> 3);
  }
  if (op < 0x40 && ((op & 7) === 1 || (op & 7) === 3)) {
    const alu = op >>> 3;
    const toRm = (op & 7) === 1;
    set(toRm ? rm : reg, toRm ? reg : rm, 0);
    if (!mem) return withOp(wide ? Form64.Alu64RR : Form64.AluRR, alu);
    if (toRm) return wide ? Form64.Table : withOp(Form64.AluMR, alu);
    return withOp(wide ? Form64.Alu64RM : Form64.AluRM, alu);
  }
  if (op === 0x85 && !mem) {
    set(rm, reg, 0);
    return withOp(wide ? Form64.Alu64RR : Form64.AluRR, Head.OpTest);
  }
  if ((op === 0x81 || op === 0x83) && !mem) {
    set(rm, 0, op === 0x83 ? (c.imm << 24) >> 24 : c.imm);
    return withOp(wide ? Form64.Alu64RI : Form64.AluRI, reg & 7);
  }
  if ((op === 0xc1 || op === 0xd1) && !mem) {
    const count = (op === 0xd1 ? 1 : c.imm) & (wide ? 63 : 31);
    // A count of 0 stays with the table's handler, which knows what it leaves of the register.
    if (count === 0) return Form64.Table;
    set(rm, 0, count);
    return withOp(wide ? Form64.Shift64RI : Form64.ShiftRI, reg & 7);
  }
  if (op === 0xff && !mem && (reg & 7) < 2) {
    set(rm, 0, 0);
    return (reg & 7) === 0 ? (wide ? Form64.Inc64 : Form64.Inc) : wide ? Form64.Dec64 : Form64.Dec;
  }
  if (op >= 0x50 && op < 0x60) {
    set(rm, 0, 0);
    return op < 0x58 ? Form64.Push : Form64.Pop;
  }
  if ((op >= 0x70 && op < 0x80) || (op >= 0x180 && op < 0x190)) {
    set(0, 0, op < 0x80 ? (c.imm << 24) >> 24 : c.imm);
    return withOp(Form64.Jcc, op & 15);
  }
  if (op >= 0xb8 && op < 0xc0 && !wide) {
    set(rm, 0, c.imm);
    return Form64.MovRI;
  }
  switch (op) {
    case 0xc7:
      if (mem || (reg & 7) !== 0) return Form64.Table;
      set(rm, 0, c.imm);
      return wide ? Form64.Mov64RI : Form64.MovRI;
    case 0x89:
    case 0x8b: {
      const toRm = op === 0x89;
      if (!mem) {
        set(toRm ? rm : reg, toRm ? reg : rm, 0);
        return wide ? Form64.Mov64RR : Form64.MovRR;
      }
      set(reg, reg, 0);
      if (toRm) return wide ? Form64.Store64 : Form64.Store;
      return wide ? Form64.Load64 : Form64.Load;
    }
    case 0x8d:
      if (!mem) return Form64.Table;
      set(reg, 0, 0);
      return wide ? Form64.Lea64 : Form64.Lea;
    case 0x1b6:
      if (!mem || wide) return Form64.Table;
      set(reg, 0, 0);
      return Form64.Movzx8M;
    case 0xc3:
      return Form64.Ret;
    case 0xe8:
      set(0, 0, c.imm);
      return Form64.Call;
    case 0xe9:
      set(0, 0, c.imm);
      return Form64.Jmp;
    case 0xeb:
      set(0, 0, (c.imm << 24) >> 24);
      return Form64.Jmp;
    default:
      return Form64.Table;
  }
}
