// Segment register loads with the checks of the manuals, and the hidden descriptor caches.
import { CS, DS, EFER_LMA, ES, FS, GS, LDTR, SS } from './constants.ts';
import { Desc, SEG_CODE, SEG_CONFORMING, SEG_EXPAND_DOWN, SEG_READ_WRITE } from './descriptor.ts';
import { CpuFault, gp } from './fault.ts';
import { updateCodeMode } from './long-mode.ts';
import type { CpuMemory } from './mem.ts';
import { addOffset, lastHi, sysReadAt, sysWriteAt } from './mem64.ts';

/** Recomputes the valid read and write offset ranges of a segment from its cache. */
export function refreshSegAccess(c: CpuMemory, seg: number): void {
  const attr = c.segAttr[seg];
  const limit = c.segLimit[seg];
  const type = attr & 0xf;
  let rlo = 0, rhi = limit, wlo = 0, whi = limit;
  if ((attr & 0x80) === 0 || (attr & 0x10) === 0) {
    // Null or unusable: every access faults.
    rlo = wlo = 1;
    rhi = whi = 0;
  } else if (type & SEG_CODE) {
    wlo = 1;
    whi = 0;
    if ((type & SEG_READ_WRITE) === 0) {
      rlo = 1;
      rhi = 0;
    }
  } else {
    if (type & SEG_EXPAND_DOWN) {
      rlo = wlo = limit + 1;
      rhi = whi = attr & 0x4000 ? 0xffffffff : 0xffff;
    }
    if ((type & SEG_READ_WRITE) === 0) {
      wlo = 1;
      whi = 0;
    }
  }
  c.segRLo[seg] = rlo;
  c.segRHi[seg] = rhi;
  c.segWLo[seg] = wlo;
  c.segWHi[seg] = whi;
  c.refreshFlat(seg);
}

/** Fills a segment register's selector and cache from a descriptor (no checks). */
export function setSegCache(c: CpuMemory, seg: number, sel: number, lo: number, hi: number): void {
  c.segSel[seg] = sel & 0xffff;
  c.segBase[seg] = Desc.base(lo, hi);
  c.segBaseHi[seg] = 0;
  c.segLimit[seg] = Desc.limit(lo, hi);
  c.segAttr[seg] = Desc.attr(hi);
  afterCacheChange(c, seg);
}

/** Keeps derived state in step after a segment cache changed. */
export function afterCacheChange(c: CpuMemory, seg: number): void {
  if (seg < 6) refreshSegAccess(c, seg);
  if (seg === CS) {
    updateCodeMode(c);
  } else if (seg === SS) {
    c.stack32 = (c.segAttr[SS] & 0x4000) !== 0;
  }
}

/** Makes a data segment register hold a null selector: any use raises #GP(0). */
export function loadNull(c: CpuMemory, seg: number, sel: number): void {
  c.segSel[seg] = sel & 0xffff;
  c.segBase[seg] = 0;
  c.segBaseHi[seg] = 0;
  c.segLimit[seg] = 0;
  c.segAttr[seg] = 0;
  afterCacheChange(c, seg);
}

/** Real-mode load: base = selector * 16; limit and attributes stay as cached. */
export function loadSegReal(c: CpuMemory, seg: number, sel: number): void {
  c.segSel[seg] = sel & 0xffff;
  c.segBase[seg] = (sel & 0xffff) << 4;
  c.segBaseHi[seg] = 0;
  c.refreshFlat(seg);
  if (seg === CS) c.fetchLo = c.fetchHi = 0;
}

/** High half of the last address descriptorAddress returned (long mode's 64-bit table bases). */
let descriptorHi = 0;

/** Linear address of the descriptor for `sel` (its high half in fetched.addrHi after readDescriptor), or -1 when it lies beyond its table's limit. */
export function descriptorAddress(c: CpuMemory, sel: number): number {
  const index = sel & 0xfff8;
  const ldt = (sel & 4) !== 0;
  if (ldt ? (c.segAttr[LDTR] & 0x80) === 0 || index + 7 > c.segLimit[LDTR] : index + 7 > c.gdtLimit) return -1;
  const lo = addOffset(ldt ? c.segBase[LDTR] : c.gdtBase, ldt ? c.segBaseHi[LDTR] : c.gdtBaseHi, index);
  // Outside long mode linear addresses wrap at 4 GiB.
  descriptorHi = (c.efer & EFER_LMA) !== 0 ? lastHi() : 0;
  return lo;
}

