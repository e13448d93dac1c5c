// Bytes of one chosen encoding: prefixes in NASM's order (lock/rep, segment, 66, 67, mandatory
// prefix, REX), opcode, ModRM/SIB/displacement, immediates, and the fixups of relocated fields.
import type { EncodeContext, Fixup, Operand, RelocTarget, Value } from '../instruction.ts';
import { addressSizeOf, encodeAddress, type EffectiveAddress, type MemOperand } from './address.ts';
import type { Form } from './form.ts';
import { registerInfo, SEGMENT_PREFIX } from './registers.ts';

/** The prefixes written before the mnemonic, decoded. */
export interface Prefixes {
  lock: boolean;
  /** F2 or F3, or 0. */
  rep: number;
  segment: string | null;
  opSize: 16 | 32 | 64 | null;
  addrSize: 16 | 32 | 64 | null;
}

export type EmitResult = { ok: true; bytes: Uint8Array; fixups: Fixup[] } | { ok: false; error: string };

interface Field {
  offset: number;
  bytes: number;
  value: Value;
  signed: boolean;
  /** Relative to the end of the instruction (branches, RIP-relative). */
  pcRelative: boolean;
}

/** The operand size an encoding gets in `bits` mode without any prefix. */
export function defaultOpSize(form: Form, bits: 16 | 32 | 64): number {
  if (bits === 64) return form.default64 ? 64 : 32;
  return bits;
}

/** Encodes `operands` with `form` at ctx; the form must already have been matched to them. */
export function emitForm(form: Form, operands: readonly Operand[], ctx: EncodeContext, pfx: Prefixes): EmitResult {
  const bits = ctx.bits;
  let rexW = 0, rexR = 0, rexX = 0, rexB = 0;
  let forceRex = false;
  let highByte = false;
  let regField = form.digit >= 0 ? form.digit : 0;
  let opcodeAdd = 0;
  let modrmRm = -1;
  let ea: EffectiveAddress | null = null;
  let mem: MemOperand | null = null;
  const fields: Field[] = [];
  const late: { kind: Form['ops'][number]; op: Operand }[] = [];

  for (let i = 0; i < form.ops.length; i++) {
    const kind = form.ops[i]!;
    const op = operands[i]!;
    switch (kind.k) {
      case 'reg': case 'sreg': case 'cr': case 'dr': {
        const r = registerInfo((op as { reg: string }).reg)!;
        forceRex ||= r.needsRex;
        highByte ||= r.highByte;
        regField = r.num & 7;
        rexR = r.num >> 3;
        break;
      }
      case 'rm': case 'rrm':
        if (op.kind === 'reg') {
          const r = registerInfo(op.reg)!;
          forceRex ||= r.needsRex;
          highByte ||= r.highByte;
          modrmRm = r.num & 7;
          rexB = r.num >> 3;
        } else {
          mem = op as MemOperand;
        }
        break;
      case 'mem':
        mem = op as MemOperand;
        break;
      case 'ro': {
        const r = registerInfo((op as { reg: string }).reg)!;
        forceRex ||= r.needsRex;
        highByte ||= r.highByte;
        opcodeAdd = r.num & 7;
        rexB = r.num >> 3;
        break;
      }
      case 'fixed': {
        const r = registerInfo((op as { reg: string }).reg)!;
        forceRex ||= r.needsRex;
        highByte ||= r.highByte;
        break;
      }
      case 'moffs':
        mem = op as MemOperand;
        break;
      default:
        late.push({ kind, op });
    }
  }

  // Each mode's default address size equals its bit width.
  let addrSize: 16 | 32 | 64 = pfx.addrSize ?? (form.as !== 0 ? form.as : bits);
  if (mem !== null) {
    const size = addressSizeOf(mem, bits, pfx.addrSize);
    if (!size.ok) return size;
    addrSize = size.size;
    if (!form.traits.moffs) {
      const enc = encodeAddress(mem, bits, addrSize);
      if (!enc.ok) return enc;
      ea = enc.ea;
      rexX = ea.rexX;
      rexB = ea.rexB;
    }
  }

  // An o16/o32/o64 prefix takes the operand-size prefix slot; REX.W stays with the encoding unless
  // o64 asks for it (NASM: o16 movsq = 66 48 A5, o64 cbw = 48 98, o64 pushf = 48 9C).
  const opSize: number = pfx.opSize ?? form.os;
  const out: number[] = [];
  // CR8 outside 64-bit mode: AMD's alternative encoding puts LOCK where REX.R would go.
  const lockForCr8 = rexR === 1 && bits !== 64 && form.traits.controlReg;
  if (lockForCr8) rexR = 0;
  if (pfx.lock || lockForCr8) out.push(0xf0);
  if (pfx.rep !== 0) out.push(pfx.rep);
  const segment = mem?.segment ?? pfx.segment;
  if (segment !== null) {
    const prefix = SEGMENT_PREFIX.get(segment);
    if (prefix === undefined) return { ok: false, error: `invalid segment override \`${segment}'` };
    out.push(prefix);
  }
  if ((opSize === 16 && bits !== 16) || (opSize === 32 && bits === 16)) out.push(0x66);
  if (addrSize !== bits) out.push(0x67);
  if (form.mandatory !== 0) out.push(form.mandatory);
  if (pfx.opSize === 64 || (form.os === 64 && !form.default64)) rexW = 1;
  const rex = (rexW << 3) | (rexR << 2) | (rexX << 1) | rexB;
  if (rex !== 0 || forceRex) {
    if (highByte) return { ok: false, error: 'cannot use high byte register in rex instruction' };
    if (bits !== 64) return { ok: false, error: 'invalid operands in non-64-bit mode' };
    out.push(0x40 | rex);
  }
  const opcode = form.opcode;
  for (let i = 0; i < opcode.length - 1; i++) out.push(opcode[i]!);
  out.push(opcode[opcode.length - 1]! + opcodeAdd);

  if (form.hasModrm) {
    if (ea !== null) {
      out.push((ea.mod << 6) | (regField << 3) | ea.rm);
      if (ea.sib >= 0) out.push(ea.sib);
      if (ea.dispBytes > 0) {
        fields.push({ offset: out.length, bytes: ea.dispBytes, value: mem!.disp, signed: ea.addrSize === 64 || ea.ripRelative, pcRelative: ea.ripRelative });
        for (let i = 0; i < ea.dispBytes; i++) out.push(0);
      }
    } else {
      out.push(0xc0 | (regField << 3) | (modrmRm & 7));
    }
  } else if (mem !== null && form.traits.moffs) {
    const bytes = addrSize / 8;
    fields.push({ offset: out.length, bytes, value: mem.disp, signed: false, pcRelative: false });
    for (let i = 0; i < bytes; i++) out.push(0);
  }

  for (const { kind, op } of late) {
    if (kind.k === 'imm' || kind.k === 'simm') {
      const v = (op as { value: Value }).value;
      fields.push({ offset: out.length, bytes: kind.size / 8, value: v, signed: kind.k === 'simm', pcRelative: false });
      for (let i = 0; i < kind.size / 8; i++) out.push(0);
    } else if (kind.k === 'ptr' && op.kind === 'far') {
      fields.push({ offset: out.length, bytes: kind.bytes, value: op.offset, signed: false, pcRelative: false });
      for (let i = 0; i < kind.bytes; i++) out.push(0);
      fields.push({ offset: out.length, bytes: 2, value: op.segment, signed: false, pcRelative: false });
      out.push(0, 0);
    } else if (kind.k === 'rel') {
      fields.push({ offset: out.length, bytes: kind.bytes, value: (op as { value: Value }).value, signed: true, pcRelative: true });
      for (let i = 0; i < kind.bytes; i++) out.push(0);
    }
  }
  return finish(out, fields, ctx);
}

