// The choice of form for a decoded instruction: how a block runs it (block-run.ts), with its
// operands in the block's words. Forms exist for the common instructions at 32-bit operand and
// address size without rep or lock prefixes; everything else runs the opcode table's handler
// (Form.Table). test/cpu/decoded-cache.test.ts checks every form against the table's handler.
import { Form, Head, Word } from './block-run.ts';
import { EAX } from './constants.ts';
import type { CpuDecoder } from './decoder.ts';
import { R8 } from './ops/operands.ts';

/**
 * Table indexes of control transfers and other instructions after which a block ends. A
 * conditional jump run as Form.Jcc does not end it: when not taken, the block goes on.
 */
const ENDS_BLOCK = new Uint8Array(512);
for (const op of [0x9a, 0xc2, 0xc3, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe8, 0xe9, 0xea, 0xeb, 0xf1, 0xf4]) ENDS_BLOCK[op] = 1;
for (let cc = 0; cc < 16; cc++) ENDS_BLOCK[0x70 + cc] = ENDS_BLOCK[0x180 + cc] = 1;
for (const op of [0x105, 0x107, 0x10b, 0x134, 0x135]) ENDS_BLOCK[op] = 1;

/** Whether the instruction just decoded ends a block (a control transfer, hlt, ud2; call/jmp through FF); a jcc with a form of its own does not. */
export function endsBlock(c: CpuDecoder, jccForm: boolean): boolean {
  if (jccForm) return false;
  return ENDS_BLOCK[c.opcode] !== 0 || (c.opcode === 0xff && (c.reg & 7) >= 2 && (c.reg & 7) <= 5);
}

/** A form with an operation or condition for the head word's op bits. */
function withOp(form: Form, op: number): number {
  return form | (op << Head.OpShift);
}

/** The register ALU form for op (add or adc sbb and sub xor cmp, or test): add/sub/cmp and the logical ops have their own cases. */
function aluForm(immediate: boolean, op: number): number {
  if (op === 0 || op === 5 || op === 7) return withOp(immediate ? Form.ArithRI : Form.ArithRR, op);
  if (op === 2 || op === 3) return withOp(immediate ? Form.AluRI : Form.AluRR, op);
  return withOp(immediate ? Form.LogicRI : Form.LogicRR, op);
}

/** Zeroes the register and immediate words of the instruction at word p and fills in its effective-address recipe. */
export function clearOperands(c: CpuDecoder, w: Int32Array, p: number): void {
  w[p + Word.A] = w[p + Word.B] = w[p + Word.Imm] = 0;
  w[p + Word.Base] = c.eaBase;
  w[p + Word.Index] = c.eaIndex;
  w[p + Word.Seg] = c.eaScale | (c.eaSeg << 2);
  w[p + Word.Disp] = c.eaDisp;
}

/**
 * Fills words p+1.. of `w` with the operands of the instruction just decoded and returns its form
 * and op for the head word (the caller adds the instruction's end).
 */
