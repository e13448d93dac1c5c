// Builds minimal static ELF32 i386 executables for exec tests: one PT_LOAD segment holding the
// headers and `code`, plus `bss` zero bytes, at 0x08048000 like ld's default.

export const LOAD_BASE = 0x08048000;
const EHDR = 52;
const PHDR = 32;

/** An ET_EXEC EM_386 file whose entry point is the first byte of `code`. */
export function elf32(code: Uint8Array, bss = 0, options: { machine?: number; type?: number; writable?: boolean } = {}): Uint8Array {
  const file = new Uint8Array(EHDR + PHDR + code.length);
  const v = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  v.setUint16(16, options.type ?? 2, true); // e_type
  v.setUint16(18, options.machine ?? 3, true); // e_machine
  v.setUint32(20, 1, true); // e_version
  v.setUint32(24, LOAD_BASE + EHDR + PHDR, true); // e_entry
  v.setUint32(28, EHDR, true); // e_phoff
  v.setUint16(40, EHDR, true); // e_ehsize
  v.setUint16(42, PHDR, true); // e_phentsize
  v.setUint16(44, 1, true); // e_phnum
  v.setUint16(46, 40, true); // e_shentsize
  v.setUint32(EHDR, 1, true); // p_type PT_LOAD
  v.setUint32(EHDR + 4, 0, true); // p_offset
  v.setUint32(EHDR + 8, LOAD_BASE, true); // p_vaddr
  v.setUint32(EHDR + 12, LOAD_BASE, true); // p_paddr
  v.setUint32(EHDR + 16, file.length, true); // p_filesz
  v.setUint32(EHDR + 20, file.length + bss, true); // p_memsz
  v.setUint32(EHDR + 24, options.writable ? 7 : 5, true); // p_flags
  v.setUint32(EHDR + 28, 0x1000, true); // p_align
  file.set(code, EHDR + PHDR);
  return file;
}
