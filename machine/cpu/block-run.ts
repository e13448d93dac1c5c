// The run loop's hot path: executes cached blocks (straight-line runs of decoded instructions,
// blocks.ts) with one window and budget check per block. The common register, memory, stack and
// control-transfer forms are cases of the loop's `switch`; the less common forms are small
// functions it calls; everything else runs the opcode table's handler. The instruction count stays
// exact: it is published before anything that can observe it (table handlers, faults) and at every
// block end, so virtual time and the instruction an interrupt lands on do not depend on where
// blocks begin or end.
//
// Written for V8: the loop is kept small enough to compile in tens of milliseconds, code a case
// relies on is written out or shared with cases that keep it hot (V8 optimises a helper only once
// it is hot, and inlines it only if it was hot when the loop was compiled), and every number on
// these paths is an enum member, which the TypeScript transform turns into a literal (a
// module-level `const` is loaded from its cell at each use). priming.ts gives V8 type feedback
// for every path before a guest runs.
import { blockAt, buildBlock, type Block } from './blocks.ts';
import type { Cpu } from './cpu.ts';
import { gp } from './fault.ts';
import { cond } from './ops/cond.ts';
import { shift } from './ops/shift.ts';

/** The int32 words of one instruction in a block. */
export const enum Word {
  /** Form, op or condition, register operands and the end of the instruction from the block's start (see Head). */
  Head = 0,
  /** Operands: register numbers (8-bit registers as indexes into Cpu.r8) and an immediate. */
  A = 1,
  B = 2,
  Imm = 3,
  /** Effective address: base and index registers (-1: none), scale | segment << 2, displacement. */
  Base = 4,
  Index = 5,
  Seg = 6,
  Disp = 7,
  /** Form.Table: the index of the instruction's decoded-cache entry. */
  Entry = 1,
  Size = 8,
}
export const enum Head {
  /** Form (bits 0-6), op or condition (bits 7-10), Word.A and Word.B again when they are register numbers (bits 11-14, 15-18), end (bits 19-31). */
  FormMask = 0x7f,
  OpShift = 7,
  AShift = 11,
  BShift = 15,
  EndShift = 19,
  /** The op of test in ALU forms (ops 0-7 are add or adc sbb and sub xor cmp): and, result not stored. */
  OpTest = 8,
}

/** Architectural numbers of constants.ts and state.ts, as literals (test/cpu/block-constants.test.ts checks them). */
export const enum Arch {
  CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, Sign32 = -0x80000000,
  Arith = 0x8d5, LazyAdd = 0, LazyAdc = 1, LazySub = 2, LazySbb = 3,
  EAX = 0, ECX = 1, EDX = 2, ESP = 4, CS = 1, SS = 2,
}

/** The instruction forms (fast-forms.ts chooses them), numbered so that each `switch` is a jump table. */
export const enum Form {
  /** The run loop's own cases; those from Lea to Movzx8M use the effective address, which the loop computes first. */
  Table, Nop, AluRR, AluRI, ArithRR, ArithRI, LogicRR, LogicRI, Inc, Dec, MovRR, MovRI, ShiftRI, ShlRI, ShrRI, SarRI, RolRI, RorRI, Jcc, Jmp, PushR, PopR, Call, Ret,
  Lea, MovRM, MovMR, AluRM, AluMR, AluMI, IncM, DecM, Movzx8M,
  /** Called forms: control transfers first (JmpR to Loop). */
  JmpR, JmpM, CallR, CallM, RetI, Loop,
  Alu8RR, Alu8RI, Not, Neg, ShiftRCL, Mov8RR, Mov8RI, Movzx8R, Movzx16R, Movsx8R, Movsx16R, XchgRR, Cdq, SetccR, CmovRR,
  Alu8MI, MovMI, Mov8RM, Mov8MR, Mov8MI, Movzx16M, Movsx8M, Movsx16M, PushI, PushM, CmovRM,
  /** The number of forms. */
  Count,
}

/**
 * A form run through a call: the block's words and the index of the instruction's head word in
 * them. Called transfers find the address of the next instruction in EIP and set EIP.
 */
export type FormFn = (c: Cpu, w: BlockWords, p: number) => void;

