// Choosing the encoding: which forms accept the operands, how NASM settles the operation size,
// and the shortest of what remains (earlier table order on ties, which is NASM's template order).
import type { EncodeContext, Operand } from '../instruction.ts';
import { signedWrap } from './address.ts';
import { defaultOpSize, emitForm, type EmitResult, type Prefixes } from './emit.ts';
import { CLASS_FAR, CLASS_IMM, CLASS_MEM, modeBit, registerClass, type Form, type OpKind } from './form.ts';
import { IMPLIED_MEMORY_SIZE } from './nasm-forms.ts';
import { registerInfo } from './registers.ts';

type Verdict = 'ok' | 'no' | 'mismatch';

const GPR_CLASSES = new Set(['gpr8', 'gpr16', 'gpr32', 'gpr64']);

function fitsSignedByte(op: Extract<Operand, { kind: 'imm' }>, opSize: number): boolean {
  if (op.value.reloc !== null || !op.value.known) return false;
  const v = signedWrap(op.value.value, Math.min(opSize, 32));
  return v >= -128n && v <= 127n;
}

function matchImm(kind: OpKind, op: Extract<Operand, { kind: 'imm' }>, form: Form): Verdict {
  if (op.jump !== null) return 'no';
  const s = op.size;
  switch (kind.k) {
    case 'imm':
      return s === null || s === kind.size ? 'ok' : 'mismatch';
    case 'simm':
      if (kind.size === 32) return s === null || s === 32 || s === 64 ? 'ok' : 'mismatch';
      if (s === 8) return 'ok';
      if (s !== null && (op.strict || (s !== form.os && !(s === 32 && form.os === 64)))) return 'mismatch';
      return fitsSignedByte(op, form.os) ? 'ok' : 'no';
    case 'one':
      return s === null && op.value.known && op.value.reloc === null && op.value.value === 1n ? 'ok' : 'no';
    default:
      return 'no';
  }
}

function matchMem(kind: OpKind, op: Extract<Operand, { kind: 'mem' }>, form: Form, bits: 16 | 32 | 64): Verdict {
  const farPtr = kind.k === 'mem' && kind.farPtr;
  if (op.far !== farPtr) return 'no';
  switch (kind.k) {
    // NASM's wording: a wrongly sized operand is a "mismatch" only where the template's memory
    // size differs from its register size (r32/m16) or the memory has no plain size (lgdt).
    case 'rm':
      if (op.size === null || op.size === kind.memSize) return 'ok';
      return kind.memSize === kind.size ? 'no' : 'mismatch';
    case 'mem':
      if (op.size === null || kind.anySize) return 'ok';
      if (farPtr) return op.size === form.os ? 'ok' : 'no';
      if (kind.memSize === 0) return 'mismatch';
      return op.size === kind.memSize ? 'ok' : 'no';
    case 'moffs': {
      if (op.base !== null || op.index !== null || op.dispSize === 8) return 'no';
      if (bits === 64 ? op.dispSize !== 64 : op.dispSize === 64) return 'no';
      return op.size === null || op.size === form.traits.accSize ? 'ok' : 'mismatch';
    }
    default:
      return 'no';
  }
}

function matchReg(kind: OpKind, name: string): Verdict {
  const r = registerInfo(name);
  if (r === undefined) return 'no';
  switch (kind.k) {
    case 'rm':
      return GPR_CLASSES.has(r.cls) && kind.regSizes.includes(r.size) ? 'ok' : 'no';
    case 'reg': case 'rrm': case 'ro':
      return GPR_CLASSES.has(r.cls) && r.size === kind.size ? 'ok' : 'no';
    case 'fixed':
      return kind.reg === name ? 'ok' : 'no';
    case 'sreg': case 'cr': case 'dr':
      return r.cls === kind.k ? 'ok' : 'no';
    default:
      return 'no';
  }
}

/** The CLASS_* bit of each operand, for the quick test of matchForm. */
function operandClasses(operands: readonly Operand[]): number[] {
  return operands.map((op) => {
    if (op.kind === 'reg') {
      const r = registerInfo(op.reg);
      return r === undefined ? 0 : registerClass(r.cls, r.size);
    }
    return op.kind === 'mem' ? CLASS_MEM : op.kind === 'imm' ? CLASS_IMM : CLASS_FAR;
  });
}

/** Whether `form` accepts `operands` (ignoring the mode); `classes` from operandClasses. */
function matchForm(form: Form, operands: readonly Operand[], classes: readonly number[], bits: 16 | 32 | 64): Verdict {
  if (form.ops.length !== operands.length) return 'no';
  const acceptsAt = form.traits.accepts;
  for (let i = 0; i < classes.length; i++) if ((acceptsAt[i]! & classes[i]!) === 0) return 'no';
  let verdict: Verdict = 'ok';
  for (let i = 0; i < operands.length; i++) {
    const op = operands[i]!;
    const kind = form.ops[i]!;
    let v: Verdict;
    if (op.kind === 'reg') v = matchReg(kind, op.reg);
    else if (op.kind === 'imm') v = matchImm(kind, op, form);
    else if (op.kind === 'mem') v = matchMem(kind, op, form, bits);
    else v = kind.k !== 'ptr' ? 'no' : farSize(op) === null || farSize(op) === form.os ? 'ok' : 'mismatch';
    if (v === 'no') return 'no';
    if (v === 'mismatch') verdict = 'mismatch';
  }
  if (verdict === 'ok' && bits === 64 && form.name === 'Xchg_r32_EAX' && operands.every((o) => o.kind === 'reg' && o.reg === 'eax')) return 'no';
  return verdict;
}

/**
 * The size keyword of a far pointer (`jmp dword 0x08:start`). The shared Operand type has no
 * field for it yet; the front end passes it as an extra `size` property, read here if present.
 */
