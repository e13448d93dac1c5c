// The CPU's memory path: segment limit and type checks, linear-to-physical translation through
// a direct-mapped TLB (one Int32Array entry per 4 KiB linear page), fast RAM access, the slow
// path for page-crossing, ROM and device accesses, the instruction-fetch window and the stack.
import { PAGE_RAM, type PhysicalMemory } from '../memory/physical.ts';
import { AC, CR0_AM, CS } from './constants.ts';
import { DecodedCache, type DecodedPage } from './decoded-cache.ts';
import { CpuFault, gp } from './fault.ts';
import { openFetchWindow64 } from './mem64.ts';
import { walk } from './paging.ts';
import { CpuState } from './state.ts';
import { TLB_NEVER, TLB_NOEXEC, TLB_RAM, TLB_SW, TLB_UR, TLB_UW, TLB_VALID } from './tlb-bits.ts';
import { HighTlb } from './tlb-high.ts';

const TLB_TRACKED = 8192;

/**
 * Register and segment numbers of the stack paths, as enum members so that they compile to
 * literals; test/cpu/block-constants.test.ts checks them against constants.ts.
 */
export const enum StackReg {
  ESP = 4,
  SS = 2,
}
const BREAKPOINT_LENGTH = [1, 2, 8, 4];

/** CpuState plus everything that turns a segment:offset into bytes. */
export class CpuMemory extends CpuState {
  readonly mem: PhysicalMemory;
  readonly ram: Uint8Array;
  readonly ramView: DataView;
  /** Indexed by linear page number: physical frame | TLB_* bits, 0 when empty. */
  readonly tlb = new Int32Array(1 << 20);
  /** Translations of linear pages above 4 GiB (long mode). */
  readonly highTlb = new HighTlb();
  private readonly tlbPages = new Int32Array(TLB_TRACKED);
  private tlbCount = 0;
  /** TLB bits a data read / write at the current CPL needs for the fast path. */
  rmask = TLB_VALID | TLB_RAM;
  wmask = TLB_VALID | TLB_SW | TLB_RAM;

  /** Fetch window: EIP values in [fetchLo, fetchHi) are at fetchArr[fetchDelta + eip]. */
  fetchArr: Uint8Array;
  fetchDelta = 0;
  fetchLo = 0;
  fetchHi = 0;
  /** Decoded instructions of the window's physical page (null outside RAM and ROM), and its number. */
  fetchCode: DecodedPage | null = null;
  fetchPageNo = 0;
  readonly decoded: DecodedCache;
  /** The memory's per-page "holds cached code" flags, checked on the write fast path. */
  private readonly codePages: Uint8Array;

  constructor(mem: PhysicalMemory) {
    super();
    this.mem = mem;
    this.ram = mem.ram;
    this.ramView = mem.ramView;
    this.codePages = mem.codePages;
    this.decoded = new DecodedCache(mem);
    this.fetchArr = mem.ram;
    mem.onA20Change(() => this.flushTlb());
  }

  /** Changes CPL and the access masks that depend on it. */
  setCpl(cpl: number): void {
    this.cpl = cpl;
    this.fetchLo = this.fetchHi = 0;
    this.updateAccessMasks();
  }

  /** Whether data accesses are checked for alignment (#AC): CR0.AM, EFLAGS.AC and CPL 3. */
  alignmentChecks = false;
  /** Enabled instruction breakpoints (DR7 R/W = 00), one bit per DR0-DR3. */
  execBreakpoints = 0;
  /** Enabled data breakpoints (DR7 R/W = 01 writes, 11 reads and writes), one bit per DR0-DR3. */
  dataBreakpoints = 0;
  /** DR6 B0-B3 bits of data breakpoints the current instruction hit, reported after it. */
  dataBreakpointHits = 0;

  /** Re-reads DR7 after a write to DR0-DR3 or DR7. I/O breakpoints (R/W = 10) are not offered. */
  updateBreakpoints(): void {
    const dr7 = this.dr[7];
    let exec = 0, data = 0;
    for (let i = 0; i < 4; i++) {
      if (((dr7 >>> (i * 2)) & 3) === 0) continue;
      const rw = (dr7 >>> (16 + i * 4)) & 3;
      if (rw === 0) exec |= 1 << i;
      else if (rw !== 2) data |= 1 << i;
    }
    this.execBreakpoints = exec;
    this.dataBreakpoints = data;
    this.updateAccessMasks();
  }

