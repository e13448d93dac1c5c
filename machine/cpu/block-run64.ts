// The run loop's hot path for 64-bit code: block-run.ts's design (cached blocks, the common forms
// as cases of one switch, the instruction count exact at every block end and fault) with the
// operands of long mode: sixteen registers with their high halves in regsHi, 32-bit results
// zero-extended, 64-bit effective addresses (RIP-relative too), 8-byte stack slots. Forms are
// chosen by forms64.ts; everything else runs through its decoded-cache entry's handler.
import { blockAt, type Block } from './blocks.ts';
import { alu32, blockAfterMiss, type BlockWords, carry, incDec32, rotate32, shiftImm32 } from './block-run.ts';
import { alu8 } from './called-forms.ts';
import type { Cpu } from './cpu.ts';
import { gp } from './fault.ts';
import { canonical } from './long-mode.ts';
import { checkWritable, popSized, pushSized, readMem, setRip, writeMem } from './mem64.ts';
import { cond } from './ops/cond.ts';
import { shift } from './ops/shift.ts';
import { alu64 } from './ops64/alu.ts';
import { shift64 } from './ops64/shift.ts';

// The numbers of this loop as enum members of this module: the TypeScript transform turns those
// into literals, but leaves members imported from another module as property loads, which cost a
// third of the loop's speed. test/cpu/block-constants.test.ts checks each copy against its original.

/** block-run.ts's Word. */
export const enum Word64 {
  A = 1, B = 2, Imm = 3, Base = 4, Index = 5, Seg = 6, Disp = 7, Entry = 1, Size = 8,
}
/** block-run.ts's Head. */
export const enum Head64 {
  FormMask = 0x7f, OpShift = 7, AShift = 11, BShift = 15, EndShift = 19, OpTest = 8,
}
/** block-run.ts's Arch, as far as this loop uses it. */
export const enum Arch64 {
  CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, Sign32 = -0x80000000, ESP = 4, SS = 2,
}
const enum Limit64 {
  BlocksPerCall = 64,
  MaxLeft = 1 << 30,
}

/** The forms of 64-bit code (forms64.ts chooses them), numbered so that the loop's `switch` is a jump table; those from Lea on use a memory operand. */
export const enum Form64 {
  Table, AluRR, AluRI, Alu64RR, Alu64RI, Alu8RR, Inc, Dec, Inc64, Dec64, MovRR, Mov64RR, MovRI, Mov64RI, ShiftRI, Shift64RI,
  Jcc, Jmp, Call, Ret, Push, Pop,
  Lea, Lea64, Load, Load64, Movzx8M, AluRM, Alu64RM, Store, Store64, AluMR,
}

const P32 = 4294967296;
/** Word64.Base of a RIP-relative address (decoder64.ts's EA_RIP). */
const RIP = 16;

/** The high half of the last effective address ea64 computed. */
let eaHi = 0;

/** The 64-bit effective address of the memory form at word p (nx: the next instruction's RIP, low half); low half returned. */
function ea64(c: Cpu, w: BlockWords, p: number, nx: number): number {
  const base = w[p + Word64.Base], index = w[p + Word64.Index], disp = w[p + Word64.Disp];
  let lo = disp >>> 0, hi = disp >> 31;
  if (base === RIP) {
    lo += nx;
    hi += c.ripHi;
  } else if (base >= 0) {
    lo += c.regs[base] >>> 0;
    hi += c.regsHi[base];
  }
  if (index >= 0) {
    const sc = w[p + Word64.Seg] & 3;
    // The bits the scale moves out of the low half arrive through the carry below.
    lo += (c.regs[index] >>> 0) * (1 << sc);
    hi += c.regsHi[index] << sc;
  }
  if (lo >= P32) {
    // lo < 2^36: the quotient truncated is its floor.
    const carry = (lo / P32) | 0;
    lo -= carry * P32;
    hi += carry;
  }
  eaHi = hi | 0;
  return lo | 0;
}

