// The instruction table: NASM mnemonic -> its encodings, derived once from iced-x86's opcode
// table (every legacy-encoded general-purpose and system instruction) plus nasm-forms.ts.
import { Code, CodeExt, EncodingKind, MandatoryPrefix, MemorySize, MemorySizeExt, Mnemonic, OpCodeOperandKind, OpCodeTableKind } from 'iced-x86';
import { traitsOf, type Form, type OpKind } from './form.ts';
import {
  CONDITION_ALIASES, DROPPED_CODES, MNEMONIC_ALIASES, DROPPED_MNEMONICS, DROPPED_SUFFIXES, EXTRA_CODES, MNEMONIC_CODES,
  ALSO_IN_64, NO_SIZE_PREFIX, NOT_IN_64, SOURCE_REGS_TOO, SWAPPED_FIRST, SWAPPED_TOO,
} from './nasm-forms.ts';

const K = OpCodeOperandKind;

const FIXED: ReadonlyMap<number, string> = new Map([
  [K.al, 'al'], [K.cl, 'cl'], [K.ax, 'ax'], [K.dx, 'dx'], [K.eax, 'eax'], [K.rax, 'rax'],
  [K.es, 'es'], [K.cs, 'cs'], [K.ss, 'ss'], [K.ds, 'ds'], [K.fs, 'fs'], [K.gs, 'gs'],
]);

const SIZED: ReadonlyMap<number, [OpKind['k'], number]> = new Map([
  [K.r8_or_mem, ['rm', 8]], [K.r16_or_mem, ['rm', 16]], [K.r32_or_mem, ['rm', 32]], [K.r64_or_mem, ['rm', 64]],
  [K.r8_reg, ['reg', 8]], [K.r16_reg, ['reg', 16]], [K.r32_reg, ['reg', 32]], [K.r64_reg, ['reg', 64]],
  [K.r16_rm, ['rrm', 16]], [K.r32_rm, ['rrm', 32]], [K.r64_rm, ['rrm', 64]],
  [K.r8_opcode, ['ro', 8]], [K.r16_opcode, ['ro', 16]], [K.r32_opcode, ['ro', 32]], [K.r64_opcode, ['ro', 64]],
  [K.imm8, ['imm', 8]], [K.imm16, ['imm', 16]], [K.imm32, ['imm', 32]], [K.imm64, ['imm', 64]],
  [K.imm8sex16, ['simm', 8]], [K.imm8sex32, ['simm', 8]], [K.imm8sex64, ['simm', 8]], [K.imm32sex64, ['simm', 32]],
  [K.br16_1, ['rel', 1]], [K.br32_1, ['rel', 1]], [K.br64_1, ['rel', 1]],
  [K.br16_2, ['rel', 2]], [K.br32_4, ['rel', 4]], [K.br64_4, ['rel', 4]],
  [K.farbr2_2, ['ptr', 2]], [K.farbr4_2, ['ptr', 4]],
]);

/** Operands NASM's string-instruction mnemonics leave implicit (movsb, outsw, xlatb...). */
const IMPLICIT: ReadonlySet<number> = new Set([K.seg_rSI, K.es_rDI, K.seg_rDI, K.seg_rBX_al]);

const PLAIN_MEMORY = /^U?Int(8|16|32|64|128)$/;

function memoryBits(memorySize: MemorySize): { bits: number; plain: boolean } {
  const plain = PLAIN_MEMORY.test(MemorySize[memorySize] ?? '');
  return { bits: plain ? MemorySizeExt.size(memorySize) * 8 : 0, plain };
}

function operandKind(kind: OpCodeOperandKind, memorySize: MemorySize, code: string): OpKind | null {
  const fixed = FIXED.get(kind);
  if (fixed !== undefined) return { k: 'fixed', reg: fixed };
  const sized = SIZED.get(kind);
  if (sized !== undefined) {
    const [k, size] = sized;
    switch (k) {
      case 'rm': {
        const mem = memoryBits(memorySize).bits || size;
        const regSizes = SOURCE_REGS_TOO[code] ?? [size];
        return { k, size, memSize: mem, regSizes };
      }
      case 'reg': case 'rrm': case 'ro': case 'imm': case 'simm': return { k, size };
      case 'rel': case 'ptr': return { k, bytes: size };
      default: return null;
    }
  }
  switch (kind) {
    case K.mem: {
      const m = memoryBits(memorySize);
      return { k: 'mem', memSize: m.bits, farPtr: /^(Call|Jmp)_m16/.test(code), anySize: /^Lea_/.test(code) };
    }
    case K.mem_offs: return { k: 'moffs' };
    case K.seg_reg: return { k: 'sreg' };
    case K.cr_reg: return { k: 'cr' };
    case K.dr_reg: return { k: 'dr' };
    case K.imm8_const_1: return { k: 'one' };
    default: return null;
  }
}