  /** Recomputes the fast-path masks; call after CPL, CR0.AM or EFLAGS.AC change. */
  updateAccessMasks(): void {
    const user = this.cpl === 3;
    this.alignmentChecks = user && (this.cr0 & CR0_AM) !== 0 && (this.flags & AC) !== 0;
    // With alignment checks or data breakpoints on, TLB_NEVER keeps every access on the slow
    // path, which checks.
    const extra = this.alignmentChecks || this.dataBreakpoints !== 0 ? TLB_NEVER : 0;
    this.rmask = (user ? TLB_VALID | TLB_UR | TLB_RAM : TLB_VALID | TLB_RAM) | extra;
    this.wmask = (user ? TLB_VALID | TLB_UW | TLB_RAM : TLB_VALID | TLB_SW | TLB_RAM) | extra;
  }

  /** The checks of the slow path: alignment (#AC) and data breakpoints. */
  checkSlowAccess(lin: number, size: number, user: boolean, write: boolean): void {
    if (this.alignmentChecks && user && (lin & (size - 1)) !== 0) throw new CpuFault(17, 0);
    if (this.dataBreakpoints !== 0) this.matchDataBreakpoints(lin, size, write);
  }

  private matchDataBreakpoints(lin: number, size: number, write: boolean): void {
    const dr7 = this.dr[7];
    const first = lin >>> 0, last = first + size - 1;
    for (let i = 0; i < 4; i++) {
      if (((this.dataBreakpoints >>> i) & 1) === 0) continue;
      if (((dr7 >>> (16 + i * 4)) & 3) === 1 && !write) continue;
      // LEN 00, 01, 11, 10: 1, 2, 4, 8 bytes; the address is taken aligned to the length.
      const len = BREAKPOINT_LENGTH[(dr7 >>> (18 + i * 4)) & 3];
      const bp = (this.dr[i] & ~(len - 1)) >>> 0;
      if (first <= bp + len - 1 && bp <= last) this.dataBreakpointHits |= 1 << i;
    }
  }

  /** Records a TLB entry so that a flush clears only what was filled. */
  tlbSet(page: number, entry: number): void {
    if (this.tlb[page] === 0) {
      if (this.tlbCount < TLB_TRACKED) this.tlbPages[this.tlbCount] = page;
      this.tlbCount++;
    }
    this.tlb[page] = entry;
  }

  /** Empties the whole TLB (CR3 load, paging mode change, A20 change). */
  flushTlb(): void {
    if (this.tlbCount > TLB_TRACKED) this.tlb.fill(0);
    else for (let i = 0; i < this.tlbCount; i++) this.tlb[this.tlbPages[i]] = 0;
    this.tlbCount = 0;
    this.highTlb.flush();
    this.fetchLo = this.fetchHi = 0;
  }

  /** Drops the TLB entry for one linear address (invlpg). */
  invalidatePage(lin: number): void {
    this.tlb[lin >>> 12] = 0;
    this.fetchLo = this.fetchHi = 0;
  }

  /** Physical address of `lin` for the access, walking the page tables (may throw #PF). */
  translate(lin: number, write: boolean, user: boolean): number {
    const need = TLB_VALID | (write ? (user ? TLB_UW : TLB_SW) : user ? TLB_UR : 0);
    let e = this.tlb[lin >>> 12];
    if ((e & need) !== need) e = walk(this, lin, write, user);
    return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
  }

  /** Physical address of `lin` for an instruction fetch, which also needs the page executable. */
  translateFetch(lin: number, user: boolean): number {
    const need = TLB_VALID | (user ? TLB_UR : 0);
    let e = this.tlb[lin >>> 12];
    if ((e & need) !== need || (e & TLB_NOEXEC) !== 0) e = walk(this, lin, false, user, true);
    return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
  }

  /** Whether the physical page is RAM (for TLB_RAM). */
  isRam(phys: number): boolean {
    return this.mem.pageKind(phys) === PAGE_RAM;
  }

