// Bits of the per-opcode decode word that the opcode table produces and the decoder reads.

/** A ModRM byte follows the opcode. */
export const D_MODRM = 0x1;
/** First immediate kind in bits 1-3, second in bits 4-6 (IMM_*). */
export const D_IMM1_SHIFT = 1;
export const D_IMM2_SHIFT = 4;
/** The handler is chosen by ModRM.reg (a group opcode). */
export const D_GROUP = 0x80;
/** Per-reg masks (lock, memory-only, group validity) must be checked. */
export const D_CHECK = 0x100;
/** Group 3 (F6/F7): the immediate exists only for reg 0 and 1 (test). */
export const D_IMM_TEST = 0x200;

/** Immediate kinds (0: none). IMM_V (64-bit mode's mov r64, imm64) is 2, 4 or 8 bytes by operand size. */
export const IMM_B = 1, IMM_W = 2, IMM_Z = 3, IMM_MOFFS = 4, IMM_FAR = 5, IMM_V = 6;
/** The ModRM r/m field always names a register, whatever mod says (mov to/from CRn, DRn). */
export const D_REGONLY = 0x400;
/** The table has a row for this opcode. */
export const D_VALID = 0x800;