function farSize(op: Extract<Operand, { kind: 'far' }>): number | null {
  return 'size' in op && typeof op.size === 'number' ? op.size : null;
}

function fixesSize(op: Operand): boolean {
  if (op.kind === 'reg') return GPR_CLASSES.has(registerInfo(op.reg)?.cls ?? '');
  if (op.kind === 'mem' || op.kind === 'imm') return op.size !== null;
  return farSize(op) !== null;
}

function preferredOpSize(form: Form, bits: 16 | 32 | 64): number {
  if (bits === 64 && form.traits.farMem) return 64;
  return defaultOpSize(form, bits);
}

function sameSize(forms: readonly Form[], sizeAt: (f: Form) => number): boolean {
  for (let i = 1; i < forms.length; i++) if (sizeAt(forms[i]!) !== sizeAt(forms[0]!)) return false;
  return true;
}

/** Settles the operation size NASM's way; returns the remaining forms or an error. */
function settleSize(forms: Form[], operands: readonly Operand[], mnemonic: string, bits: 16 | 32 | 64, pfx: Prefixes): Form[] | string {
  let c = forms;
  // o16/o32 do not choose a far pointer's size, they only add the prefix: NASM's `o32 jmp 8:x` in
  // 16-bit code keeps the 16-bit offset, and in 64-bit mode an unsized m16:xx stays m16:64.
  const farDefault = operands.some((o) => o.kind === 'far') || (bits === 64 && operands.some((o) => o.kind === 'mem' && o.far && o.size === null));
  if (pfx.opSize !== null && !farDefault) {
    const sized = c.filter((f) => f.os === pfx.opSize);
    if (sized.length > 0) c = sized;
  }
  const memIndex = operands.findIndex((o) => o.kind === 'mem' && o.size === null);
  if (memIndex >= 0) {
    const sizeAt = (f: Form): number => {
      const k = f.ops[memIndex]!;
      if (k.k === 'moffs') return f.traits.accSize;
      return k.k === 'rm' || k.k === 'mem' ? k.memSize : 0;
    };
    if (!sameSize(c, sizeAt)) {
      const imm = operands.find((o) => o.kind === 'imm' && o.size !== null && o.size !== 64);
      if (imm !== undefined && imm.kind === 'imm') {
        const bySize = c.filter((f) => sizeAt(f) === imm.size);
        if (bySize.length > 0) c = bySize;
      }
    }
    if (!sameSize(c, sizeAt)) {
      if (mnemonic !== 'call' && mnemonic !== 'jmp') return 'operation size not specified';
      c = c.filter((f) => f.os === preferredOpSize(f, bits));
    }
  }
  const imm = operands.find((o) => o.kind === 'imm');
  if (imm !== undefined && imm.kind === 'imm' && c.some((f) => f.traits.imm64)) {
    // mov r64, imm: the sign-extended imm32 form only when the value fits, and never for `strict qword`.
    const v = imm.value;
    const fits = v.known && v.reloc === null && signedWrap(v.value, 32) === BigInt.asIntN(64, v.value);
    if (!fits || (imm.strict && imm.size === 64)) c = c.filter((f) => !f.traits.simm32);
  }
  if ((pfx.opSize === null || farDefault) && !operands.some(fixesSize)) {
    const byDefault = c.filter((f) => f.os === 0 || f.os === preferredOpSize(f, bits));
    if (byDefault.length > 0) c = byDefault;
  }
  return c;
}

/** Encodes `operands` with the best of `forms` for ctx, or says why none fits. */
export function chooseAndEmit(forms: readonly Form[], mnemonic: string, operands: readonly Operand[], ctx: EncodeContext, pfx: Prefixes): EmitResult {
  const bit = modeBit(ctx.bits);
  // No template pairs an unsized memory operand with a qword immediate.
  const memIndex = operands.findIndex((o) => o.kind === 'mem' && o.size === null);
  if (memIndex >= 0 && operands.some((o) => o.kind === 'imm' && o.size === 64) && forms.some((f) => f.ops[memIndex]?.k === 'rm')) {
    return { ok: false, error: 'operation size not specified' };
  }
  const matched: Form[] = [];
  const classes = operandClasses(operands);
  let otherMode = false;
  let mismatch = false;
  for (const form of forms) {
    const v = matchForm(form, operands, classes, ctx.bits);
    if (v === 'no') continue;
    if (v === 'mismatch') { mismatch = true; continue; }
    if ((form.modes & bit) === 0) { otherMode = true; continue; }
    matched.push(form);
  }
  if (matched.length === 0) {
    if (otherMode) return { ok: false, error: `instruction not supported in ${ctx.bits}-bit mode` };
    const impliedSize = (IMPLIED_MEMORY_SIZE.has(mnemonic) || mnemonic.startsWith('set')) && operands.some((o) => o.kind === 'mem' && o.size !== null);
    return { ok: false, error: mismatch || impliedSize ? 'mismatch in operand sizes' : 'invalid combination of opcode and operands' };
  }
  const settled = settleSize(matched, operands, mnemonic, ctx.bits, pfx);
  if (typeof settled === 'string') return { ok: false, error: settled };
  let best: EmitResult | null = null;
  let firstError: EmitResult | null = null;
  for (const form of settled) {
    const r = emitForm(form, operands, ctx, pfx);
    if (!r.ok) { firstError ??= r; continue; }
    // NASM lists its sign-extended imm8 templates first, so they win ties with the accumulator forms.
    if (best === null || (best.ok && (r.bytes.length < best.bytes.length || (r.bytes.length === best.bytes.length && form.traits.simm8)))) best = r;
  }
  return best ?? firstError ?? { ok: false, error: 'invalid combination of opcode and operands' };
}