/** Reads 4 bytes: the TLB's path below 4 GiB, else the 64-bit memory path (canonical checks, #SS or #GP). */
function load32(c: Cpu, seg: number, lo: number, hi: number): number {
  if (hi === 0 && lo >>> 0 <= 0xfffffff8) return c.rdLin32(lo);
  return readMem(c, seg, lo, hi, 4);
}
function store32(c: Cpu, seg: number, lo: number, hi: number, v: number): void {
  if (hi === 0 && lo >>> 0 <= 0xfffffff8) c.wrLin32(lo, v);
  else writeMem(c, seg, lo, hi, 4, v, 0);
}

/** Records a 64-bit result: ZF SF PF lazily through ops64/alu.ts's 32-bit stand-in, CF OF AF as given. */
function result64(c: Cpu, lo: number, hi: number, cfOfAf: number): void {
  c.flags = (c.flags & ~(Arch64.CF | Arch64.OF | Arch64.AF)) | cfOfAf;
  c.lazyRes = (hi & Arch64.Sign32) | (lo & 0xff) | ((lo | hi) !== 0 ? 0x100 : 0);
  c.lazySign = Arch64.Sign32;
  c.lazyMask = Arch64.ZF | Arch64.SF | Arch64.PF;
}

/**
 * Reads the 8 bytes at SS:hi:lo (high half in c.opHi): RAM through the TLB when they are aligned
 * (so neither a page crossing nor #AC can arise) below 4 GiB, else mem64.ts.
 */
function read64(c: Cpu, lo: number, hi: number): number {
  const e = c.tlb[lo >>> 12];
  if (hi === 0 && (lo & 7) === 0 && (e & c.rmask) === c.rmask) {
    const q = (e & ~0xfff) | (lo & 0xfff);
    c.opHi = c.ramView.getInt32(q + 4, true);
    return c.ramView.getInt32(q, true);
  }
  return readMem(c, Arch64.SS, lo, hi, 8);
}

/** Pushes 8 bytes, as mem64.ts's pushSized, with the same RAM path as read64. */
function push64(c: Cpu, vlo: number, vhi: number): void {
  const sp = (c.regs[Arch64.ESP] - 8) | 0, e = c.tlb[sp >>> 12];
  if (c.regsHi[Arch64.ESP] === 0 && c.regs[Arch64.ESP] >>> 0 >= 8 && (sp & 7) === 0 && (e & c.wmask) === c.wmask) {
    const q = (e & ~0xfff) | (sp & 0xfff);
    c.storeRam32(q, vlo);
    c.storeRam32(q + 4, vhi);
    c.regs[Arch64.ESP] = sp;
    return;
  }
  pushSized(c, 8, vlo, vhi);
}

/** Pops 8 bytes (high half in c.opHi), as mem64.ts's popSized. */
function pop64(c: Cpu): number {
  const sp = c.regs[Arch64.ESP], spHi = c.regsHi[Arch64.ESP];
  if (spHi === 0 && sp >>> 0 <= 0xfffffff0) {
    const v = read64(c, sp, 0), vhi = c.opHi;
    c.regs[Arch64.ESP] = sp + 8;
    c.opHi = vhi;
    return v;
  }
  return popSized(c, 8);
}

/**
 * RIP = the low half t of a near target in the current 4 GiB, or (t outside [0, 4 GiB)) the
 * canonical address it reaches across them; false when RIP's high half changed, so the caller
 * must leave the loop (its fetch window is closed) with the transfer counted.
 */
function nearTarget(c: Cpu, t: number): boolean {
  if (t >= 0 && t < P32) {
    c.eip = t;
    return true;
  }
  const wraps = Math.floor(t / P32);
  const hi = (c.ripHi + wraps) | 0;
  if (!canonical(hi)) gp(0);
  setRip(c, t - wraps * P32, hi);
  return false;
}

/** Runs instruction i of a 64-bit block through its decoded-cache entry's handler, with RIP and its start published. */
function runTable64(c: Cpu, b: Block, i: number, start: number, next: number): void {
  c.instrStart = start;
  c.eip = next;
  c.entryWords = b.entries;
  c.entryAt = b.words[i * Word64.Size + Word64.Entry];
  b.handlers[i](c);
}