const ESCAPES: Readonly<Record<number, number[]>> = {
  [OpCodeTableKind.Normal]: [], [OpCodeTableKind.T0F]: [0x0f], [OpCodeTableKind.T0F38]: [0x0f, 0x38], [OpCodeTableKind.T0F3A]: [0x0f, 0x3a],
};

const MANDATORY: Readonly<Record<number, number>> = {
  [MandatoryPrefix.None]: 0, [MandatoryPrefix.PNP]: 0, [MandatoryPrefix.P66]: 0x66, [MandatoryPrefix.PF3]: 0xf3, [MandatoryPrefix.PF2]: 0xf2,
};

function formOf(code: Code, name: string): Form | null {
  const info = CodeExt.opCode(code);
  try {
    if (info.encoding !== EncodingKind.Legacy || !info.isInstruction || info.fwait) return null;
    const escape = ESCAPES[info.table];
    if (escape === undefined) return null;
    const kinds: OpKind[] = [];
    let implicit = false;
    for (let i = 0; i < info.opCount; i++) {
      const raw = info.opKind(i);
      if (IMPLICIT.has(raw)) { implicit = true; continue; }
      const kind = operandKind(raw, info.memorySize, name);
      if (kind === null) return null;
      kinds.push(kind);
    }
    const opcodeBytes = info.opCodeLength === 2 ? [info.opCode >> 8, info.opCode & 0xff] : [info.opCode];
    const opString = info.opCodeString;
    const os = NO_SIZE_PREFIX.has(name) ? 0 : info.operandSize;
    const ops = implicit ? [] : kinds;
    return {
      name,
      mnemonic: Mnemonic[info.mnemonic].toLowerCase(),
      ops,
      os: os as Form['os'],
      as: info.addressSize as Form['as'],
      default64: info.defaultOpSize64 || info.forceOpSize64,
      modes: (info.mode16 ? 1 : 0) | (info.mode32 ? 2 : 0) | ((info.mode64 && !NOT_IN_64.has(name)) || ALSO_IN_64.has(name) ? 4 : 0),
      mandatory: MANDATORY[info.mandatoryPrefix] ?? 0,
      opcode: [...escape, ...opcodeBytes],
      hasModrm: /\/[r0-7]/.test(opString),
      digit: info.groupIndex,
      traits: traitsOf(ops),
    };
  } finally {
    info.free();
  }
}

function swapped(form: Form): Form {
  const ops = [form.ops[1]!, form.ops[0]!];
  return { ...form, ops, traits: traitsOf(ops) };
}

function build(): Map<string, Form[]> {
  const byName = new Map<string, Form>();
  const byMnemonic = new Map<string, Form[]>();
  for (const name of Object.keys(Code)) {
    const code = (Code as unknown as Record<string, number>)[name];
    if (typeof code !== 'number' || DROPPED_CODES.has(name) || DROPPED_SUFFIXES.some((s) => name.endsWith(s))) continue;
    const form = formOf(code, name);
    if (form === null) continue;
    byName.set(name, form);
    if (DROPPED_MNEMONICS.has(form.mnemonic) || form.mnemonic.startsWith('f')) continue;
    const list = byMnemonic.get(form.mnemonic) ?? [];
    if (SWAPPED_TOO.has(name) && SWAPPED_FIRST.has(name)) list.push(swapped(form), form);
    else if (SWAPPED_TOO.has(name)) list.push(form, swapped(form));
    else list.push(form);
    byMnemonic.set(form.mnemonic, list);
  }
  for (const [mnemonic, names] of Object.entries(MNEMONIC_CODES)) {
    byMnemonic.set(mnemonic, names.map((n) => ({ ...byName.get(n)!, mnemonic })));
  }
  for (const [mnemonic, names] of Object.entries(EXTRA_CODES)) {
    byMnemonic.get(mnemonic)!.push(...names.map((n) => ({ ...byName.get(n)!, mnemonic })));
  }
  return byMnemonic;
}

let table: Map<string, Form[]> | undefined;

/** The encodings of a NASM mnemonic (condition-code aliases resolved); empty when unknown. */
export function formsOf(mnemonic: string): readonly Form[] {
  table ??= build();
  return table.get(mnemonic) ?? table.get(canonicalMnemonic(mnemonic)) ?? [];
}

/** Every mnemonic the encoder knows, for tests and benchmarks. */
export function knownMnemonics(): string[] {
  table ??= build();
  return [...table.keys()];
}

/** `jz` -> `je`, `setnae` -> `setb`, `loopz` -> `loope`; other mnemonics unchanged. */
export function canonicalMnemonic(mnemonic: string): string {
  if (Object.hasOwn(MNEMONIC_ALIASES, mnemonic)) return MNEMONIC_ALIASES[mnemonic]!;
  for (const head of ['j', 'set', 'cmov']) {
    if (mnemonic.startsWith(head)) {
      const cc = mnemonic.slice(head.length);
      if (Object.hasOwn(CONDITION_ALIASES, cc)) return head + CONDITION_ALIASES[cc]!;
    }
  }
  return mnemonic;
}