  // ---- linear accesses (privilege of the current CPL unless `user` says otherwise)

  readLinSlow(lin: number, size: number, user: boolean): number {
    this.checkSlowAccess(lin, size, user, false);
    const first = this.translate(lin, false, user);
    if ((lin & 0xfff) + size <= 0x1000) {
      if (size === 1) return this.mem.read8(first);
      if (size === 2) return this.mem.read16(first);
      return this.mem.read32(first);
    }
    const split = 0x1000 - (lin & 0xfff);
    const second = this.translate((lin + split) | 0, false, user);
    let v = 0;
    for (let i = 0; i < size; i++) {
      v |= this.mem.read8(i < split ? first + i : second + (i - split)) << (i * 8);
    }
    return size === 4 ? v : v & 0xffff;
  }

  writeLinSlow(lin: number, size: number, value: number, user: boolean): void {
    this.checkSlowAccess(lin, size, user, true);
    const first = this.translate(lin, true, user);
    if ((lin & 0xfff) + size <= 0x1000) {
      if (size === 1) this.mem.write8(first, value);
      else if (size === 2) this.mem.write16(first, value);
      else this.mem.write32(first, value);
      return;
    }
    const split = 0x1000 - (lin & 0xfff);
    const second = this.translate((lin + split) | 0, true, user);
    for (let i = 0; i < size; i++) {
      this.mem.write8(i < split ? first + i : second + (i - split), value >>> (i * 8));
    }
  }

  rdLin8(lin: number): number {
    const e = this.tlb[lin >>> 12];
    if ((e & this.rmask) === this.rmask) return this.ram[(e & ~0xfff) | (lin & 0xfff)];
    return this.readLinSlow(lin, 1, this.cpl === 3);
  }

  rdLin16(lin: number): number {
    const e = this.tlb[lin >>> 12];
    if ((e & this.rmask) === this.rmask && (lin & 0xfff) !== 0xfff) return this.ramView.getUint16((e & ~0xfff) | (lin & 0xfff), true);
    return this.readLinSlow(lin, 2, this.cpl === 3);
  }

  rdLin32(lin: number): number {
    const e = this.tlb[lin >>> 12];
    if ((e & this.rmask) === this.rmask && (lin & 0xfff) <= 0xffc) return this.ramView.getInt32((e & ~0xfff) | (lin & 0xfff), true);
    return this.readLinSlow(lin, 4, this.cpl === 3);
  }

  wrLin8(lin: number, v: number): void {
    const e = this.tlb[lin >>> 12];
    if ((e & this.wmask) === this.wmask) {
      const p = (e & ~0xfff) | (lin & 0xfff);
      this.ram[p] = v;
      if (this.codePages[p >>> 12] !== 0) this.decoded.written(p, 1);
    } else this.writeLinSlow(lin, 1, v, this.cpl === 3);
  }

  wrLin16(lin: number, v: number): void {
    const e = this.tlb[lin >>> 12];
    if ((e & this.wmask) === this.wmask && (lin & 0xfff) !== 0xfff) {
      const p = (e & ~0xfff) | (lin & 0xfff);
      this.ramView.setUint16(p, v, true);
      if (this.codePages[p >>> 12] !== 0) this.decoded.written(p, 2);
    } else this.writeLinSlow(lin, 2, v, this.cpl === 3);
  }

  wrLin32(lin: number, v: number): void {
    const e = this.tlb[lin >>> 12];
    if ((e & this.wmask) === this.wmask && (lin & 0xfff) <= 0xffc) {
      const p = (e & ~0xfff) | (lin & 0xfff);
      this.ramView.setInt32(p, v, true);
      if (this.codePages[p >>> 12] !== 0) this.decoded.written(p, 4);
    } else this.writeLinSlow(lin, 4, v, this.cpl === 3);
  }

  /**
   * The RAM index for a 4-byte read-modify-write at `lin` when the TLB allows it at the current
   * CPL without a page walk, a dirty-bit update or a page crossing; -1 otherwise.
   */
  ramForWrite32(lin: number): number {
    const e = this.tlb[lin >>> 12];
    if ((e & this.wmask) === this.wmask && (lin & 0xfff) <= 0xffc) return (e & ~0xfff) | (lin & 0xfff);
    return -1;
  }

