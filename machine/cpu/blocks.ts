// Blocks: straight-line runs of decoded instructions starting at one offset of a decoded page,
// ending after a control transfer, before an instruction that cannot be cached (one that may
// cross the fetch window's end or does not decode), or at a length cap. A block belongs to its
// page: a write to any byte a cached instruction came from drops the page's blocks with its entries.
import { type BlockWords, Form, type FormFn, Head, Word } from './block-run.ts';
import { calledForm } from './called-forms.ts';
import type { Cpu } from './cpu.ts';
import { type DecodedPage, STRIDE } from './decoded-cache.ts';
import { unpack64 } from './decoder64.ts';
import { endsBlock, formOf } from './fast-forms.ts';
import { Form64 } from './block-run64.ts';
import { formOf64 } from './forms64.ts';
import { CpuFault } from './fault.ts';
import type { Handler } from './ops/operands.ts';

/** Instructions per block at most (the run budget may stop a block earlier). */
const MAX_BLOCK = 64;
/** Bytes the decoder may read for one instruction; instructions starting closer to the window's end are stepped. */
const DECODE_REACH = 32;

/** One block: its instructions' words (Word.Size per instruction), their table handlers, and where it is valid. */
export class Block {
  constructor(
    readonly words: BlockWords,
    /** The opcode table's handler of each instruction (run for Form.Table). */
    readonly handlers: Handler[],
    /** The function running each instruction whose form the run loop does not handle itself. */
    readonly calls: FormFn[],
    /** The page's decoded-cache words, from which Form.Table instructions unpack their fields. */
    readonly entries: Int32Array,
    readonly n: number,
    /** Length in bytes: the block is used only while the fetch window holds all of them. */
    readonly bytes: number,
    /** The code mode the block was decoded under (the CPU's codeKey). */
    readonly key: number,
  ) {}
}

/**
 * The block `page` (the fetch window's, covering [lo, hi)) holds at `eip`, when it was decoded for
 * code mode `key` and lies whole inside the window; else null.
 */
export function blockAt(page: DecodedPage | null, eip: number, lo: number, hi: number, key: number): Block | null {
  if (page === null || eip < lo || eip >= hi) return null;
  const b = page.blocks[eip - lo];
  return b !== null && b.key === key && eip + b.bytes <= hi ? b : null;
}

/**
 * Decodes the block starting at CS:EIP (offset `off` of the fetch window's page) through the
 * decoded cache and records it in the page; null when the first instruction cannot be cached.
 * Decoding ahead raises nothing: an instruction that faults while decoding ends the block before
 * it, and faults when it is reached. EIP is left as it was.
 */
export function buildBlock(c: Cpu, page: DecodedPage, off: number): Block | null {
  const start = c.eip;
  const words = new Int32Array(MAX_BLOCK * Word.Size);
  const handlers: Handler[] = [];
  const calls: FormFn[] = [];
  // 64-bit code: forms64.ts's forms, run by block-run64.ts; its instructions have no called forms.
  const long = c.mode64 !== 0;
  let p = 0;
  try {
    while (handlers.length < MAX_BLOCK && c.eip + DECODE_REACH <= c.fetchHi) {
      const k = (c.eip - c.fetchLo) * STRIDE;
      const handler = c.decodeHandler();
      let form: number;
      if (long) {
        // A hit in the cache leaves a 64-bit entry packed.
        c.entryWords = page.words;
        c.entryAt = k;
        unpack64(c);
        form = formOf64(c, words, p);
      } else {
        form = formOf(c, words, p);
      }
      const regs = ((words[p + Word.A] & 15) << Head.AShift) | ((words[p + Word.B] & 15) << Head.BShift);
      words[p + Word.Head] = form | regs | ((c.eip - start) << Head.EndShift);
      if ((form & Head.FormMask) === Form.Table) words[p + Word.Entry] = k;
      // A 64-bit entry's handler is the one cached with it, which unpacks the entry first.
      handlers.push(long ? page.handlers[k / STRIDE] : handler);
      calls.push(calledForm(long ? Form.Table : form & Head.FormMask));
      p += Word.Size;
      if (endsBlock(c, (form & Head.FormMask) === (long ? Form64.Jcc : Form.Jcc))) break;
    }
  } catch (error) {
    if (!(error instanceof CpuFault)) throw error;
  }
  c.eip = start;
  if (p === 0) return null;
  const block = new Block(Array.from(words.subarray(0, p)), handlers, calls, page.words, p / Word.Size, words[p - Word.Size + Word.Head] >>> Head.EndShift, c.codeKey);
  page.blocks[off] = block;
  return block;
}
