// A saved copy of one segment register's selector and hidden cache, so that multi-step
// operations (interrupt delivery, far calls, iret) can undo their changes when a later step faults.
import type { CpuMemory } from './mem.ts';
import { afterCacheChange } from './segmentation.ts';

/** One segment register's visible and hidden parts. */
export class SegSave {
  private seg = 0;
  private sel = 0;
  private base = 0;
  private limit = 0;
  private attr = 0;

  /** Remembers segment register `seg`. */
  save(c: CpuMemory, seg: number): void {
    this.seg = seg;
    this.sel = c.segSel[seg];
    this.base = c.segBase[seg];
    this.limit = c.segLimit[seg];
    this.attr = c.segAttr[seg];
  }

  /** Puts the remembered register back. */
  restore(c: CpuMemory): void {
    const s = this.seg;
    c.segSel[s] = this.sel;
    c.segBase[s] = this.base;
    c.segLimit[s] = this.limit;
    c.segAttr[s] = this.attr;
    afterCacheChange(c, s);
  }
}
