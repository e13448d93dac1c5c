// The assembler's instruction encoder: one parsed NASM instruction -> machine code bytes and the
// fixups of its relocated fields, choosing among encodings exactly as NASM 2.16 does with -Ox.
import type { EncodeContext, EncodeResult, Fixup, Operand, ParsedInstruction } from '../instruction.ts';
import { encodeBranch, isRelativeBranch } from './branch.ts';
import type { Prefixes } from './emit.ts';
import { chooseAndEmit } from './match.ts';
import { registerInfo } from './registers.ts';
import { formsOf } from './table.ts';

const REP: ReadonlyMap<string, number> = new Map([['rep', 0xf3], ['repe', 0xf3], ['repz', 0xf3], ['repne', 0xf2], ['repnz', 0xf2]]);
const SIZE_PREFIX: ReadonlyMap<string, 16 | 32 | 64> = new Map([['o16', 16], ['o32', 32], ['o64', 64], ['a16', 16], ['a32', 32], ['a64', 64]]);
const SEGMENTS = new Set(['es', 'cs', 'ss', 'ds', 'fs', 'gs']);
const O64_BY_NAME = new Set(['retq', 'retnq']);
const VECTOR_REGISTER = /^(st\d?|mm\d|[xyz]mm\d+|k\d)$/;

function parsePrefixes(names: readonly string[], bits: 16 | 32 | 64): Prefixes | string {
  const pfx: Prefixes = { lock: false, rep: 0, segment: null, opSize: null, addrSize: null };
  for (const name of names) {
    if (name === 'lock') pfx.lock = true;
    else if (REP.has(name)) pfx.rep = REP.get(name)!;
    else if (SEGMENTS.has(name)) pfx.segment = name;
    else if (SIZE_PREFIX.has(name)) {
      const size = SIZE_PREFIX.get(name)!;
      if (name === 'a16' && bits === 64) return 'impossible combination of address sizes';
      if (name.startsWith('o')) pfx.opSize = size;
      else pfx.addrSize = size;
    } else {
      return `unknown prefix \`${name}'`;
    }
  }
  return pfx;
}

const knownImm = (value: bigint): Operand => ({
  kind: 'imm', value: { value, reloc: null, known: true }, size: null, strict: false, jump: null,
});

/** NASM's rewrites before matching: two-operand imul, aam/aad defaults, `mov r64, imm` shrinking. */
function rewrite(mnemonic: string, ops: readonly Operand[], bits: 16 | 32 | 64): readonly Operand[] {
  if (mnemonic === 'imul' && ops.length === 2 && ops[0]!.kind === 'reg' && ops[1]!.kind === 'imm') return [ops[0]!, ops[0]!, ops[1]!];
  if ((mnemonic === 'aam' || mnemonic === 'aad') && ops.length === 0) return [knownImm(10n)];
  if (mnemonic === 'mov' && bits === 64 && ops.length === 2) {
    const [dst, src] = ops as [Operand, Operand];
    if (dst.kind === 'reg' && src.kind === 'imm' && !src.strict && (src.size === null || src.size === 64) && src.value.known && src.value.reloc === null) {
      const r = registerInfo(dst.reg);
      const v = src.value.value;
      if (r !== undefined && r.cls === 'gpr64' && v >= 0n && v <= 0xffffffffn) {
        const low = r.num < 8 ? `e${dst.reg.slice(1)}` : `${dst.reg}d`;
        return [{ kind: 'reg', reg: low }, { ...src, size: null }];
      }
    }
  }
  return ops;
}

/** Memory operands that need 64-bit addressing, used outside 64-bit mode: NASM's message, or null. */
function addressesOutside64(operands: readonly Operand[], bits: 16 | 32 | 64): string | null {
  if (bits === 64) return null;
  for (const op of operands) {
    if (op.kind !== 'mem') continue;
    for (const name of [op.base, op.index]) {
      const r = name === null ? undefined : registerInfo(name);
      if (r !== undefined && (r.cls === 'gpr64' || r.num >= 8)) return 'impossible combination of address sizes';
    }
    if (op.dispSize === 64) return 'impossible combination of address sizes';
  }
  return null;
}

/** Encodes one instruction for ctx; pure, never throws, errors worded as NASM's. */
export function encodeInstruction(ins: ParsedInstruction, ctx: EncodeContext): EncodeResult {
  try {
    const pfx = parsePrefixes(ins.prefixes, ctx.bits);
    if (typeof pfx === 'string') return { ok: false, error: pfx };
    const forms = formsOf(ins.mnemonic);
    if (forms.length === 0) return { ok: false, error: `instruction not supported by this assembler: \`${ins.mnemonic}'` };
    if (ctx.bits !== 64 && (pfx.opSize === 64 || pfx.addrSize === 64)) {
      const bit = ctx.bits === 16 ? 1 : 2;
      return { ok: false, error: forms.some((f) => (f.modes & bit) !== 0) ? 'invalid operands in non-64-bit mode' : `instruction not supported in ${ctx.bits}-bit mode` };
    }
    const operands = rewrite(ins.mnemonic, ins.operands, ctx.bits);
    // NASM adds no REX.W for o64 where the name or a register operand already says 64 bits.
    if (pfx.opSize === 64 && (O64_BY_NAME.has(ins.mnemonic) || operands.some((o) => o.kind === 'reg' && registerInfo(o.reg)?.cls === 'gpr64'))) {
      pfx.opSize = null;
    }
    for (const op of operands) {
      if (op.kind !== 'reg' || registerInfo(op.reg) !== undefined) continue;
      if (VECTOR_REGISTER.test(op.reg)) return { ok: false, error: `register \`${op.reg}' is not supported by this assembler (x87, MMX and SSE are not)` };
      return { ok: false, error: 'invalid combination of opcode and operands' };
    }
    const outside64 = addressesOutside64(operands, ctx.bits);
    if (outside64 !== null) return { ok: false, error: outside64 };
    if (isRelativeBranch(forms, operands)) return encodeBranch(forms, operands, ctx, pfx);
    return chooseAndEmit(forms, ins.mnemonic, operands, ctx, pfx);
  } catch (error) {
    return { ok: false, error: `internal error in the instruction encoder: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Flat binary output: writes each fixup's final value into the instruction's bytes, for values
 * whose addend is already the absolute address (a label in bin output). Absolute fields get the
 * addend, pc-relative fields the addend minus the field's own address. NASM gives label values
 * full-size fields in bin output too, so the front end should pass labels with their section as
 * `reloc` and resolve the fixups this way.
 */
export function applyFixupsForBin(bytes: Uint8Array, fixups: readonly Fixup[], address: bigint): void {
  for (const f of fixups) {
    let v = f.pcRelative ? f.addend - (address + BigInt(f.offset)) : f.addend;
    v = BigInt.asUintN(64, v);
    for (let i = 0; i < f.size; i++) {
      bytes[f.offset + i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
}
