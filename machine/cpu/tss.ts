// Reads from the current task's TSS: the stack pointers for inner privilege levels and the I/O
// permission bitmap.
import { TR } from './constants.ts';
import { SYS_TSS16, SYS_TSS16_BUSY, Tss16, Tss32 } from './descriptor.ts';
import { CpuFault } from './fault.ts';
import type { CpuMemory } from './mem.ts';

const stack = { ss: 0, esp: 0 };

/** SS:ESP for privilege level `dpl` from the TSS; #TS(TR selector) when TR cannot supply them. */
export function readTssStack(c: CpuMemory, dpl: number, ext: number): { ss: number; esp: number } {
  const type = c.segAttr[TR] & 0xf;
  const trError = (c.segSel[TR] & 0xfffc) | ext;
  if ((c.segAttr[TR] & 0x80) === 0 || (c.segSel[TR] & 0xfffc) === 0) throw new CpuFault(10, trError);
  const base = c.segBase[TR];
  if (type === SYS_TSS16 || type === SYS_TSS16_BUSY) {
    const at = Tss16.SP0 + dpl * 4;
    if (at + 3 > c.segLimit[TR]) throw new CpuFault(10, trError);
    stack.esp = c.sysRead16((base + at) | 0);
    stack.ss = c.sysRead16((base + at + 2) | 0);
  } else {
    const at = Tss32.ESP0 + dpl * 8;
    if (at + 5 > c.segLimit[TR]) throw new CpuFault(10, trError);
    stack.esp = c.sysRead32((base + at) | 0);
    stack.ss = c.sysRead16((base + at + 4) | 0);
  }
  return stack;
}

/** Whether the TSS I/O bitmap allows `size` bytes at `port` (CPL > IOPL); a 16-bit TSS allows none. */
export function ioBitmapAllows(c: CpuMemory, port: number, size: number): boolean {
  const type = c.segAttr[TR] & 0xf;
  if ((c.segAttr[TR] & 0x80) === 0 || type === SYS_TSS16 || type === SYS_TSS16_BUSY) return false;
  const limit = c.segLimit[TR];
  if (Tss32.IOMAP_BASE + 1 > limit) return false;
  const mapBase = c.sysRead16((c.segBase[TR] + Tss32.IOMAP_BASE) | 0);
  const byteAt = mapBase + (port >>> 3);
  // Two bytes are always read, as the processor does, so a port range may span a byte boundary.
  if (byteAt + 1 > limit) return false;
  const bits = c.sysRead16((c.segBase[TR] + byteAt) | 0);
  const mask = ((1 << size) - 1) << (port & 7);
  return (bits & mask) === 0;
}