/** A block's instruction words: a plain array of small integers, whose reads V8 checks less than a typed array's. */
export type BlockWords = readonly number[];

// ---- operations at 32 bits, recording flags as ops/alu.ts and ops/shift.ts do

/**
 * Records a 32-bit add/sub-family result for the lazy flags, as CpuState.setArith does, with the
 * flags in `mask` lazy. Written out here because the run loop relies on it being inlined and
 * V8's inlining budget does not always stretch to the nested call.
 */
export function record(c: Cpu, kind: number, x: number, y: number, r: number, mask: number): void {
  c.lazyOp = kind;
  c.lazyDst = x;
  c.lazySrc = y;
  c.lazyRes = r;
  c.lazySign = Arch.Sign32;
  c.lazyMask = mask;
}

/**
 * ALU op (0-7, or Head.OpTest) at 32 bits; returns the value to store (the first operand for cmp
 * and test). A logical result is recorded as `r - 0`, whose lazily computed flags are those of a
 * logical operation: CF, OF and AF clear.
 */
export function alu32(c: Cpu, op: number, a: number, b: number): number {
  let r: number, kind: number = Arch.LazySub, x = a, y = b;
  switch (op) {
    case 0:
      r = (a + b) | 0;
      kind = Arch.LazyAdd;
      break;
    case 5:
    case 7:
      r = (a - b) | 0;
      break;
    case 1:
      r = x = a | b;
      y = 0;
      break;
    case 6:
      r = x = a ^ b;
      y = 0;
      break;
    case 2:
    case 3: {
      const cf = carry(c);
      r = (op === 2 ? a + b + cf : a - b - cf) | 0;
      kind = op === 2 ? (cf ? Arch.LazyAdc : Arch.LazyAdd) : cf ? Arch.LazySbb : Arch.LazySub;
      break;
    }
    default:
      r = x = a & b;
      y = 0;
  }
  record(c, kind, x, y, r, Arch.Arith);
  return op === 7 || op === Head.OpTest ? a : r;
}

/** CF as 0 or 1, as CpuState.getCF computes it, with the common cases (after add, sub, cmp) here. */
export function carry(c: Cpu): number {
  if ((c.lazyMask & Arch.CF) === 0) return c.flags & Arch.CF;
  if (c.lazyOp === Arch.LazySub) return c.lazyDst >>> 0 < c.lazySrc >>> 0 ? 1 : 0;
  if (c.lazyOp === Arch.LazyAdd) return c.lazyRes >>> 0 < c.lazyDst >>> 0 ? 1 : 0;
  return c.getCF();
}

/** inc/dec at 32 bits; CF stays as it was. */
export function incDec32(c: Cpu, v: number, dec: boolean): number {
  const cf = carry(c);
  const r = (dec ? v - 1 : v + 1) | 0;
  c.flags = (c.flags & ~Arch.CF) | cf;
  record(c, dec ? Arch.LazySub : Arch.LazyAdd, v, 1, r, Arch.Arith & ~Arch.CF);
  return r;
}

/** rol (left) or ror by 1-31 at 32 bits (ops/shift.ts's cases, written out): only CF and OF change. */
export function rotate32(c: Cpu, left: boolean, v: number, n: number): number {
  let r: number, cf: number, of: number;
  if (left) {
    r = (v << n) | (v >>> (32 - n));
    cf = r & 1;
    of = (r >>> 31) ^ cf;
  } else {
    r = (v >>> n) | (v << (32 - n));
    cf = r >>> 31;
    of = cf ^ ((r >>> 30) & 1);
  }
  c.flags = (c.flags & ~(Arch.CF | Arch.OF)) | cf | (of << 11);
  c.lazyMask &= ~(Arch.CF | Arch.OF);
  return r;
}

/**
 * shl (op 4 or 6), shr (5) or sar (7) by 1-31 at 32 bits (ops/shift.ts's cases, written out): CF
 * and OF as the manuals give them, AF kept, SF ZF PF from the result.
 */