function isLocal(reloc: RelocTarget | null, ctx: EncodeContext): boolean {
  return reloc !== null && reloc.isSection && reloc.symbol === ctx.section;
}

/** Fills the value fields of `out`, turning relocated values into fixups. */
function finish(out: number[], fields: readonly Field[], ctx: EncodeContext): EmitResult {
  const bytes = new Uint8Array(out);
  const fixups: Fixup[] = [];
  const end = ctx.address + BigInt(bytes.length);
  for (const f of fields) {
    let v = f.value.value;
    const reloc = f.value.reloc;
    if (f.pcRelative) {
      if (reloc === null || isLocal(reloc, ctx)) {
        v -= end;
      } else {
        fixups.push({ offset: f.offset, size: f.bytes as Fixup['size'], pcRelative: true, signed: true, target: reloc, addend: v - BigInt(bytes.length - f.offset) });
        v = 0n;
      }
    } else if (reloc !== null) {
      fixups.push({ offset: f.offset, size: f.bytes as Fixup['size'], pcRelative: false, signed: f.signed, target: reloc, addend: v });
      v = 0n;
    }
    writeLittle(bytes, f.offset, f.bytes, v);
  }
  return { ok: true, bytes, fixups };
}

function writeLittle(bytes: Uint8Array, offset: number, size: number, v: bigint): void {
  if (size <= 4) {
    let n = Number(BigInt.asUintN(32, v));
    for (let i = 0; i < size; i++) {
      bytes[offset + i] = n & 0xff;
      n = Math.floor(n / 256);
    }
    return;
  }
  const u = BigInt.asUintN(64, v);
  writeLittle(bytes, offset, 4, u & 0xffffffffn);
  writeLittle(bytes, offset + 4, 4, u >> 32n);
}
