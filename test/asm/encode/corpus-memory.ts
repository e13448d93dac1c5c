// Memory operands of the differential corpus: every addressing form of each mode.
import type { Operand } from '../../../tools/asm/instruction.ts';
import type { Bits } from './corpus.ts';

type Mem = Extract<Operand, { kind: 'mem' }>;

/** A memory operand; defaults to `[base]` with the mode's accumulator-sized base register. */
export function mem(bits: Bits, over: Partial<Omit<Mem, 'disp'>> & { disp?: bigint } = {}): Mem {
  const { disp, ...rest } = over;
  const base = bits === 16 ? 'bx' : bits === 32 ? 'ebx' : 'rbx';
  return {
    kind: 'mem', size: null, segment: null, base, index: null, scale: 1,
    disp: { value: disp ?? 0n, reloc: null, known: true }, hasDisp: disp !== undefined,
    dispSize: null, addressing: 'abs', far: false, ...rest,
  };
}

const DISPS: readonly (bigint | undefined)[] = [undefined, 0n, 1n, -1n, 0x7fn, 0x80n, -0x80n, -0x81n, 0x12345678n, 0xffffffffn];
const SCALES = [1, 2, 4, 8] as const;

function forms32(bases: (string | null)[], indexes: string[], bits: Bits): Mem[] {
  const out: Mem[] = [];
  for (const base of bases) {
    for (const index of [null, ...indexes]) {
      for (const scale of index === null ? [1 as const] : SCALES) {
        if (base === null && index === null) continue;
        for (const disp of DISPS) out.push(mem(bits, { base, index, scale, ...(disp === undefined ? {} : { disp }) }));
      }
    }
  }
  return out;
}

/** A handful of addressing forms for instructions whose memory operand is not the point. */
export function sampleMemories(bits: Bits): Mem[] {
  if (bits === 16) return [mem(bits), mem(bits, { base: 'bp', index: 'si', disp: 0x10n }), mem(bits, { base: null, disp: 0x1234n })];
  if (bits === 32) return [mem(bits), mem(bits, { base: 'esp', disp: 8n }), mem(bits, { base: 'ebx', index: 'ecx', scale: 4, disp: 0x1000n })];
  return [mem(bits), mem(bits, { base: 'r12', index: 'r9', scale: 8, disp: 0x100n }), mem(bits, { base: null, disp: 0x40n, addressing: 'rel' })];
}

/** Every addressing form: each base, each index with each scale, displacement sizes, 16-bit forms, RIP. */
export function addressingForms(bits: Bits): Mem[] {
  const out: Mem[] = [];
  const r16 = [null, 'bx', 'bp', 'si', 'di'];
  for (const base of r16) {
    for (const index of [null, 'si', 'di', 'bx', 'bp']) {
      if (base === null && index === null) continue;
      for (const disp of [undefined, 0n, 1n, -1n, 0x7fn, 0x80n, -0x81n, 0xffffn]) {
        out.push(mem(bits, { base, index, ...(disp === undefined ? {} : { disp }) }));
      }
    }
  }
  out.push(mem(bits, { base: 'bx', index: 'si', scale: 2 }), mem(bits, { base: 'bx', disp: 1n, dispSize: 8 }), mem(bits, { base: 'bx', disp: 1n, dispSize: 16 }));
  out.push(...forms32([null, 'eax', 'ecx', 'esp', 'ebp', 'esi'], ['eax', 'ebx', 'ebp', 'edi', 'esp'], bits));
  out.push(mem(bits, { base: 'eax', disp: 1n, dispSize: 8 }), mem(bits, { base: 'eax', disp: 1n, dispSize: 32 }),
    mem(bits, { base: 'ebp', dispSize: 32 }), mem(bits, { base: 'eax', disp: 0x100n, dispSize: 8 }), mem(bits, { base: null, disp: 5n, dispSize: 32 }));
  for (const seg of ['es', 'cs', 'ss', 'ds', 'fs', 'gs']) {
    out.push(mem(bits, { segment: seg }), mem(bits, { segment: seg, base: null, disp: 0x10n }));
  }
  if (bits === 64) {
    out.push(...forms32([null, 'rax', 'rsp', 'rbp', 'r8', 'r12', 'r13', 'r15'], ['rcx', 'rbp', 'r9', 'r12', 'r13', 'rsp'], bits));
    out.push(mem(bits, { base: 'r13d', index: 'r12d', disp: 1n }), mem(bits, { base: 'r8', index: 'eax' }));
    for (const disp of [0n, 0x10n, -0x10n, 0x1000n, -0x100000n]) out.push(mem(bits, { base: null, disp, addressing: 'rel' }));
    out.push(mem(bits, { base: 'rax', disp: 8n, addressing: 'rel' }), mem(bits, { base: null, disp: 0x80000000n }), mem(bits, { base: null, disp: 0x12345678n, dispSize: 64 }));
  }
  return out;
}
