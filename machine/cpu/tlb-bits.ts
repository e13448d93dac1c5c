// Bits of a TLB entry below the physical frame address, shared by the fast path and the walker.

/** The entry is filled. */
export const TLB_VALID = 1;
/** User-mode reads allowed. */
export const TLB_UR = 2;
/** Supervisor writes allowed (and the dirty bit is already set). */
export const TLB_SW = 4;
/** User-mode writes allowed (and the dirty bit is already set). */
export const TLB_UW = 8;
/** The page is RAM, so the fast path may index `ram` directly. */
export const TLB_RAM = 16;
/** Never set in an entry: a mask containing it forces the slow path (alignment checking). */
export const TLB_NEVER = 32;
/** Instruction fetches are not allowed (an XD bit with EFER.NXE): a fetch walks again and faults. */
export const TLB_NOEXEC = 64;