  /** Stores 4 bytes at a RAM index from ramForWrite32, keeping the decoded cache in step. */
  storeRam32(p: number, v: number): void {
    this.ramView.setInt32(p, v, true);
    if (this.codePages[p >>> 12] !== 0) this.decoded.written(p, 4);
  }

  /** Supervisor-privilege reads and writes, for descriptor tables and the TSS. */
  sysRead8(lin: number): number {
    return this.readLinSlow(lin, 1, false);
  }
  sysRead16(lin: number): number {
    return this.readLinSlow(lin, 2, false);
  }
  sysRead32(lin: number): number {
    return this.readLinSlow(lin, 4, false);
  }
  sysWrite8(lin: number, v: number): void {
    this.writeLinSlow(lin, 1, v, false);
  }
  sysWrite32(lin: number, v: number): void {
    this.writeLinSlow(lin, 4, v, false);
  }

  // ---- segmented accesses: limit and type checks, then the linear path

  /**
   * Segments (bit per register) that are flat for reads / for writes: base 0 and every offset
   * valid, so an access that stays inside one page needs no limit check and its offset is its
   * linear address (one that crosses a page takes the checked path, which also catches 4 GiB wrap).
   */
  flatRead = 0;
  flatWrite = 0;

  /** Recomputes the flat bits of segment `seg` after its base or access ranges changed. */
  refreshFlat(seg: number): void {
    const bit = 1 << seg;
    const base0 = this.segBase[seg] === 0;
    const r = base0 && this.segRLo[seg] === 0 && this.segRHi[seg] === 0xffffffff;
    const w = base0 && this.segWLo[seg] === 0 && this.segWHi[seg] === 0xffffffff;
    this.flatRead = r ? this.flatRead | bit : this.flatRead & ~bit;
    this.flatWrite = w ? this.flatWrite | bit : this.flatWrite & ~bit;
  }

  /** Raises the fault for a failed segment check: #SS(0) for SS, #GP(0) otherwise. */
  segFault(seg: number): never {
    throw new CpuFault(seg === StackReg.SS ? 12 : 13, 0);
  }

  /** Linear address of a `size`-byte read at seg:off, after the limit and type checks. */
  readAddr(seg: number, off: number, size: number): number {
    const o = off >>> 0;
    if (o < this.segRLo[seg] || o + size - 1 > this.segRHi[seg]) this.segFault(seg);
    return (this.segBase[seg] + o) | 0;
  }

  /** Linear address of a `size`-byte write at seg:off, after the limit and type checks. */
  writeAddr(seg: number, off: number, size: number): number {
    if (((this.flatWrite >>> seg) & 1) !== 0 && (off & 0xfff) <= 0x1000 - size) return off;
    const o = off >>> 0;
    if (o < this.segWLo[seg] || o + size - 1 > this.segWHi[seg]) this.segFault(seg);
    return (this.segBase[seg] + o) | 0;
  }

  rd8(seg: number, off: number): number {
    if (((this.flatRead >>> seg) & 1) !== 0) return this.rdLin8(off);
    const o = off >>> 0;
    if (o < this.segRLo[seg] || o > this.segRHi[seg]) this.segFault(seg);
    return this.rdLin8((this.segBase[seg] + o) | 0);
  }

  rd16(seg: number, off: number): number {
    if (((this.flatRead >>> seg) & 1) !== 0 && (off & 0xfff) !== 0xfff) return this.rdLin16(off);
    const o = off >>> 0;
    if (o < this.segRLo[seg] || o + 1 > this.segRHi[seg]) this.segFault(seg);
    return this.rdLin16((this.segBase[seg] + o) | 0);
  }

  rd32(seg: number, off: number): number {
    if (((this.flatRead >>> seg) & 1) !== 0 && (off & 0xfff) <= 0xffc) return this.rdLin32(off);
    const o = off >>> 0;
    if (o < this.segRLo[seg] || o + 3 > this.segRHi[seg]) this.segFault(seg);
    return this.rdLin32((this.segBase[seg] + o) | 0);
  }