/** The descriptor words last read by readDescriptor (no allocation per load). */
export const fetched = { lo: 0, hi: 0, addr: 0, addrHi: 0 };

/** Reads the descriptor for `sel` into `fetched`; raises #GP(sel) (or `vector`) when out of the table. */
export function readDescriptor(c: CpuMemory, sel: number, vector = 13, ext = 0): void {
  const addr = descriptorAddress(c, sel);
  if (addr === -1) throw new CpuFault(vector, (sel & 0xfffc) | ext);
  fetched.addr = addr;
  fetched.addrHi = descriptorHi;
  fetched.lo = sysReadAt(c, addr, descriptorHi, 0, 4);
  fetched.hi = sysReadAt(c, addr, descriptorHi, 4, 4);
}

/** Sets the accessed bit of the descriptor just read, as the CPU does on every load. */
export function markAccessed(c: CpuMemory): void {
  if ((fetched.hi & 0x100) === 0) {
    fetched.hi |= 0x100;
    sysWriteAt(c, fetched.addr, fetched.addrHi, 5, 1, (fetched.hi >>> 8) & 0xff);
  }
}

/** Loads a data segment register (DS ES FS GS) or SS with every protected-mode check. */
export function loadSegment(c: CpuMemory, seg: number, sel: number): void {
  sel &= 0xffff;
  if (!c.protectedMode()) {
    loadSegReal(c, seg, sel);
    return;
  }
  if (seg === SS) {
    // 64-bit mode allows a null SS below ring 3 when its RPL is the CPL.
    if (c.mode64 !== 0 && (sel & 0xfffc) === 0 && c.cpl < 3 && (sel & 3) === c.cpl) loadNull(c, SS, sel);
    else loadStackSegment(c, sel, c.cpl, 13);
    return;
  }
  if ((sel & 0xfffc) === 0) {
    loadNull(c, seg, sel);
    return;
  }
  readDescriptor(c, sel);
  const { lo, hi } = fetched;
  const type = Desc.type(hi);
  const dpl = Desc.dpl(hi);
  if (!Desc.isCodeOrData(hi)) gp(sel);
  if ((type & SEG_CODE) !== 0 && (type & SEG_READ_WRITE) === 0) gp(sel);
  const conformingCode = (type & (SEG_CODE | SEG_CONFORMING)) === (SEG_CODE | SEG_CONFORMING);
  if (!conformingCode && ((sel & 3) > dpl || c.cpl > dpl)) gp(sel);
  if (!Desc.present(hi)) throw new CpuFault(11, sel & 0xfffc);
  markAccessed(c);
  setSegCache(c, seg, sel, lo, fetched.hi);
}

/** Loads SS for privilege level `cpl`; failures raise `vector` (#GP, or #TS for a TSS stack). */
function loadStackSegment(c: CpuMemory, sel: number, cpl: number, vector: number): void {
  const checked = checkStackSegment(c, sel, cpl, vector);
  setSegCache(c, SS, sel, checked.lo, checked.hi);
}

/** Validates `sel` as the stack segment for `cpl` and returns its descriptor (accessed bit set). */
export function checkStackSegment(c: CpuMemory, sel: number, cpl: number, vector: number): { lo: number; hi: number } {
  if ((sel & 0xfffc) === 0) throw new CpuFault(vector, 0);
  readDescriptor(c, sel, vector);
  const hi = fetched.hi;
  const type = Desc.type(hi);
  if ((sel & 3) !== cpl || !Desc.isCodeOrData(hi) || (type & SEG_CODE) !== 0 || (type & SEG_READ_WRITE) === 0 || Desc.dpl(hi) !== cpl) {
    throw new CpuFault(vector, sel & 0xfffc);
  }
  if (!Desc.present(hi)) throw new CpuFault(12, sel & 0xfffc);
  markAccessed(c);
  return fetched;
}

const DATA_SEGMENTS = [ES, DS, FS, GS];

/** After a return to an outer level: data registers the new CPL may not use become null. */
export function nullInaccessibleSegments(c: CpuMemory): void {
  for (const seg of DATA_SEGMENTS) {
    const attr = c.segAttr[seg];
    const type = attr & 0xf;
    const dpl = (attr >>> 5) & 3;
    const conformingCode = (type & (SEG_CODE | SEG_CONFORMING)) === (SEG_CODE | SEG_CONFORMING);
    if ((attr & 0x10) !== 0 && !conformingCode && dpl < c.cpl) loadNull(c, seg, 0);
  }
}
