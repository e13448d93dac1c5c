// Effective addresses: a memory operand -> ModRM.mod/rm, SIB, displacement, REX.X/B and the
// address size, with NASM's choices (esp moved to base, [ebp] with a zero disp8, the shortest
// displacement unless a size is written). The operand is encoded as given: the front end has
// already split [eax*2] into [eax+eax] unless `nosplit` was written, so an index without a base
// here is NASM's nosplit form (SIB, no base, disp32).
import type { Operand, RelocTarget } from '../instruction.ts';
import { registerInfo } from './registers.ts';

export type MemOperand = Extract<Operand, { kind: 'mem' }>;

export interface EffectiveAddress {
  mod: number;
  rm: number;
  /** The SIB byte, or -1 when there is none. */
  sib: number;
  /** Displacement width in bytes (0, 1, 2 or 4). */
  dispBytes: number;
  disp: bigint;
  rexX: number;
  rexB: number;
  addrSize: 16 | 32 | 64;
  /** RIP-relative: the displacement is taken from the end of the instruction. */
  ripRelative: boolean;
  reloc: RelocTarget | null;
}

export type AddressResult = { ok: true; ea: EffectiveAddress } | { ok: false; error: string };

const fail = (error: string): AddressResult => ({ ok: false, error });

/** Wraps `v` to `bits` and reads it back as a signed number. */
export function signedWrap(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

function fitsInt8(v: bigint): boolean {
  return v >= -128n && v <= 127n;
}

/** The address size a memory operand implies in `bits` mode (registers, displacement size, a16/a32/a64). */
export function addressSizeOf(m: MemOperand, bits: 16 | 32 | 64, prefix: 16 | 32 | 64 | null): { ok: true; size: 16 | 32 | 64 } | { ok: false; error: string } {
  let size: number | null = null;
  for (const name of [m.base, m.index]) {
    if (name === null) continue;
    const r = registerInfo(name);
    if (r === undefined || (r.cls !== 'gpr16' && r.cls !== 'gpr32' && r.cls !== 'gpr64')) return { ok: false, error: `invalid ${bits}-bit effective address` };
    if (size !== null && size !== r.size) return { ok: false, error: 'impossible combination of address sizes' };
    size = r.size;
  }
  if (size === null) {
    // In 64-bit mode a dword displacement is the ordinary one: the address stays 64-bit.
    if (m.dispSize === 16 || m.dispSize === 64 || (m.dispSize === 32 && bits !== 64)) size = m.dispSize;
    else size = prefix ?? bits;
  } else if (prefix !== null && prefix !== size) {
    return { ok: false, error: 'impossible combination of address sizes' };
  }
  if ((bits === 64 && size === 16) || (bits !== 64 && size === 64)) return { ok: false, error: 'impossible combination of address sizes' };
  return { ok: true, size: size as 16 | 32 | 64 };
}

/** Encodes memory operand `m` for `bits` mode; `addrSize` comes from addressSizeOf. */
export function encodeAddress(m: MemOperand, bits: 16 | 32 | 64, addrSize: 16 | 32 | 64): AddressResult {
  if (m.dispSize === 64) return fail(`invalid ${bits}-bit effective address`);
  return addrSize === 16 ? encode16(m, bits) : encode32(m, bits, addrSize);
}

function dispChoice(m: MemOperand, wrapBits: number, needsDisp: boolean): number | 'bad' {
  if (m.dispSize === 8) return 1;
  if (m.dispSize !== null) return m.dispSize === wrapBits ? wrapBits / 8 : 'bad';
  if (m.disp.reloc !== null || !m.disp.known) return wrapBits / 8;
  const v = signedWrap(m.disp.value, wrapBits);
  if (v === 0n && !needsDisp) return 0;
  return fitsInt8(v) ? 1 : wrapBits / 8;
}

function modFor(dispBytes: number): number {
  return dispBytes === 0 ? 0 : dispBytes === 1 ? 1 : 2;
}

const RM16: ReadonlyMap<string, number> = new Map([
  ['bx+si', 0], ['bx+di', 1], ['bp+si', 2], ['bp+di', 3], ['si', 4], ['di', 5], ['bp', 6], ['bx', 7],
]);

function encode16(m: MemOperand, bits: 16 | 32 | 64): AddressResult {
  const invalid = `invalid ${bits}-bit effective address`;
  const regs = [m.base, m.index].filter((r): r is string => r !== null);
  if (m.index !== null && m.scale !== 1) return fail(invalid);
  const base: EffectiveAddress = { mod: 0, rm: 6, sib: -1, dispBytes: 2, disp: m.disp.value, rexX: 0, rexB: 0, addrSize: 16, ripRelative: false, reloc: m.disp.reloc };
  if (regs.length === 0) {
    if (m.dispSize === 8) return fail(invalid);
    return { ok: true, ea: base };
  }
  const key = regs.length === 2 ? ([...regs].sort((a, b) => (a === 'bx' || a === 'bp' ? -1 : b === 'bx' || b === 'bp' ? 1 : 0)).join('+')) : regs[0]!;
  const rm = RM16.get(key);
  if (rm === undefined) return fail(invalid);
  const dispBytes = dispChoice(m, 16, rm === 6);
  if (dispBytes === 'bad') return fail(invalid);
  return { ok: true, ea: { ...base, mod: modFor(dispBytes), rm, dispBytes } };
}

function encode32(m: MemOperand, bits: 16 | 32 | 64, addrSize: 32 | 64): AddressResult {
  const invalid = `invalid ${bits}-bit effective address`;
  let base = m.base === null ? null : registerInfo(m.base)!;
  let index = m.index === null ? null : registerInfo(m.index)!;
  const scale: number = m.scale;
  // NASM moves a lone esp/rsp/r12 with scale 1 to the base, even under nosplit.
  if (base === null && index !== null && scale === 1 && (index.num & 7) === 4) [base, index] = [index, null];
  if (index !== null && index.num === 4) {
    if (scale !== 1 || base === null || base.num === 4) return fail(invalid);
    [base, index] = [index, base];
  }
  const ea: EffectiveAddress = { mod: 0, rm: 5, sib: -1, dispBytes: 4, disp: m.disp.value, rexX: 0, rexB: 0, addrSize, ripRelative: false, reloc: m.disp.reloc };
  if (m.dispSize === 16) return fail(invalid);
  if (base === null && index === null) {
    if (bits === 64 && m.dispSize !== 64) {
      if (m.addressing === 'rel') return { ok: true, ea: { ...ea, ripRelative: true } };
      return { ok: true, ea: { ...ea, rm: 4, sib: 0x25 } };
    }
    if (m.dispSize === 8) return fail(invalid);
    return { ok: true, ea };
  }
  const scaleBits = scale === 1 ? 0 : scale === 2 ? 1 : scale === 4 ? 2 : 3;
  if (base === null) {
    const sib = (scaleBits << 6) | ((index!.num & 7) << 3) | 5;
    return { ok: true, ea: { ...ea, rm: 4, sib, rexX: index!.num >> 3 } };
  }
  const dispBytes = dispChoice(m, 32, (base.num & 7) === 5);
  if (dispBytes === 'bad') return fail(invalid);
  const mod = modFor(dispBytes);
  if (index === null && (base.num & 7) !== 4) {
    return { ok: true, ea: { ...ea, mod, rm: base.num & 7, dispBytes, rexB: base.num >> 3 } };
  }
  const indexNum = index === null ? 4 : index.num;
  const sib = (scaleBits << 6) | ((indexNum & 7) << 3) | (base.num & 7);
  return { ok: true, ea: { ...ea, mod, rm: 4, sib, dispBytes, rexX: indexNum >> 3, rexB: base.num >> 3 } };
}
