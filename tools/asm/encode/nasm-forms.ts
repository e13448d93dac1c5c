// Where NASM's instruction templates differ from the raw opcode table: which encodings it never
// emits, operand sizes it does not prefix, operand orders it also accepts, and its mnemonics that
// name a family of encodings. Every entry is checked against real NASM by the differential corpus.

/** iced-x86 Code names NASM never selects (alias encodings, 8086-only, or forms it rejects). */
export const DROPPED_CODES: ReadonlySet<string> = new Set([
  'Cmpxchg486_rm8_r8', 'Cmpxchg486_rm16_r16', 'Cmpxchg486_rm32_r32', 'Movzx_r16_rm16', 'Movsx_r16_rm16', 'Bswap_r16',
  'Lmsw_r32m16', 'Lmsw_r64m16', 'Verr_r32m16', 'Verr_r64m16', 'Verw_r32m16', 'Verw_r64m16',
  'Lldt_r32m16', 'Lldt_r64m16', 'Ltr_r32m16', 'Ltr_r64m16', 'Arpl_r32m16_r32',
  'Movsxd_r16_rm16', 'Movsxd_r32_rm32',
]);

/** Code name suffixes of alias encodings (82 /n, F6 /1, F7 /1) that NASM never emits. */
export const DROPPED_SUFFIXES: readonly string[] = ['_82', '_F6r1', '_F7r1'];

/** iced-x86 mnemonics outside this encoder's scope or unknown to NASM. */
export const DROPPED_MNEMONICS: ReadonlySet<string> = new Set([
  'sal', 'reservednop', 'undoc', 'umov', 'loadall', 'storeall', 'ibts', 'xbts', 'jmpe', 'altinst', 'rdm',
  'smint', 'dmint', 'cpu_read', 'cpu_write', 'bb0_reset', 'bb1_reset', 'cl1invmb', 'frichop', 'frinear',
  'frint2', 'fnstdw', 'fnstsg', 'fstdw', 'fstsg', 'ftstp', 'rsdc', 'rsldt', 'rsts', 'svdc', 'svldt', 'svts',
  'montmul', 'xsha1', 'xsha256', 'xsha512', 'xsha512_alt', 'xstore', 'xstore_alt', 'xcryptcbc', 'xcryptcfb',
  'xcryptctr', 'xcryptecb', 'xcryptofb', 'ccs_encrypt', 'ccs_hash', 'rdshr', 'wrshr', 'rdudbg', 'wrudbg',
  // Recent extensions NASM 2.16 lacks or encodes differently (CET, PKU, SEV, TDX, Key Locker, RAO...).
  'ptwrite', 'lkgs', 'aadd', 'aand', 'aor', 'axor', 'vmgexit', 'tlbsync', 'tdcall', 'rdpru', 'mcommit', 'invlpgb',
  'encodekey128', 'encodekey256', 'aesencwide128kl', 'aesencwide256kl', 'aesdecwide128kl', 'aesdecwide256kl',
  'wrpkru', 'rdpkru', 'wrmsrns', 'skinit', 'umwait', 'tpause', 'sysretq', 'sysexitq', 'seamret', 'seamops', 'seamcall',
  'rmpupdate', 'rmpquery', 'psmash', 'pbndkb', 'invpcid', 'getsecq', 'eretu', 'erets',
  'rdsspd', 'rdsspq', 'incsspd', 'incsspq', 'wrssd', 'wrssq', 'wrussd', 'wrussq',
]);

/**
 * Encodings whose 16-bit operand is only read by the processor (a selector or the MSW): NASM
 * writes them without an operand-size prefix in every mode.
 */
export const NO_SIZE_PREFIX: ReadonlySet<string> = new Set([
  'Mov_Sreg_rm16', 'Mov_Sreg_r32m16', 'Mov_Sreg_r64m16', 'Mov_r64m16_Sreg',
  'Popw_CS', 'Sldt_r64m16', 'Lldt_rm16', 'Ltr_rm16', 'Verr_rm16', 'Verw_rm16', 'Lmsw_rm16', 'Arpl_rm16_r16',
]);

/** Encodings NASM rejects in 64-bit mode although the processor has them (16-bit near indirect branches). */
export const NOT_IN_64: ReadonlySet<string> = new Set(['Call_rm16', 'Jmp_rm16']);

/** Encodings NASM also emits in 64-bit mode, where the processor raises #UD for them. */
export const ALSO_IN_64: ReadonlySet<string> = new Set(['Salc', 'Popw_CS']);