export function formOf(c: CpuDecoder, w: Int32Array, p: number): number {
  clearOperands(c, w, p);
  if (c.o32 !== 1 || c.a32 !== 1 || c.rep !== 0 || c.lock !== 0) return Form.Table;
  const op = c.opcode, reg = c.reg, rm = c.rm;
  const mem = c.mod !== 3;
  const set = (a: number, b: number, imm: number): void => {
    w[p + Word.A] = a;
    w[p + Word.B] = b;
    w[p + Word.Imm] = imm;
  };
  if (op < 0x40 && (op & 7) < 6) {
    const alu = op >>> 3;
    switch (op & 7) {
      case 0:
      case 2:
        if (mem) return Form.Table;
        set((op & 7) === 0 ? R8[rm] : R8[reg], (op & 7) === 0 ? R8[reg] : R8[rm], 0);
        return withOp(Form.Alu8RR, alu);
      case 1:
        set(rm, reg, 0);
        return mem ? withOp(Form.AluMR, alu) : aluForm(false, alu);
      case 3:
        set(reg, rm, 0);
        return mem ? withOp(Form.AluRM, alu) : aluForm(false, alu);
      case 4:
        set(R8[EAX], 0, c.imm);
        return withOp(Form.Alu8RI, alu);
      default:
        set(EAX, 0, c.imm);
        return aluForm(true, alu);
    }
  }
  if (op === 0x81 || op === 0x83) {
    set(rm, 0, op === 0x83 ? (c.imm << 24) >> 24 : c.imm);
    return mem ? withOp(Form.AluMI, reg) : aluForm(true, reg);
  }
  if (op === 0x80 || op === 0x82) {
    set(R8[rm], 0, c.imm);
    return withOp(mem ? Form.Alu8MI : Form.Alu8RI, reg);
  }
  if (op === 0xc1 || op === 0xd1 || op === 0xd3) {
    if (mem) return Form.Table;
    if (op === 0xd3) {
      set(rm, 0, 0);
      return withOp(Form.ShiftRCL, reg);
    }
    const count = op === 0xd1 ? 1 : c.imm & 31;
    set(rm, 0, count);
    // A count of 0 changes nothing, flags included.
    if (count === 0) return Form.Nop;
    const forms = [Form.RolRI, Form.RorRI, Form.ShiftRI, Form.ShiftRI, Form.ShlRI, Form.ShrRI, Form.ShlRI, Form.SarRI];
    return withOp(forms[reg], reg);
  }
  if (op >= 0x40 && op < 0x60) {
    set(op & 7, 0, 0);
    return op < 0x48 ? Form.Inc : op < 0x50 ? Form.Dec : op < 0x58 ? Form.PushR : Form.PopR;
  }
  if ((op >= 0x70 && op < 0x80) || (op >= 0x180 && op < 0x190)) {
    set(0, 0, op < 0x80 ? (c.imm << 24) >> 24 : c.imm);
    return withOp(Form.Jcc, op & 15);
  }
  if (op >= 0x140 && op < 0x150) {
    set(reg, rm, 0);
    return withOp(mem ? Form.CmovRM : Form.CmovRR, op & 15);
  }
  if (op >= 0x190 && op < 0x1a0) {
    if (mem) return Form.Table;
    set(R8[rm], 0, 0);
    return withOp(Form.SetccR, op & 15);
  }
  if (op >= 0xb0 && op < 0xc0) {
    set(op < 0xb8 ? R8[op & 7] : op & 7, 0, c.imm);
    return op < 0xb8 ? Form.Mov8RI : Form.MovRI;
  }
  if (op > 0x90 && op < 0x98) {
    set(op & 7, EAX, 0);
    return Form.XchgRR;
  }
  switch (op) {
    case 0x90:
      return Form.Nop;
    case 0x84:
      if (mem) return Form.Table;
      set(R8[rm], R8[reg], 0);
      return withOp(Form.Alu8RR, Head.OpTest);
    case 0x85:
      set(rm, reg, 0);
      return mem ? withOp(Form.AluMR, Head.OpTest) : aluForm(false, Head.OpTest);
    case 0xa8:
      set(R8[EAX], 0, c.imm);
      return withOp(Form.Alu8RI, Head.OpTest);
    case 0xa9:
      set(EAX, 0, c.imm);
      return aluForm(true, Head.OpTest);
    case 0xf6:
    case 0xf7:
      if (reg > 3 || (mem && reg > 1)) return Form.Table;
      set(op === 0xf6 ? R8[rm] : rm, 0, c.imm);
      if (reg < 2) return op === 0xf6 ? withOp(mem ? Form.Alu8MI : Form.Alu8RI, Head.OpTest) : mem ? withOp(Form.AluMI, Head.OpTest) : aluForm(true, Head.OpTest);
      if (op === 0xf6) return Form.Table;
      return reg === 2 ? Form.Not : Form.Neg;
    case 0x87:
      if (mem) return Form.Table;
      set(rm, reg, 0);
      return Form.XchgRR;
    case 0x88:
      set(R8[rm], R8[reg], 0);
      return mem ? Form.Mov8MR : Form.Mov8RR;
    case 0x89:
      set(rm, reg, 0);
      return mem ? Form.MovMR : Form.MovRR;
    case 0x8a:
      set(R8[reg], R8[rm], 0);
      return mem ? Form.Mov8RM : Form.Mov8RR;
    case 0x8b:
      set(reg, rm, 0);
      return mem ? Form.MovRM : Form.MovRR;
    case 0x8d:
      if (!mem) return Form.Table;
      set(reg, 0, 0);
      return Form.Lea;
    case 0xa0:
    case 0xa1:
    case 0xa2:
    case 0xa3:
      // moffs: the address is the immediate, in DS unless overridden.
      w[p + Word.Base] = w[p + Word.Index] = -1;
      w[p + Word.Seg] = c.dataSeg() << 2;
      w[p + Word.Disp] = c.imm;
      set(op & 1 ? EAX : R8[EAX], op & 1 ? EAX : R8[EAX], 0);
      return op === 0xa0 ? Form.Mov8RM : op === 0xa1 ? Form.MovRM : op === 0xa2 ? Form.Mov8MR : Form.MovMR;
    case 0xc6:
    case 0xc7:
      set(op === 0xc6 ? R8[rm] : rm, 0, c.imm);
      if (op === 0xc6) return mem ? Form.Mov8MI : Form.Mov8RI;
      return mem ? Form.MovMI : Form.MovRI;
    case 0x99:
      return Form.Cdq;
    case 0x68:
    case 0x6a:
      set(0, 0, op === 0x6a ? (c.imm << 24) >> 24 : c.imm);
      return Form.PushI;
    case 0x1b6:
    case 0x1b7:
    case 0x1be:
    case 0x1bf: {
      const byte = (op & 1) === 0;
      set(reg, byte ? R8[rm] : rm, 0);
      const sign = op >= 0x1be;
      if (mem) return byte ? (sign ? Form.Movsx8M : Form.Movzx8M) : sign ? Form.Movsx16M : Form.Movzx16M;
      return byte ? (sign ? Form.Movsx8R : Form.Movzx8R) : sign ? Form.Movsx16R : Form.Movzx16R;
    }
    case 0xff:
      set(rm, 0, 0);
      switch (reg) {
        case 0:
          return mem ? Form.IncM : Form.Inc;
        case 1:
          return mem ? Form.DecM : Form.Dec;
        case 2:
          return mem ? Form.CallM : Form.CallR;
        case 4:
          return mem ? Form.JmpM : Form.JmpR;
        case 6:
          return mem ? Form.PushM : Form.Table;
        default:
          return Form.Table;
      }
    case 0xc3:
      return Form.Ret;
    case 0xc2:
      set(0, 0, c.imm & 0xffff);
      return Form.RetI;
    case 0xe2:
      set(0, 0, (c.imm << 24) >> 24);
      return Form.Loop;
    case 0xe8:
    case 0xe9:
      set(0, 0, c.imm);
      return op === 0xe8 ? Form.Call : Form.Jmp;
    case 0xeb:
      set(0, 0, (c.imm << 24) >> 24);
      return Form.Jmp;
    default:
      return Form.Table;
  }
}
