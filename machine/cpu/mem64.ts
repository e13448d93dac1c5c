// Memory in 64-bit mode: linear addresses of 64 bits (as two 32-bit halves) with the canonical
// check, FS and GS bases, reads and writes through the main TLB below 4 GiB and the high TLB
// above, accesses crossing pages or the 4 GiB line, 8-byte accesses, the 64-bit stack, and the
// instruction-fetch window. Segment limits and types are not checked in 64-bit mode.
import { FS, SS } from './constants.ts';
import { CpuFault, gp } from './fault.ts';
import { canonical } from './long-mode.ts';
import type { CpuMemory } from './mem.ts';
import { walkPae } from './paging64.ts';
import { TLB_NOEXEC, TLB_SW, TLB_UR, TLB_UW, TLB_VALID } from './tlb-bits.ts';

const P32 = 4294967296;
/** High half of the address returned by `linear` and `addOffset`. */
let outHi = 0;

/** The high half of the last address `linear` or `addOffset` returned. */
export function lastHi(): number {
  return outHi;
}

/** (hi:lo) + delta for a small signed delta: returns the low half, the high half via lastHi(). */
export function addOffset(lo: number, hi: number, delta: number): number {
  const s = (lo >>> 0) + delta;
  outHi = (hi + Math.floor(s / P32)) | 0;
  return s | 0;
}

/** Linear address of seg:(hi:lo) in 64-bit mode (FS/GS add their base); #SS(0) or #GP(0) when not canonical. */
export function linear(c: CpuMemory, seg: number, lo: number, hi: number): number {
  if (seg === FS || seg === FS + 1) {
    const s = (lo >>> 0) + (c.segBase[seg] >>> 0);
    lo = s | 0;
    hi = (hi + c.segBaseHi[seg] + (s >= P32 ? 1 : 0)) | 0;
  }
  if (!canonical(hi)) throw new CpuFault(seg === SS ? 12 : 13, 0);
  outHi = hi;
  return lo;
}

/** Physical address of the linear hi:lo for the access (walks the tables on a TLB miss; #PF). */
export function translate64(c: CpuMemory, lo: number, hi: number, write: boolean, user: boolean, fetch: boolean): number {
  if (hi === 0) return fetch ? c.translateFetch(lo, user) : c.translate(lo, write, user);
  const need = TLB_VALID | (write ? (user ? TLB_UW : TLB_SW) : user ? TLB_UR : 0);
  let e = c.highTlb.get(lo, hi);
  if ((e & need) !== need || (fetch && (e & TLB_NOEXEC) !== 0)) e = walkPae(c, lo, hi, write, user, fetch);
  return ((e & ~0xfff) | (lo & 0xfff)) >>> 0;
}

/** Reads 1, 2 or 4 bytes at linear hi:lo (4 as int32). */
export function readLin(c: CpuMemory, lo: number, hi: number, size: number): number {
  const inPage = (lo & 0xfff) <= 0x1000 - size;
  if (hi === 0 && inPage) return size === 4 ? c.rdLin32(lo) : size === 2 ? c.rdLin16(lo) : c.rdLin8(lo);
  if (hi !== 0 && inPage) {
    const e = c.highTlb.get(lo, hi);
    if ((e & c.rmask) === c.rmask) {
      const p = (e & ~0xfff) | (lo & 0xfff);
      return size === 4 ? c.ramView.getInt32(p, true) : size === 2 ? c.ramView.getUint16(p, true) : c.ram[p];
    }
  }
  const user = c.cpl === 3;
  c.checkSlowAccess(lo, size, user, false);
  const first = translate64(c, lo, hi, false, user, false);
  if (inPage) return size === 4 ? c.mem.read32(first) : size === 2 ? c.mem.read16(first) : c.mem.read8(first);
  const split = 0x1000 - (lo & 0xfff);
  const second = translate64(c, addOffset(lo, hi, split), outHi, false, user, false);
  let v = 0;
  for (let i = 0; i < size; i++) v |= c.mem.read8(i < split ? first + i : second + (i - split)) << (i * 8);
  return size === 4 ? v : v & 0xffff;
}

