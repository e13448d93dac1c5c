// Segment descriptors, gates and the TSS as views over their architectural binary format in
// guest memory. A descriptor is read as two 32-bit words: `lo` (bytes 0-3) and `hi` (bytes 4-7).

/** Field accessors for an 8-byte segment or system descriptor (GDT/LDT entry). */
export const Desc = {
  /** Bits 0-15 of lo and 16-19 of hi: the 20-bit limit, in bytes or (G set) 4 KiB units. */
  rawLimit: (lo: number, hi: number): number => (lo & 0xffff) | (hi & 0xf0000),
  /** Bits 16-31 of lo, 0-7 and 24-31 of hi: the 32-bit base address. */
  base: (lo: number, hi: number): number => ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) | 0,
  /** Bits 8-11 of hi: the type (for S=1: bit 3 code, bit 2 conforming/expand-down, bit 1 readable/writable, bit 0 accessed). */
  type: (hi: number): number => (hi >>> 8) & 0xf,
  /** Bit 12 of hi, S: 1 for code/data segments, 0 for system descriptors and gates. */
  isCodeOrData: (hi: number): boolean => (hi & 0x1000) !== 0,
  /** Bits 13-14 of hi: descriptor privilege level. */
  dpl: (hi: number): number => (hi >>> 13) & 3,
  /** Bit 15 of hi, P: present. */
  present: (hi: number): boolean => (hi & 0x8000) !== 0,
  /** Bit 22 of hi, D/B: 32-bit code, 32-bit stack pointer, or 4 GiB expand-down upper bound. */
  big: (hi: number): boolean => (hi & 0x400000) !== 0,
  /** Bit 23 of hi, G: the limit counts 4 KiB units. */
  granular: (hi: number): boolean => (hi & 0x800000) !== 0,
  /** The limit in bytes, scaled by G. */
  limit: (lo: number, hi: number): number => {
    const raw = (lo & 0xffff) | (hi & 0xf0000);
    return (hi & 0x800000) !== 0 ? raw * 4096 + 0xfff : raw;
  },
  /** Hidden-cache attribute word: bits 8-15 and 20-23 of hi (type, S, DPL, P, AVL, L, D/B, G). */
  attr: (hi: number): number => (hi >>> 8) & 0xf0ff,
} as const;

/** Type-field values of code/data segments (S=1). */
export const SEG_CODE = 0x8, SEG_CONFORMING = 0x4, SEG_EXPAND_DOWN = 0x4, SEG_READ_WRITE = 0x2;

/** Type-field values of system descriptors and gates (S=0). */
export const SYS_TSS16 = 1, SYS_LDT = 2, SYS_TSS16_BUSY = 3, SYS_CALL_GATE16 = 4, SYS_TASK_GATE = 5;
export const SYS_INT_GATE16 = 6, SYS_TRAP_GATE16 = 7, SYS_TSS32 = 9, SYS_TSS32_BUSY = 11;
export const SYS_CALL_GATE32 = 12, SYS_INT_GATE32 = 14, SYS_TRAP_GATE32 = 15;

/** Field accessors for a call, interrupt, trap or task gate. */
export const Gate = {
  /** Bits 0-15 of lo and 16-31 of hi: entry offset (16-bit gates use only the low half). */
  offset: (lo: number, hi: number): number => ((lo & 0xffff) | (hi & 0xffff0000)) >>> 0,
  /** Bits 16-31 of lo: target code segment selector (TSS selector for a task gate). */
  selector: (lo: number): number => lo >>> 16,
  /** Bits 0-4 of hi: how many stack parameters a call gate copies on a privilege change. */
  paramCount: (hi: number): number => hi & 0x1f,
  /** Bits 8-11 of hi: gate type (SYS_*). */
  type: (hi: number): number => (hi >>> 8) & 0xf,
  /** Bits 13-14 of hi: the lowest privilege allowed to use the gate. */
  dpl: (hi: number): number => (hi >>> 13) & 3,
  /** Bit 15 of hi: present. */
  present: (hi: number): boolean => (hi & 0x8000) !== 0,
  /** Bit 11 of hi: 32-bit gate (else 16-bit). */
  is32: (hi: number): boolean => (hi & 0x800) !== 0,
} as const;

/** Byte offsets of fields in a 32-bit TSS (104 bytes, then the I/O permission bitmap). */
export const Tss32 = {
  /** Selector of the previous task (for nested task returns). */
  LINK: 0,
  /** Stack for CPL 0: ESP0 then SS0 (16 bits); likewise for rings 1 and 2. */
  ESP0: 4,
  SS0: 8,
  ESP1: 12,
  SS1: 16,
  ESP2: 20,
  SS2: 24,
  CR3: 28,
  EIP: 32,
  EFLAGS: 36,
  /** EAX..EDI saved by a task switch, 4 bytes each starting here. */
  EAX: 40,
  /** ES CS SS DS FS GS selectors, 4 bytes each starting here. */
  ES: 72,
  LDT: 96,
  /** Bit 0: debug trap on task switch. */
  TRAP: 100,
  /** 16 bits: offset of the I/O permission bitmap from the TSS base. */
  IOMAP_BASE: 102,
} as const;

/** Byte offsets of fields in a 16-bit TSS. */
export const Tss16 = {
  LINK: 0,
  /** SP0 then SS0, 2 bytes each; likewise for rings 1 and 2. */
  SP0: 2,
  SS0: 4,
} as const;
