// The TLB for linear pages above 4 GiB (long mode): direct-mapped on bits 12-27 of the address,
// tagged with bits 28-47. Pages below 4 GiB stay in the main TLB, whose fast paths need no tag
// because every address outside 64-bit mode lies there.

const SIZE = 1 << 16;
const TRACKED = 4096;
/** Set in every tag, so that an empty slot (tag 0) never matches. */
const TAG_VALID = 1 << 20;

/** Tag of the page holding hi:lo (a canonical address with hi != 0). */
function tagOf(lo: number, hi: number): number {
  return ((hi & 0xffff) << 4) | (lo >>> 28) | TAG_VALID;
}

/** Cached translations of pages above 4 GiB, in the main TLB's entry format. */
export class HighTlb {
  private readonly entries = new Int32Array(SIZE);
  private readonly tags = new Int32Array(SIZE);
  private readonly filled = new Int32Array(TRACKED);
  private count = 0;

  /** The entry for the page of hi:lo, or 0 when none is cached. */
  get(lo: number, hi: number): number {
    const i = (lo >>> 12) & (SIZE - 1);
    return this.tags[i] === tagOf(lo, hi) ? this.entries[i] : 0;
  }

  /** Caches the entry for the page of hi:lo. */
  set(lo: number, hi: number, entry: number): void {
    const i = (lo >>> 12) & (SIZE - 1);
    if (this.tags[i] === 0) {
      if (this.count < TRACKED) this.filled[this.count] = i;
      this.count++;
    }
    this.tags[i] = tagOf(lo, hi);
    this.entries[i] = entry;
  }

  /** Drops the entry for the page of hi:lo (invlpg). */
  invalidate(lo: number, hi: number): void {
    const i = (lo >>> 12) & (SIZE - 1);
    if (this.tags[i] === tagOf(lo, hi)) this.entries[i] = 0;
  }

  /** Empties the whole TLB. */
  flush(): void {
    if (this.count === 0) return;
    if (this.count > TRACKED) this.tags.fill(0);
    else for (let i = 0; i < this.count; i++) this.tags[this.filled[i]] = 0;
    this.count = 0;
  }
}