export function shiftImm32(c: Cpu, op: number, v: number, n: number): number {
  let r: number, cf: number, of: number;
  if (op === 4 || op === 6) {
    r = v << n;
    cf = (v >>> (32 - n)) & 1;
    of = (r >>> 31) ^ cf;
  } else {
    r = op === 5 ? (v >>> n) | 0 : v >> n;
    cf = (v >> (n - 1)) & 1;
    of = op === 5 ? v >>> 31 : 0;
  }
  const af = (c.lazyMask & Arch.AF) !== 0 ? (c.lazyDst ^ c.lazySrc ^ c.lazyRes) & Arch.AF : c.flags & Arch.AF;
  c.flags = (c.flags & ~(Arch.CF | Arch.OF | Arch.AF)) | cf | (of << 11) | af;
  c.lazyRes = r;
  c.lazySign = Arch.Sign32;
  c.lazyMask = Arch.ZF | Arch.SF | Arch.PF;
  return r;
}

// ---- memory

/**
 * For a 32-bit read-modify-write at seg:off: checks the destination for writing before anything
 * is read, as the table's handlers do, and returns its RAM index when the TLB allows the access at
 * the current CPL without a walk, a dirty-bit update or a page crossing, else -1 (the caller then
 * uses rd32 and wr32).
 */
function rmwIndex(c: Cpu, seg: number, off: number): number {
  const lin = c.writeAddr(seg, off, 4);
  const q = c.ramForWrite32(lin);
  if (q >= 0) return q;
  const user = c.cpl === 3;
  c.translate(lin, true, user);
  if ((lin & 0xfff) > 0xffc) c.translate((lin + 3) | 0, true, user);
  return -1;
}

// ---- the loops

/**
 * The block at CS:EIP when the fetch window holds no usable one: opens the window if EIP is
 * outside it, then builds the block; null when the instruction there must be stepped on its own.
 */
export function blockAfterMiss(c: Cpu): Block | null {
  const eip = c.eip;
  // A 64-bit RIP at or past 4 GiB is first normalised by the decoder (mem64.ts).
  if (eip > 0xffffffff) return null;
  if (eip < c.fetchLo || eip >= c.fetchHi) {
    c.instrStart = eip;
    c.openFetchWindow();
  }
  const page = c.fetchCode;
  if (page === null) return null;
  return blockAt(page, eip, c.fetchLo, c.fetchHi, c.codeKey) ?? buildBlock(c, page, eip - c.fetchLo);
}

/** Runs instruction i of a block through the opcode table's handler, with EIP and its start published. */
function runTable(c: Cpu, b: Block, i: number, start: number, next: number): void {
  c.instrStart = start;
  c.eip = next;
  const k = b.words[i * Word.Size + Word.Entry];
  c.unpackEntry(b.entries, k, b.entries[k]);
  b.handlers[i](c);
}

/** Loop limits: blocks run per call (the loop returns now and then, so that V8 optimises it as a whole function), and a cap on the budget kept as a small integer. */
export const enum Limit {
  BlocksPerCall = 64,
  MaxLeft = 1 << 30,
}

/**
 * Runs instructions from CS:EIP until `end` instructions have retired, something needs the run
 * loop's attention (interrupts, traps, a stop, a write to cached code), or a number of blocks have
 * run. Faults propagate with `instructions`, `instrStart` and the registers as at the start of
 * the faulting instruction. (Word.Size is 8: p >> 3 is the index of the instruction at word p.)
 */