/**
 * Runs 64-bit instructions from RIP until `end` instructions have retired, the loop needs the run
 * loop's attention, RIP leaves its 4 GiB or the code mode changes, or a number of blocks have run;
 * faults propagate as runBlocks's do. (Word64.Size is 8: p >> 3 is the index of the instruction at word p.)
 */
export function runBlocks64(c: Cpu, end: number): void {
  const regs = c.regs, his = c.regsHi;
  let w: BlockWords = NO_WORDS;
  let eip = c.eip, base = c.instructions, p = 0;
  const budget = end - base;
  let left = budget < Limit64.MaxLeft ? budget : Limit64.MaxLeft;
  let page = c.fetchCode, lo = c.fetchLo, hi = c.fetchHi;
  const key = c.codeKey;
  try {
    blocks: for (let count = 0; count < Limit64.BlocksPerCall && left > 0 && !c.attention; count++) {
      p = 0;
      let b = blockAt(page, eip, lo, hi, key);
      if (b === null) {
        b = blockAfterMiss(c);
        page = c.fetchCode;
        lo = c.fetchLo;
        hi = c.fetchHi;
        if (b === null) {
          c.step();
          c.instructions++;
          return;
        }
      }
      w = b.words;
      const stop = (left < b.n ? left : b.n) * Word64.Size;
      let next = eip;
      run: for (;;) {
        const h = w[p];
        const form = h & Head64.FormMask;
        const d = (h >>> Head64.AShift) & 15;
        switch (form) {
          case Form64.AluRR:
          case Form64.AluRI: {
            const op = (h >>> Head64.OpShift) & 15;
            const r = alu32(c, op, regs[d], form === Form64.AluRR ? regs[(h >>> Head64.BShift) & 15] : w[p + Word64.Imm]);
            if (op !== 7 && op !== Head64.OpTest) {
              regs[d] = r;
              his[d] = 0;
            }
            break;
          }
          case Form64.Alu64RR:
          case Form64.Alu64RI: {
            // add, sub, cmp and the logical ops (ops64/alu.ts's cases, written out); adc and sbb there.
            const op = (h >>> Head64.OpShift) & 15, s = (h >>> Head64.BShift) & 15;
            const alo = regs[d], ahi = his[d];
            const blo = form === Form64.Alu64RR ? regs[s] : w[p + Word64.Imm];
            const bhi = form === Form64.Alu64RR ? his[s] : blo >> 31;
            if (op === 2 || op === 3) {
              regs[d] = alu64(c, op, alo, ahi, blo, bhi);
              his[d] = c.opHi;
              break;
            }
            let rlo: number, rhi: number, cfOfAf: number;
            // In int32 arithmetic: the carry (borrow) out of a word is the top bit of
            // (a & b) | ((a ^ b) & ~r), or (~a & b) | (~(a ^ b) & r) for a subtraction.
            if (op === 0) {
              rlo = (alo + blo) | 0;
              rhi = (ahi + bhi + (((alo & blo) | ((alo ^ blo) & ~rlo)) >>> 31)) | 0;
              const cf = ((ahi & bhi) | ((ahi ^ bhi) & ~rhi)) >>> 31;
              cfOfAf = cf | ((((ahi ^ rhi) & (bhi ^ rhi)) >>> 31) << 11) | ((alo ^ blo ^ rlo) & Arch64.AF);
            } else if (op === 5 || op === 7) {
              rlo = (alo - blo) | 0;
              rhi = (ahi - bhi - (((~alo & blo) | (~(alo ^ blo) & rlo)) >>> 31)) | 0;
              const cf = ((~ahi & bhi) | (~(ahi ^ bhi) & rhi)) >>> 31;
              cfOfAf = cf | ((((ahi ^ bhi) & (ahi ^ rhi)) >>> 31) << 11) | ((alo ^ blo ^ rlo) & Arch64.AF);
            } else {
              rlo = op === 1 ? alo | blo : op === 6 ? alo ^ blo : alo & blo;
              rhi = op === 1 ? ahi | bhi : op === 6 ? ahi ^ bhi : ahi & bhi;
              cfOfAf = 0;
            }
            result64(c, rlo, rhi, cfOfAf);
            if (op !== 7 && op !== Head64.OpTest) {
              regs[d] = rlo;
              his[d] = rhi;
            }
            break;
          }
          case Form64.Inc:
          case Form64.Dec:
            regs[d] = incDec32(c, regs[d], form === Form64.Dec);
            his[d] = 0;
            break;
          case Form64.Inc64:
          case Form64.Dec64: {
            // CF is kept; OF when the signed value passes its end.
            const vlo = regs[d], vhi = his[d], dec = form === Form64.Dec64;
            const cf = carry(c);
            const rlo = (dec ? vlo - 1 : vlo + 1) | 0;
            const rhi = (dec ? (vlo === 0 ? vhi - 1 : vhi) : rlo === 0 ? vhi + 1 : vhi) | 0;
            const of = dec ? vhi === Arch64.Sign32 && vlo === 0 : vhi === 0x7fffffff && vlo === -1;
            result64(c, rlo, rhi, cf | (of ? Arch64.OF : 0) | ((vlo ^ 1 ^ rlo) & Arch64.AF));
            regs[d] = rlo;
            his[d] = rhi;
            break;
          }
          case Form64.Alu8RR: {
            // Byte registers as indexes into Cpu.r8 (forms64.ts).
            const a = w[p + Word64.A];
            const r = alu8(c, (h >>> Head64.OpShift) & 15, c.r8[a], c.r8[w[p + Word64.B]]);
            c.r8[a] = r;
            break;
          }
          case Form64.MovRR:
            regs[d] = regs[(h >>> Head64.BShift) & 15];
            his[d] = 0;
            break;
          case Form64.Mov64RR: {
            const s = (h >>> Head64.BShift) & 15;
            regs[d] = regs[s];
            his[d] = his[s];
            break;
          }
          case Form64.MovRI:
            regs[d] = w[p + Word64.Imm];
            his[d] = 0;
            break;
          case Form64.Mov64RI:
            regs[d] = w[p + Word64.Imm];
            his[d] = w[p + Word64.Imm] >> 31;
            break;
          case Form64.ShiftRI: {
            const op = (h >>> Head64.OpShift) & 15, n = w[p + Word64.Imm];
            regs[d] = op < 2 ? rotate32(c, op === 0, regs[d], n) : op < 4 ? shift(c, op, regs[d], n, 2) : shiftImm32(c, op, regs[d], n);
            his[d] = 0;
            break;
          }
          case Form64.Shift64RI: {
            // shl, shr, sar, rol and ror by 1-63 (ops64/shift.ts's cases, written out); rcl and rcr there.
            const op = (h >>> Head64.OpShift) & 15, n = w[p + Word64.Imm], vlo = regs[d], vhi = his[d];
            if (op === 2 || op === 3) {
              regs[d] = shift64(c, op, vlo, vhi, n);
              his[d] = c.opHi;
              break;
            }
            let rlo: number, rhi: number;
            if (op === 0 || op === 1) {
              // A rotation right by n is one left by 64 - n.
              const k = op === 0 ? n : 64 - n;
              if (k < 32) {
                rlo = (vlo << k) | (vhi >>> (32 - k));
                rhi = (vhi << k) | (vlo >>> (32 - k));
              } else if (k === 32) {
                rlo = vhi;
                rhi = vlo;
              } else {
                rlo = (vhi << (k - 32)) | (vlo >>> (64 - k));
                rhi = (vlo << (k - 32)) | (vhi >>> (64 - k));
              }
              const cf = op === 0 ? rlo & 1 : rhi >>> 31;
              const of = op === 0 ? ((rhi >>> 31) ^ rlo) & 1 : (rhi >>> 31) ^ ((rhi >>> 30) & 1);
              c.flags = (c.flags & ~(Arch64.CF | Arch64.OF)) | cf | (of << 11);
              c.lazyMask &= ~(Arch64.CF | Arch64.OF);
            } else {
              // AF is kept, CF is the last bit shifted out, OF as the manuals give it for a count of 1.
              const af = (c.lazyMask & Arch64.AF) !== 0 ? (c.lazyDst ^ c.lazySrc ^ c.lazyRes) & Arch64.AF : c.flags & Arch64.AF;
              let cf: number, of: number;
              if (op === 4 || op === 6) {
                if (n < 32) {
                  rhi = (vhi << n) | (vlo >>> (32 - n));
                  rlo = vlo << n;
                  cf = (vhi >>> (32 - n)) & 1;
                } else {
                  rhi = vlo << (n - 32);
                  rlo = 0;
                  cf = n === 32 ? vhi & 1 : (vlo >>> (64 - n)) & 1;
                }
                of = ((rhi >>> 31) ^ cf) & 1;
              } else {
                const sar = op === 7;
                if (n < 32) {
                  rlo = (vlo >>> n) | (vhi << (32 - n));
                  rhi = sar ? vhi >> n : vhi >>> n;
                  cf = (vlo >>> (n - 1)) & 1;
                } else {
                  rlo = sar ? vhi >> (n - 32) : vhi >>> (n - 32);
                  rhi = sar ? vhi >> 31 : 0;
                  cf = n === 32 ? vlo >>> 31 : (vhi >>> (n - 33)) & 1;
                }
                of = op === 5 ? vhi >>> 31 : 0;
              }
              result64(c, rlo, rhi, cf | (of << 11) | af);
            }
            regs[d] = rlo | 0;
            his[d] = rhi | 0;
            break;
          }
          case Form64.Jcc:
          case Form64.Jmp: {
            const nx = eip + (h >>> Head64.EndShift);
            if (form === Form64.Jcc) {
              const cc = (h >>> Head64.OpShift) & 15;
              // jz / jnz test ZF here; the other conditions go through ops/cond.ts.
              const taken = (cc & 14) === 4 ? ((c.lazyMask & Arch64.ZF) !== 0 ? c.lazyRes === 0 : (c.flags & Arch64.ZF) !== 0) !== ((cc & 1) !== 0) : cond(c, cc);
              if (!taken) break;
            }
            if (!nearTarget(c, nx + w[p + Word64.Imm])) {
              c.instructions = base + (p >> 3) + 1;
              return;
            }
            next = c.eip;
            p += Word64.Size;
            break run;
          }
          case Form64.Call: {
            // The target is checked before the push.
            const nx = eip + (h >>> Head64.EndShift), t = nx + w[p + Word64.Imm];
            if (t < 0 || t >= P32) {
              const wraps = Math.floor(t / P32);
              if (!canonical((c.ripHi + wraps) | 0)) gp(0);
            }
            push64(c, nx, c.ripHi);
            if (!nearTarget(c, t)) {
              c.instructions = base + (p >> 3) + 1;
              return;
            }
            next = c.eip;
            p += Word64.Size;
            break run;
          }
          case Form64.Ret: {
            // The return address is checked before RSP moves.
            const sp = regs[Arch64.ESP], spHi = his[Arch64.ESP];
            const tlo = read64(c, sp, spHi), thi = c.opHi;
            if (!canonical(thi)) gp(0);
            const s = (sp >>> 0) + 8;
            regs[Arch64.ESP] = s | 0;
            his[Arch64.ESP] = s >= P32 ? (spHi + 1) | 0 : spHi;
            if (thi !== c.ripHi) {
              setRip(c, tlo, thi);
              c.instructions = base + (p >> 3) + 1;
              return;
            }
            next = tlo >>> 0;
            p += Word64.Size;
            break run;
          }
          case Form64.Push:
            push64(c, regs[d], his[d]);
            // A store may have hit cached code.
            if (c.attention) {
              next = eip + (h >>> Head64.EndShift);
              p += Word64.Size;
              break run;
            }
            break;
          case Form64.Pop: {
            const v = pop64(c);
            regs[d] = v;
            his[d] = c.opHi;
            break;
          }
          case Form64.Table: {
            const nx = eip + (h >>> Head64.EndShift);
            c.instructions = base + (p >> 3);
            runTable64(c, b, p >> 3, p === 0 ? eip : eip + (w[p - Word64.Size] >>> Head64.EndShift), nx);
            c.instructions++;
            // Anything but falling through to the next instruction ends the block here, with RIP
            // and the count as the handler left them.
            if (c.eip !== nx || c.instructions !== base + (p >> 3) + 1 || c.attention || c.fetchHi !== hi) {
              if (c.codeKey !== key) return;
              left -= c.instructions - base;
              base = c.instructions;
              eip = c.eip;
              page = c.fetchCode;
              lo = c.fetchLo;
              hi = c.fetchHi;
              continue blocks;
            }
            break;
          }
          default: {
            // The forms with a memory operand (DS or SS, whose base long mode ignores).
            const nx = eip + (h >>> Head64.EndShift);
            const alo = ea64(c, w, p, nx), ahi = eaHi, seg = w[p + Word64.Seg] >>> 2;
            switch (form) {
              case Form64.Lea:
                regs[d] = alo;
                his[d] = 0;
                break;
              case Form64.Lea64:
                regs[d] = alo;
                his[d] = ahi;
                break;
              case Form64.Load:
                regs[d] = load32(c, seg, alo, ahi);
                his[d] = 0;
                break;
              case Form64.Load64:
                regs[d] = readMem(c, seg, alo, ahi, 8);
                his[d] = c.opHi;
                break;
              case Form64.Movzx8M:
                regs[d] = ahi === 0 && alo >>> 0 <= 0xfffffff8 ? c.rdLin8(alo) : readMem(c, seg, alo, ahi, 1);
                his[d] = 0;
                break;
              case Form64.AluRM: {
                const op = (h >>> Head64.OpShift) & 15;
                const r = alu32(c, op, regs[d], load32(c, seg, alo, ahi));
                if (op !== 7 && op !== Head64.OpTest) {
                  regs[d] = r;
                  his[d] = 0;
                }
                break;
              }
              case Form64.Alu64RM: {
                const op = (h >>> Head64.OpShift) & 15;
                const v = readMem(c, seg, alo, ahi, 8);
                const r = alu64(c, op === Head64.OpTest ? 4 : op, regs[d], his[d], v, c.opHi);
                if (op !== 7 && op !== Head64.OpTest) {
                  regs[d] = r;
                  his[d] = c.opHi;
                }
                break;
              }
              default: {
                // Stores: mov and the read-modify-writes (cmp and test only read).
                const s = (h >>> Head64.BShift) & 15;
                if (form === Form64.Store64) {
                  writeMem(c, seg, alo, ahi, 8, regs[s], his[s]);
                } else if (form === Form64.Store) {
                  store32(c, seg, alo, ahi, regs[s]);
                } else {
                  const op = (h >>> Head64.OpShift) & 15;
                  if (op === 7 || op === Head64.OpTest) {
                    alu32(c, op, load32(c, seg, alo, ahi), regs[s]);
                    break;
                  }
                  // As the table's read-modify-write: the destination is checked for writing first.
                  const q = ahi === 0 && alo >>> 0 <= 0xfffffff8 ? c.ramForWrite32(alo) : -1;
                  if (q >= 0) {
                    c.storeRam32(q, alu32(c, op, c.ramView.getInt32(q, true), regs[s]));
                  } else {
                    checkWritable(c, seg, alo, ahi, 4);
                    store32(c, seg, alo, ahi, alu32(c, op, load32(c, seg, alo, ahi), regs[s]));
                  }
                }
                // A store may have hit cached code.
                if (c.attention) {
                  next = nx;
                  p += Word64.Size;
                  break run;
                }
              }
            }
          }
        }
        p += Word64.Size;
        if (p === stop) {
          next = eip + (w[p - Word64.Size] >>> Head64.EndShift);
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
    c.instrStart = p === 0 ? eip : eip + (w[p - Word64.Size] >>> Head64.EndShift);
    throw error;
  }
}

const NO_WORDS: BlockWords = [0];