/** Writes 1, 2 or 4 bytes at linear hi:lo; a page-crossing write checks both pages first. */
export function writeLin(c: CpuMemory, lo: number, hi: number, size: number, v: number): void {
  const inPage = (lo & 0xfff) <= 0x1000 - size;
  if (hi === 0 && inPage) {
    if (size === 4) c.wrLin32(lo, v);
    else if (size === 2) c.wrLin16(lo, v);
    else c.wrLin8(lo, v);
    return;
  }
  let phys: number;
  if (hi !== 0 && inPage && (c.highTlb.get(lo, hi) & c.wmask) === c.wmask) {
    phys = (c.highTlb.get(lo, hi) & ~0xfff) | (lo & 0xfff);
  } else {
    const user = c.cpl === 3;
    c.checkSlowAccess(lo, size, user, true);
    phys = translate64(c, lo, hi, true, user, false);
    if (!inPage) {
      const split = 0x1000 - (lo & 0xfff);
      const second = translate64(c, addOffset(lo, hi, split), outHi, true, user, false);
      for (let i = 0; i < size; i++) c.mem.write8(i < split ? phys + i : second + (i - split), v >>> (i * 8));
      return;
    }
  }
  if (size === 4) c.mem.write32(phys, v);
  else if (size === 2) c.mem.write16(phys, v);
  else c.mem.write8(phys, v);
}

/** Checks that `size` bytes at linear hi:lo may be written (read-modify-write operands), without writing. */
export function checkWritableLin(c: CpuMemory, lo: number, hi: number, size: number): void {
  const user = c.cpl === 3;
  translate64(c, lo, hi, true, user, false);
  if ((lo & 0xfff) > 0x1000 - size) translate64(c, addOffset(lo, hi, size - 1), outHi, true, user, false);
}

/** #AC for a misaligned 8- or 16-byte access when alignment checking is on. */
function checkAlign(c: CpuMemory, lo: number, size: number): void {
  if (c.alignmentChecks && c.cpl === 3 && (lo & (size - 1)) !== 0) throw new CpuFault(17, 0);
}

/** Reads `size` (1, 2, 4 or 8) bytes at seg:(hi:lo); an 8-byte value's high half goes to c.opHi. */
export function readMem(c: CpuMemory, seg: number, lo: number, hi: number, size: number): number {
  const lin = linear(c, seg, lo, hi);
  const linHi = outHi;
  if (size !== 8) return readLin(c, lin, linHi, size);
  checkAlign(c, lin, 8);
  const low = readLin(c, lin, linHi, 4);
  c.opHi = readLin(c, addOffset(lin, linHi, 4), outHi, 4);
  return low;
}

/** Writes `size` (1, 2, 4 or 8) bytes at seg:(hi:lo), all or nothing. */
export function writeMem(c: CpuMemory, seg: number, lo: number, hi: number, size: number, vlo: number, vhi: number): void {
  const lin = linear(c, seg, lo, hi);
  const linHi = outHi;
  if (size !== 8) {
    writeLin(c, lin, linHi, size, vlo);
    return;
  }
  checkAlign(c, lin, 8);
  if ((lin & 0xfff) > 0xff8) checkWritableLin(c, lin, linHi, 8);
  writeLin(c, lin, linHi, 4, vlo);
  writeLin(c, addOffset(lin, linHi, 4), outHi, 4, vhi);
}

/** Checks seg:(hi:lo) for a `size`-byte write without writing (faults as the write would). */
export function checkWritable(c: CpuMemory, seg: number, lo: number, hi: number, size: number): void {
  const lin = linear(c, seg, lo, hi);
  checkWritableLin(c, lin, outHi, size);
}

// ---- the stack (RSP, 64-bit, SS base ignored)