/** Encodings NASM also accepts with the two operands written the other way round. */
export const SWAPPED_TOO: ReadonlySet<string> = new Set([
  'Xchg_rm8_r8', 'Xchg_rm16_r16', 'Xchg_rm32_r32', 'Xchg_rm64_r64',
  'Xchg_r16_AX', 'Xchg_r32_EAX', 'Xchg_r64_RAX',
  'Test_rm8_r8', 'Test_rm16_r16', 'Test_rm32_r32', 'Test_rm64_r64',
]);

/** Of the swapped pairs, those where NASM prefers the swapped order for register,register. */
export const SWAPPED_FIRST: ReadonlySet<string> = new Set(['Xchg_rm8_r8', 'Xchg_rm16_r16', 'Xchg_rm32_r32', 'Xchg_rm64_r64']);

/** lar/lsl: the source registers NASM accepts with a 32- or 64-bit destination. */
export const SOURCE_REGS_TOO: Readonly<Record<string, readonly number[]>> = {
  Lar_r32_r32m16: [16, 32], Lsl_r32_r32m16: [16, 32], Lar_r64_r64m16: [16, 32, 64], Lsl_r64_r64m16: [16, 32, 64],
};

/** NASM mnemonics that name a family of encodings under other iced-x86 names. */
export const MNEMONIC_CODES: Readonly<Record<string, readonly string[]>> = {
  pusha: ['Pushaw', 'Pushad'], pushaw: ['Pushaw'], pushad: ['Pushad'],
  popa: ['Popaw', 'Popad'], popaw: ['Popaw'], popad: ['Popad'],
  pushf: ['Pushfw', 'Pushfd', 'Pushfq'], pushfw: ['Pushfw'], pushfd: ['Pushfd'], pushfq: ['Pushfq'],
  popf: ['Popfw', 'Popfd', 'Popfq'], popfw: ['Popfw'], popfd: ['Popfd'], popfq: ['Popfq'],
  iret: ['Iretw', 'Iretd', 'Iretq'], iretw: ['Iretw'], iretd: ['Iretd'], iretq: ['Iretq'],
  retn: ['Retnw', 'Retnd', 'Retnq', 'Retnw_imm16', 'Retnd_imm16', 'Retnq_imm16'],
  // NASM's `retw imm16` takes no operand-size prefix in any mode (its `retnw imm16` does).
  retw: ['Retnw', 'Retnw_imm16', 'Retnd_imm16', 'Retnq_imm16'], retnw: ['Retnw', 'Retnw_imm16'], retd: ['Retnd', 'Retnd_imm16'], retnd: ['Retnd', 'Retnd_imm16'],
  retq: ['Retnq', 'Retnq_imm16'], retnq: ['Retnq', 'Retnq_imm16'], int01: ['Int1'], int03: ['Int3'], fwait: ['Wait'],
  retfw: ['Retfw', 'Retfw_imm16'], retfd: ['Retfd', 'Retfd_imm16'], retfq: ['Retfq', 'Retfq_imm16'],
  sysret: ['Sysretd', 'Sysretq'], sysexit: ['Sysexitd', 'Sysexitq'],
  icebp: ['Int1'], xlat: ['Xlat_m8'],
  sal: ['Shl_rm8_1', 'Shl_rm16_1', 'Shl_rm32_1', 'Shl_rm64_1', 'Shl_rm8_CL', 'Shl_rm16_CL', 'Shl_rm32_CL',
    'Shl_rm64_CL', 'Shl_rm8_imm8', 'Shl_rm16_imm8', 'Shl_rm32_imm8', 'Shl_rm64_imm8'],
};

/** Extra encodings a NASM mnemonic accepts beyond its own family. */
export const EXTRA_CODES: Readonly<Record<string, readonly string[]>> = {
  movsx: ['Movsxd_r64_rm32'],
};

/**
 * Mnemonics whose NASM templates take an unsized memory operand with an implied size, so a
 * wrongly sized one is reported as a size mismatch rather than an invalid combination.
 */
export const IMPLIED_MEMORY_SIZE: ReadonlySet<string> = new Set(['lldt', 'ltr', 'verr', 'verw', 'lmsw', 'movzx', 'movsx']);

/** NASM mnemonics that are other spellings of one iced-x86 mnemonic. */
export const MNEMONIC_ALIASES: Readonly<Record<string, string>> = { loopz: 'loope', loopnz: 'loopne' };

/** NASM's alternative condition-code spellings, mapped to the iced-x86 spelling. */
export const CONDITION_ALIASES: Readonly<Record<string, string>> = {
  z: 'e', nz: 'ne', c: 'b', nae: 'b', nc: 'ae', nb: 'ae', na: 'be', nbe: 'a', pe: 'p', po: 'np',
  nge: 'l', nl: 'ge', ng: 'le', nle: 'g',
};