export function runBlocks(c: Cpu, end: number): void {
  const regs = c.regs;
  let w: BlockWords = NO_WORDS;
  // EIP and the count at the start of the current block, kept here and stored in the CPU at every
  // block end and before anything that reads them (table handlers, called transfers, faults).
  let eip = c.eip, base = c.instructions, p = 0;
  // The budget left, kept a small integer (the caller's may be a large double).
  const budget = end - base;
  let left = budget < Limit.MaxLeft ? budget : Limit.MaxLeft;
  // The fetch window; only table-handled instructions and a block miss change it.
  let page = c.fetchCode, lo = c.fetchLo, hi = c.fetchHi, key = c.codeKey;
  try {
    blocks: for (let count = 0; count < Limit.BlocksPerCall && left > 0 && !c.attention; count++) {
      p = 0;
      let b = blockAt(page, eip, lo, hi, key);
      if (b === null) {
        b = blockAfterMiss(c);
        page = c.fetchCode;
        lo = c.fetchLo;
        hi = c.fetchHi;
        key = c.codeKey;
        if (b === null) {
          c.step();
          c.instructions++;
          return;
        }
      }
      w = b.words;
      const stop = (left < b.n ? left : b.n) * Word.Size;
      // EIP after the block.
      let next = eip;
      run: for (;;) {
        const h = w[p];
        switch (h & Head.FormMask) {
          case Form.Nop:
            break;
          case Form.AluRR:
          case Form.AluRI: {
            const d = (h >>> Head.AShift) & 15;
            regs[d] = alu32(c, (h >>> Head.OpShift) & 15, regs[d], (h & Head.FormMask) === Form.AluRR ? regs[(h >>> Head.BShift) & 15] : w[p + Word.Imm]);
            break;
          }
          case Form.ArithRR:
          case Form.ArithRI: {
            // add, sub and cmp (alu32's cases, written out).
            const d = (h >>> Head.AShift) & 15, op = (h >>> Head.OpShift) & 15, a = regs[d];
            const b = (h & Head.FormMask) === Form.ArithRR ? regs[(h >>> Head.BShift) & 15] : w[p + Word.Imm];
            const r = (op === 0 ? a + b : a - b) | 0;
            record(c, op === 0 ? Arch.LazyAdd : Arch.LazySub, a, b, r, Arch.Arith);
            if (op !== 7) regs[d] = r;
            break;
          }
          case Form.LogicRR:
          case Form.LogicRI: {
            // or, and, xor and test (alu32's cases, written out).
            const d = (h >>> Head.AShift) & 15, op = (h >>> Head.OpShift) & 15, a = regs[d];
            const b = (h & Head.FormMask) === Form.LogicRR ? regs[(h >>> Head.BShift) & 15] : w[p + Word.Imm];
            const r = op === 6 ? a ^ b : op === 1 ? a | b : a & b;
            record(c, Arch.LazySub, r, 0, r, Arch.Arith);
            if (op !== Head.OpTest) regs[d] = r;
            break;
          }
          case Form.Inc:
          case Form.Dec: {
            const d = (h >>> Head.AShift) & 15;
            regs[d] = incDec32(c, regs[d], (h & Head.FormMask) === Form.Dec);
            break;
          }
          case Form.MovRR:
            regs[(h >>> Head.AShift) & 15] = regs[(h >>> Head.BShift) & 15];
            break;
          case Form.MovRI:
            regs[(h >>> Head.AShift) & 15] = w[p + Word.Imm];
            break;
          case Form.ShiftRI: {
            const d = (h >>> Head.AShift) & 15;
            regs[d] = shift(c, (h >>> Head.OpShift) & 15, regs[d], w[p + Word.Imm], 2);
            break;
          }
          case Form.RolRI:
          case Form.RorRI: {
            const d = (h >>> Head.AShift) & 15;
            regs[d] = rotate32(c, (h & Head.FormMask) === Form.RolRI, regs[d], w[p + Word.Imm]);
            break;
          }
          case Form.ShlRI:
          case Form.ShrRI:
          case Form.SarRI: {
            const d = (h >>> Head.AShift) & 15;
            regs[d] = shiftImm32(c, (h >>> Head.OpShift) & 15, regs[d], w[p + Word.Imm]);
            break;
          }
          case Form.Jmp: {
            const t = (eip + (h >>> Head.EndShift) + w[p + Word.Imm]) >>> 0;
            if (t > c.segLimit[Arch.CS]) gp(0);
            next = t;
            p += Word.Size;
            break run;
          }
          case Form.PushR:
          case Form.Call: {
            // Written out (and target() below): code here must not wait for V8 to optimise
            // helpers that only this form uses. A call checks its target before pushing.
            const nx = eip + (h >>> Head.EndShift);
            let t = 0;
            if ((h & Head.FormMask) === Form.Call) {
              t = (nx + w[p + Word.Imm]) >>> 0;
              if (t > c.segLimit[Arch.CS]) gp(0);
            }
            const v = (h & Head.FormMask) === Form.Call ? nx : regs[(h >>> Head.AShift) & 15];
            if (c.stack32) {
              // mem.ts's RAM fast path, written out as for the memory forms.
              const sp = (regs[Arch.ESP] - 4) | 0, e = c.tlb[sp >>> 12];
              if (((c.flatWrite >>> Arch.SS) & 1) !== 0 && (sp & 0xfff) <= 0xffc && (e & c.wmask) === c.wmask) {
                c.storeRam32((e & ~0xfff) | (sp & 0xfff), v);
              } else {
                c.wr32(Arch.SS, sp, v);
              }
              regs[Arch.ESP] = sp;
            } else {
              c.push32(v);
            }
            // After a push, a store may have hit cached code.
            if ((h & Head.FormMask) === Form.PushR && !c.attention) break;
            next = (h & Head.FormMask) === Form.Call ? t : nx;
            p += Word.Size;
            break run;
          }
          case Form.PopR:
          case Form.Ret: {
            // A return checks its target before moving the stack pointer.
            const sp = c.stack32 ? regs[Arch.ESP] : regs[Arch.ESP] & 0xffff, e = c.tlb[sp >>> 12];
            const fast = ((c.flatRead >>> Arch.SS) & 1) !== 0 && (sp & 0xfff) <= 0xffc && (e & c.rmask) === c.rmask;
            const v = fast ? c.ramView.getInt32((e & ~0xfff) | (sp & 0xfff), true) : c.rd32(Arch.SS, sp);
            if ((h & Head.FormMask) === Form.Ret && v >>> 0 > c.segLimit[Arch.CS]) gp(0);
            if (c.stack32) regs[Arch.ESP] = sp + 4;
            else c.r16[Arch.ESP << 1] = sp + 4;
            if ((h & Head.FormMask) === Form.PopR) {
              regs[(h >>> Head.AShift) & 15] = v;
              break;
            }
            next = v >>> 0;
            p += Word.Size;
            break run;
          }
          case Form.Jcc: {
            // jz / jnz test ZF, jb / jae after cmp or sub test CF here; the other conditions go
            // through ops/cond.ts.
            const nx = eip + (h >>> Head.EndShift);
            const cc = (h >>> Head.OpShift) & 15;
            let taken: boolean;
            if ((cc & 14) === 4) taken = ((c.lazyMask & Arch.ZF) !== 0 ? c.lazyRes === 0 : (c.flags & Arch.ZF) !== 0) !== ((cc & 1) !== 0);
            else if ((cc & 14) === 2 && (c.lazyMask & Arch.CF) !== 0 && c.lazyOp === Arch.LazySub) taken = (c.lazyDst >>> 0 < c.lazySrc >>> 0) !== ((cc & 1) !== 0);
            else taken = cond(c, cc);
            // Not taken, the block goes on: it continues past conditional jumps.
            if (!taken) break;
            const t = (nx + w[p + Word.Imm]) >>> 0;
            if (t > c.segLimit[Arch.CS]) gp(0);
            next = t;
            p += Word.Size;
            break run;
          }
          case Form.Table: {
            const nx = eip + (h >>> Head.EndShift);
            c.instructions = base + (p >> 3);
            runTable(c, b, p >> 3, p === 0 ? eip : eip + (w[p - Word.Size] >>> Head.EndShift), nx);
            c.instructions++;
            // Anything but falling through to the next instruction ends the block here, with EIP
            // and the count as the handler left them.
            if (c.eip !== nx || c.instructions !== base + (p >> 3) + 1 || c.attention || c.fetchHi !== hi) {
              // A far transfer into 64-bit code goes on in block-run64.ts.
              if (c.mode64 !== 0) return;
              left -= c.instructions - base;
              base = c.instructions;
              eip = c.eip;
              page = c.fetchCode;
              lo = c.fetchLo;
              hi = c.fetchHi;
              key = c.codeKey;
              continue blocks;
            }
            break;
          }
          default: {
            if ((h & Head.FormMask) > Form.Movzx8M) {
              // Called forms.
              const nx = eip + (h >>> Head.EndShift);
              if ((h & Head.FormMask) <= Form.Loop) {
                // Called transfers find the address of the next instruction in EIP, as table
                // handlers do, and leave the target there.
                c.eip = nx;
                b.calls[p >> 3](c, w, p);
                next = c.eip;
                p += Word.Size;
                break run;
              }
              b.calls[p >> 3](c, w, p);
              // A store may have hit cached code, an I/O write may want the run loop.
              if (c.attention) {
                next = nx;
                p += Word.Size;
                break run;
              }
              break;
            }
            // The forms with a memory operand: its segment and 32-bit effective address (ea(),
            // written out), and its RAM index when mem.ts's fast path applies: a flat segment, an
            // access inside one page, and a TLB entry allowing it at this CPL (for writing, when
            // the form writes); -1 sends the access through mem.ts, which checks everything.
            let off = w[p + Word.Disp];
            const bReg = w[p + Word.Base], iReg = w[p + Word.Index];
            if (bReg >= 0) off += regs[bReg];
            if (iReg >= 0) off += regs[iReg] << (w[p + Word.Seg] & 3);
            off |= 0;
            const seg = w[p + Word.Seg] >>> 2;
            const writes = (h & Head.FormMask) === Form.MovMR || ((h & Head.FormMask) >= Form.AluMR && (h & Head.FormMask) <= Form.DecM);
            const e = c.tlb[off >>> 12], mask = writes ? c.wmask : c.rmask;
            const ram = (((writes ? c.flatWrite : c.flatRead) >>> seg) & 1) !== 0 && (off & 0xfff) <= 0xffc && (e & mask) === mask ? (e & ~0xfff) | (off & 0xfff) : -1;
            switch (h & Head.FormMask) {
              case Form.Lea:
                regs[(h >>> Head.AShift) & 15] = off;
                break;
              case Form.MovRM:
                regs[(h >>> Head.AShift) & 15] = ram >= 0 ? c.ramView.getInt32(ram, true) : c.rd32(seg, off);
                break;
              case Form.MovMR:
                if (ram >= 0) c.storeRam32(ram, regs[(h >>> Head.BShift) & 15]);
                else c.wr32(seg, off, regs[(h >>> Head.BShift) & 15]);
                // A store may have hit cached code.
                if (c.attention) {
                  next = eip + (h >>> Head.EndShift);
                  p += Word.Size;
                  break run;
                }
                break;
              case Form.AluRM: {
                const d = (h >>> Head.AShift) & 15;
                regs[d] = alu32(c, (h >>> Head.OpShift) & 15, regs[d], ram >= 0 ? c.ramView.getInt32(ram, true) : c.rd32(seg, off));
                break;
              }
              case Form.AluMR:
              case Form.AluMI:
              case Form.IncM:
              case Form.DecM: {
                // Read-modify-writes of a 32-bit memory operand (cmp and test only read it).
                const form = h & Head.FormMask, op = (h >>> Head.OpShift) & 15;
                const src = form === Form.AluMR ? regs[(h >>> Head.BShift) & 15] : w[p + Word.Imm];
                if (form <= Form.AluMI && (op === 7 || op === Head.OpTest)) {
                  alu32(c, op, ram >= 0 ? c.ramView.getInt32(ram, true) : c.rd32(seg, off), src);
                  break;
                }
                const q = ram >= 0 ? ram : rmwIndex(c, seg, off);
                const v = q >= 0 ? c.ramView.getInt32(q, true) : c.rd32(seg, off);
                const r = form <= Form.AluMI ? alu32(c, op, v, src) : incDec32(c, v, form === Form.DecM);
                if (q >= 0) c.storeRam32(q, r);
                else c.wr32(seg, off, r);
                // A store may have hit cached code.
                if (c.attention) {
                  next = eip + (h >>> Head.EndShift);
                  p += Word.Size;
                  break run;
                }
                break;
              }
              case Form.Movzx8M:
                regs[(h >>> Head.AShift) & 15] = ram >= 0 ? c.ram[ram] : c.rd8(seg, off);
                break;
            }
          }
        }
        p += Word.Size;
        if (p === stop) {
          next = eip + (w[p - Word.Size] >>> Head.EndShift);
          break;
        }
      }
      const done = p >> 3;
      base += done;
      left -= done;
      eip = next;
      c.instructions = base;
      c.eip = eip;
    }
  } catch (error) {
    c.instructions = base + (p >> 3);
    c.instrStart = p === 0 ? eip : eip + (w[p - Word.Size] >>> Head.EndShift);
    throw error;
  }
}

const NO_WORDS: BlockWords = [0];
