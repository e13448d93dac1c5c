// Relative branches (jmp, call, jcc, loop*, jcxz family): short or near as NASM picks them.
import type { EncodeContext, Operand } from '../instruction.ts';
import { defaultOpSize, emitForm, type EmitResult, type Prefixes } from './emit.ts';
import { modeBit, type Form } from './form.ts';

type ImmOperand = Extract<Operand, { kind: 'imm' }>;

const COUNT_REGISTERS: ReadonlyMap<string, 16 | 32 | 64> = new Map([['cx', 16], ['ecx', 32], ['rcx', 64]]);

/** Whether the instruction is a relative branch to an immediate target that branch.ts encodes. */
export function isRelativeBranch(forms: readonly Form[], operands: readonly Operand[]): boolean {
  const first = operands[0];
  return first !== undefined && first.kind === 'imm' && first.jump !== 'far' && forms.some((f) => f.traits.relBytes > 0);
}

const relBytes = (form: Form): number => form.traits.relBytes;

/** Encodes a relative branch, choosing short when the target is known and near enough or not yet known. */
export function encodeBranch(forms: readonly Form[], operands: readonly Operand[], ctx: EncodeContext, pfx: Prefixes): EmitResult {
  const target = operands[0] as ImmOperand;
  const bit = modeBit(ctx.bits);
  let addrSize: 16 | 32 | 64 | null = pfx.addrSize;
  if (operands.length === 2) {
    const second = operands[1]!;
    const size = second.kind === 'reg' ? COUNT_REGISTERS.get(second.reg) : undefined;
    if (size === undefined || (addrSize !== null && addrSize !== size)) return { ok: false, error: 'invalid combination of opcode and operands' };
    addrSize = size;
  } else if (operands.length !== 1) {
    return { ok: false, error: 'invalid combination of opcode and operands' };
  }
  const inMode = forms.filter((f) => f.traits.relBytes > 0);
  const usable = inMode.filter((f) => {
    if ((f.modes & bit) === 0) return false;
    if (f.os !== (pfx.opSize ?? defaultOpSize(f, ctx.bits))) return false;
    if (f.as !== 0 && f.as !== (addrSize ?? (forms.some((g) => g.as === ctx.bits) ? ctx.bits : f.as))) return false;
    return true;
  });
  // NASM's `short` keyword exists only where a near form does too (jmp, jcc): not for call, loop, jcxz.
  const hasShort = inMode.some((f) => relBytes(f) === 1);
  const hasNear = inMode.some((f) => relBytes(f) > 1);
  if ((target.jump === 'short' && !(hasShort && hasNear)) || (target.jump === 'near' && !hasNear)) {
    return { ok: false, error: 'mismatch in operand sizes' };
  }
  if (usable.length === 0) {
    const elsewhere = inMode.some((f) => (f.modes & bit) === 0);
    return { ok: false, error: elsewhere ? `instruction not supported in ${ctx.bits}-bit mode` : 'invalid combination of opcode and operands' };
  }
  if (operands.length === 2 && usable.every((f) => f.as === 0)) return { ok: false, error: 'invalid combination of opcode and operands' };
  const short = usable.find((f) => relBytes(f) === 1);
  const near = usable.find((f) => relBytes(f) > 1);
  const one = [target];
  const value = target.value;
  const external = value.reloc !== null && !(value.reloc.isSection && value.reloc.symbol === ctx.section);
  if (target.jump === 'near' || (external && near !== undefined)) {
    if (near !== undefined) return emitForm(near, one, ctx, pfx);
  }
  if (short === undefined) return emitForm(near!, one, ctx, pfx);
  const shortResult = emitForm(short, one, ctx, pfx);
  if (!shortResult.ok || !value.known || external) return shortResult;
  const disp = value.value - (ctx.address + BigInt(shortResult.bytes.length));
  if (disp >= -128n && disp <= 127n) return shortResult;
  if (target.jump === 'short' || near === undefined) return { ok: false, error: 'short jump is out of range' };
  return emitForm(near, one, ctx, pfx);
}
