// Architectural numbers shared by the CPU's parts: register and segment indexes, EFLAGS and
// control-register bits, exception vectors.

/** General registers in ModRM order (the low 32 bits of RAX..RDI, then R8..R15). */
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

/** Segment registers in the order of the Sreg field of ModRM; LDTR and TR share the arrays. */
export const ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5, LDTR = 6, TR = 7;
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'ldtr', 'tr'] as const;

/** EFLAGS bits. */
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400;
export const OF = 0x800, IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000;
export const VIF = 0x80000, VIP = 0x100000, ID = 0x200000;
/** The six arithmetic flags that the lazy-flag machinery can compute. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;
/** EFLAGS bit 1 always reads as 1. */
export const FLAGS_FIXED = 0x2;

/** CR0 bits. */
export const CR0_PE = 0x1, CR0_MP = 0x2, CR0_EM = 0x4, CR0_TS = 0x8, CR0_ET = 0x10;
export const CR0_WP = 0x10000, CR0_AM = 0x40000, CR0_NW = 0x20000000, CR0_CD = 0x40000000, CR0_PG = 0x80000000 | 0;
/** CR4 bits this CPU implements: time-stamp disable, page-size extensions and PAE (no DE, as CPUID says). */
export const CR4_TSD = 0x4, CR4_PSE = 0x10, CR4_PAE = 0x20;
export const CR4_SUPPORTED = CR4_TSD | CR4_PSE | CR4_PAE;

/** IA32_EFER bits: syscall enable, long mode enable, long mode active (read-only), no-execute enable. */
export const EFER_SCE = 0x1, EFER_LME = 0x100, EFER_LMA = 0x400, EFER_NXE = 0x800;

/** Exception vectors. */
export const DB = 1, DF_VEC = 8;
export const EXCEPTION_NAMES = [
  '#DE', '#DB', 'NMI', '#BP', '#OF', '#BR', '#UD', '#NM', '#DF', 'coprocessor overrun', '#TS', '#NP', '#SS', '#GP', '#PF',
  'reserved 15', '#MF', '#AC', '#MC', '#XM',
];

/** Page-fault error code bits. */
export const PFE_P = 1, PFE_W = 2, PFE_U = 4, PFE_RSVD = 8, PFE_I = 0x10;

/** R11, where syscall saves RFLAGS. */
export const R11 = 11;