  wr8(seg: number, off: number, v: number): void {
    if (((this.flatWrite >>> seg) & 1) !== 0) return this.wrLin8(off, v);
    const o = off >>> 0;
    if (o < this.segWLo[seg] || o > this.segWHi[seg]) this.segFault(seg);
    this.wrLin8((this.segBase[seg] + o) | 0, v);
  }

  wr16(seg: number, off: number, v: number): void {
    if (((this.flatWrite >>> seg) & 1) !== 0 && (off & 0xfff) !== 0xfff) return this.wrLin16(off, v);
    const o = off >>> 0;
    if (o < this.segWLo[seg] || o + 1 > this.segWHi[seg]) this.segFault(seg);
    this.wrLin16((this.segBase[seg] + o) | 0, v);
  }

  wr32(seg: number, off: number, v: number): void {
    if (((this.flatWrite >>> seg) & 1) !== 0 && (off & 0xfff) <= 0xffc) return this.wrLin32(off, v);
    const o = off >>> 0;
    if (o < this.segWLo[seg] || o + 3 > this.segWHi[seg]) this.segFault(seg);
    this.wrLin32((this.segBase[seg] + o) | 0, v);
  }

  // ---- instruction fetch (the decoder reads the window directly; this is its slow path)

  fetch8(): number {
    const ip = this.eip;
    if (ip >= this.fetchLo && ip < this.fetchHi) {
      this.eip = ip + 1;
      return this.fetchArr[this.fetchDelta + ip];
    }
    return this.fetchSlow();
  }

  /** Fetches one byte outside the window, checking the CS limit, and opens a new window. */
  private fetchSlow(): number {
    const ip = this.eip;
    const phys = this.openFetchWindow();
    this.eip = ip + 1;
    if (this.fetchCode === null) return this.mem.read8(phys);
    return this.fetchArr[this.fetchDelta + ip];
  }

  /**
   * Opens the fetch window on the page holding CS:EIP and returns EIP's physical address; the
   * window stays closed (fetchCode null) outside RAM and ROM. Faults as fetching that byte does.
   */
  openFetchWindow(): number {
    if (this.mode64 !== 0) return openFetchWindow64(this);
    const ip = this.eip;
    if (ip > this.segLimit[CS]) gp(0);
    const lin = (this.segBase[CS] + ip) | 0;
    const phys = this.translateFetch(lin, this.cpl === 3);
    const arr = this.mem.directArray(phys);
    if (arr === null) {
      this.fetchLo = this.fetchHi = 0;
      this.fetchCode = null;
      return phys;
    }
    const lo = ip - (lin & 0xfff);
    this.fetchArr = arr;
    this.fetchLo = lo;
    this.fetchHi = Math.min(lo + 0x1000, this.segLimit[CS] + 1);
    this.fetchDelta = this.mem.directOffset(phys) - lo;
    this.fetchPageNo = phys >>> 12;
    this.fetchCode = this.decoded.page(phys >>> 12);
    return phys;
  }

  // ---- stack

  /** The current stack pointer as an offset (SP or ESP by SS.B). */
  sp(): number {
    return this.stack32 ? this.regs[StackReg.ESP] : this.r16[StackReg.ESP * 2];
  }

  /** Sets the stack pointer, touching only SP when SS is a 16-bit segment. */
  setSp(v: number): void {
    if (this.stack32) this.regs[StackReg.ESP] = v;
    else this.r16[StackReg.ESP * 2] = v;
  }

  push16(v: number): void {
    const sp = (this.stack32 ? this.regs[StackReg.ESP] - 2 : (this.regs[StackReg.ESP] - 2) & 0xffff) | 0;
    this.wr16(StackReg.SS, sp, v);
    this.setSp(sp);
  }

  push32(v: number): void {
    const sp = (this.stack32 ? this.regs[StackReg.ESP] - 4 : (this.regs[StackReg.ESP] - 4) & 0xffff) | 0;
    this.wr32(StackReg.SS, sp, v);
    this.setSp(sp);
  }

  pop16(): number {
    const sp = this.sp();
    const v = this.rd16(StackReg.SS, sp);
    this.setSp(sp + 2);
    return v;
  }

  pop32(): number {
    const sp = this.sp();
    const v = this.rd32(StackReg.SS, sp);
    this.setSp(sp + 4);
    return v;
  }
}
