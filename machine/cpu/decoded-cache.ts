// Decoded instructions cached per physical code page: each byte offset of a page can hold the
// instruction starting there (its handler, decoder fields, immediates and effective-address
// recipe), so a loop is decoded once. Entries are keyed by physical address, so paging changes
// need no flush; a write to a byte covered by a cached instruction drops the whole page.
import type { PhysicalMemory } from '../memory/physical.ts';
import type { Block } from './blocks.ts';
import { ud } from './fault.ts';
import type { Handler } from './ops/operands.ts';

/** Int32 slots per entry (see the E_* offsets). */
export const STRIDE = 6;
/** Slot 0: table index (9 bits), o32, a32, lock, code32, length (4 bits), valid. */
export const E_META = 0;
/** Slot 1: mod (2 bits), reg (3), rm (3), segment override + 1 (3), rep prefix byte (8). */
export const E_MODRM = 1;
export const E_IMM = 2;
export const E_IMM2 = 3;
/** Slot 4: EA base register + 1 (4 bits), index + 1 (4), scale (2), segment (3), base is ESP. */
export const E_EA = 4;
export const E_DISP = 5;

/** Bit of E_META marking a filled entry, and the shift of the code32 bit checked with it. */
export const META_VALID = 1 << 17;
export const META_CODE32_SHIFT = 12;
/** The entry was decoded in 64-bit mode (decoder64.ts: its other fields are laid out there). */
export const META_64 = 1 << 19;
/** The bits of E_META that must equal the CPU's codeKey for an entry to be used. */
export const META_KEY_MASK = META_VALID | (1 << META_CODE32_SHIFT) | META_64;
export const META_LEN_SHIFT = 13;

/** Pages with cached instructions kept at most; beyond this the cache starts over. */
const MAX_PAGES = 256;

/** The cached instructions of one physical page. */
export class DecodedPage {
  readonly words = new Int32Array(4096 * STRIDE);
  /** Filled with `ud` so the array stays dense; only valid entries' handlers are called. */
  readonly handlers: Handler[] = new Array<Handler>(4096).fill(ud);
  /** The block starting at each offset (blocks.ts), built when execution first arrives there. */
  readonly blocks: Array<Block | null> = new Array<Block | null>(4096).fill(null);
  /** 1 for each byte of the page some cached instruction was decoded from. */
  readonly covered = new Uint8Array(4096);
  /** Whether any entry is filled (so dropping an empty page costs nothing). */
  used = false;

  /** Forgets the blocks (their instructions stay cached). */
  dropBlocks(): void {
    this.blocks.fill(null);
  }

  clear(): void {
    if (!this.used) return;
    this.words.fill(0);
    this.covered.fill(0);
    this.blocks.fill(null);
    this.used = false;
  }
}

/** All decoded pages of one CPU, with the write tracking that keeps them in step with memory. */
export class DecodedCache {
  private readonly pages = new Map<number, DecodedPage>();
  /** Called when cached instructions are dropped, so that a block being run stops after its current instruction. */
  onDrop: () => void = () => {};

  constructor(private readonly mem: PhysicalMemory) {
    mem.onCodeWrite = (phys, size) => this.written(phys, size);
  }

  /** The page object for physical page number `pageNo` (created empty if needed). */
  page(pageNo: number): DecodedPage {
    let p = this.pages.get(pageNo);
    if (p !== undefined) return p;
    if (this.pages.size >= MAX_PAGES) this.dropAll();
    p = new DecodedPage();
    this.pages.set(pageNo, p);
    return p;
  }

  /** Records that bytes [off, off + len) of page `pageNo` now back a cached instruction. */
  cover(p: DecodedPage, pageNo: number, off: number, len: number): void {
    p.used = true;
    p.covered.fill(1, off, off + len);
    this.mem.codePages[pageNo] = 1;
  }

  /** A write of `size` bytes at physical `phys` landed in a page flagged as holding code. */
  written(phys: number, size: number): void {
    const pageNo = phys >>> 12;
    const p = this.pages.get(pageNo);
    if (p === undefined) {
      this.mem.codePages[pageNo] = 0;
      return;
    }
    const off = phys & 0xfff;
    const end = Math.min(off + size, 4096);
    for (let i = off; i < end; i++) {
      if (p.covered[i] !== 0) {
        p.clear();
        this.mem.codePages[pageNo] = 0;
        this.onDrop();
        return;
      }
    }
  }

  /** Forgets every page (the fetch window must be reopened by the caller). */
  dropAll(): void {
    for (const [pageNo, p] of this.pages) {
      p.clear();
      this.mem.codePages[pageNo] = 0;
    }
    this.pages.clear();
    this.onDrop();
  }
}