/** Pushes `size` (2 or 8) bytes; RSP changes only when the write succeeds. */
export function pushSized(c: CpuMemory, size: number, vlo: number, vhi: number): void {
  const lo = addOffset(c.regs[4], c.regsHi[4], -size);
  const hi = outHi;
  writeMem(c, SS, lo, hi, size, vlo, vhi);
  c.regs[4] = lo;
  c.regsHi[4] = hi;
}

/** Pops `size` (2 or 8) bytes (the high half of 8 in c.opHi). */
export function popSized(c: CpuMemory, size: number): number {
  const lo = c.regs[4], hi = c.regsHi[4];
  const v = readMem(c, SS, lo, hi, size);
  const hiV = c.opHi;
  c.regs[4] = addOffset(lo, hi, size);
  c.regsHi[4] = outHi;
  c.opHi = hiV;
  return v;
}

// ---- instruction fetch

/** Sets RIP; a change of its high half closes the fetch window. */
export function setRip(c: CpuMemory, lo: number, hi: number): void {
  if (hi !== c.ripHi) {
    c.ripHi = hi;
    c.fetchLo = c.fetchHi = 0;
  }
  c.eip = lo >>> 0;
}

/**
 * Opens the fetch window on the page holding RIP in 64-bit mode and returns RIP's physical
 * address. EIP may have run past 2^32 inside an instruction: that byte is fetched, but no
 * window is opened until the next instruction starts with RIP normalised.
 */
export function openFetchWindow64(c: CpuMemory): number {
  const ip = c.eip;
  const over = ip >= P32;
  const lo = over ? ip - P32 : ip;
  const hi = over ? (c.ripHi + 1) | 0 : c.ripHi;
  if (!canonical(hi)) gp(0);
  const phys = translate64(c, lo | 0, hi, false, c.cpl === 3, true);
  const arr = c.mem.directArray(phys);
  if (arr === null || over) {
    c.fetchLo = c.fetchHi = 0;
    c.fetchCode = null;
    return phys;
  }
  const start = ip - (ip & 0xfff);
  c.fetchArr = arr;
  c.fetchLo = start;
  c.fetchHi = start + 0x1000;
  c.fetchDelta = c.mem.directOffset(phys) - start;
  c.fetchPageNo = phys >>> 12;
  c.fetchCode = c.decoded.page(phys >>> 12);
  return phys;
}

/** Brings EIP back below 2^32 (carrying into the high half) at an instruction boundary. */
export function normalizeRip(c: CpuMemory): void {
  if (c.eip >= P32) setRip(c, c.eip - P32, (c.ripHi + 1) | 0);
}

// ---- supervisor accesses to system structures (descriptor tables, the TSS) at 64-bit bases

/** Reads `size` (1, 2 or 4) bytes at linear (baseHi:baseLo) + offset with supervisor privilege. */
export function sysReadAt(c: CpuMemory, baseLo: number, baseHi: number, offset: number, size: number): number {
  const lo = addOffset(baseLo, baseHi, offset);
  const hi = outHi;
  if (hi === 0) return c.readLinSlow(lo, size, false);
  let v = 0;
  for (let i = 0; i < size; i++) {
    const at = addOffset(lo, hi, i);
    v |= c.mem.read8(translate64(c, at, outHi, false, false, false)) << (i * 8);
  }
  return size === 4 ? v : v & 0xffff;
}

/** Writes `size` (1, 2 or 4) bytes at linear (baseHi:baseLo) + offset with supervisor privilege. */
export function sysWriteAt(c: CpuMemory, baseLo: number, baseHi: number, offset: number, size: number, v: number): void {
  const lo = addOffset(baseLo, baseHi, offset);
  const hi = outHi;
  if (hi === 0) {
    c.writeLinSlow(lo, size, v, false);
    return;
  }
  for (let i = 0; i < size; i++) {
    const phys = translate64(c, addOffset(lo, hi, i), outHi, true, false, false);
    c.mem.write8(phys, v >>> (i * 8));
  }
}
