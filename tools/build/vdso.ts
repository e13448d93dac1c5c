// Lays out the vDSO (kernel/arch/i386/vdso.asm, assembled to an ELF32 object) as the small ELF
// shared object Linux maps into every process: ET_DYN linked at address 0, one PT_LOAD over the
// whole image and a PT_DYNAMIC, and the tables a dynamic linker (or the libc's vdso_sym) needs
// to find the exported functions: .dynsym, .dynstr and the SysV .hash. The project's linker has
// no -shared; this image needs none of what makes one hard (no relocations, no PLT, no GOT:
// the code is position-independent), so it is written here directly.
import {
  DT_HASH, DT_NULL, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, ELF32_SIZES, EM_386, ET_DYN, PF_R, PF_X,
  PT_DYNAMIC, PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_DYNAMIC, SHT_DYNSYM, SHT_HASH, SHT_PROGBITS, SHT_STRTAB,
  STB_GLOBAL, STT_FUNC, STT_NOTYPE,
} from '../../machine/formats/elf-constants.ts';
import type { ObjectModule } from '../asm/object.ts';
import { alignUp, RecordWriter } from '../elf/records.ts';
import { StringTable } from '../elf/string-table.ts';
import { VVAR } from '../../kernel/proc/vdso.ts';
import { PAGE_SIZE } from '../../kernel/mm/phys.ts';
import { CLOCK } from '../../kernel/time/clock.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';

/** The shared object's name, as Linux i386 calls its vDSO. */
export const VDSO_SONAME = 'linux-gate.so.1';
/** Where .text starts in the image: after the ELF header and the two program headers. */
export const VDSO_TEXT = alignUp(ELF32_SIZES.ehdr + 2 * ELF32_SIZES.phdr, 16);
/** The symbol the ELF entry point (and so AT_SYSINFO) names. */
const ENTRY_SYMBOL = '__kernel_vsyscall';

/** The image could not be made from the object (a source error the assembler could not see). */
export class VdsoLayoutError extends Error {
  override readonly name = 'VdsoLayoutError';
}

/** The -D definitions vdso.asm is assembled with: its variant, its place in the image, the vvar layout, the numbers it uses. */
export function vdsoDefines(sysenter: boolean): Array<[string, string]> {
  const nr = (name: string): string => String(SYSCALLS.find((s) => s.name === name)!.i386);
  if (VVAR.realtimeNsec !== VVAR.realtimeSec + 4 || VVAR.monotonicNsec !== VVAR.monotonicSec + 4) {
    throw new VdsoLayoutError('vdso.asm reads each clock as two adjacent words: seconds, then nanoseconds');
  }
  return [
    ['SYSENTER', sysenter ? '1' : '0'],
    ['VDSO_TEXT', String(VDSO_TEXT)],
    ['PAGE_SIZE', String(PAGE_SIZE)],
    ['VVAR_SEQ', String(VVAR.seq)],
    ['VVAR_REALTIME_SEC', String(VVAR.realtimeSec)],
    ['VVAR_MONOTONIC_SEC', String(VVAR.monotonicSec)],
    ['__NR_clock_gettime', nr('clock_gettime')],
    ...(['REALTIME', 'MONOTONIC', 'REALTIME_COARSE', 'MONOTONIC_COARSE'] as const).map((c): [string, string] => [`CLOCK_${c}`, String(CLOCK[c])]),
  ];
}

/** Linux's SysV ELF hash of a symbol name (the System V ABI's elf_hash). */
export function elfHash(name: string): number {
  let h = 0;
  for (const byte of new TextEncoder().encode(name)) {
    h = ((h << 4) + byte) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) h ^= g >>> 24;
    h = (h & ~g) >>> 0;
  }
  return h;
}

/** The shared object for the assembled vdso.asm; throws VdsoLayoutError when the code is not position-independent or lacks the entry. */
export function layoutVdso(object: ObjectModule): Uint8Array {
  const text = object.sections.find((s) => s.name === '.text');
  if (!text || object.sections.some((s) => s !== text && s.size > 0)) throw new VdsoLayoutError('vdso.asm must put everything in .text');
  const reloc = text.relocations[0];
  if (reloc) {
    throw new VdsoLayoutError(`vdso.asm: the reference to ${reloc.symbol} at .text+0x${reloc.offset.toString(16)} needs a relocation; the vDSO must be position-independent`);
  }
  const exported = object.symbols.filter((s) => s.binding === 'global' && s.section === '.text');
  const entry = exported.find((s) => s.name === ENTRY_SYMBOL);
  if (!entry) throw new VdsoLayoutError(`vdso.asm defines no global ${ENTRY_SYMBOL}`);

  const SYM = ELF32_SIZES.sym;
  const strings = new StringTable();
  const soname = strings.add(VDSO_SONAME);
  const names = exported.map((s) => strings.add(s.name));
  const dynstr = strings.bytes();
  const symbolCount = exported.length + 1; // and the null symbol
  const buckets = symbolCount;
  const dynamic: Array<[number, number]> = [];

  // Offsets: .text, .hash, .dynsym, .dynstr, .dynamic (the loaded image), then .shstrtab and the section headers.
  const hashAt = alignUp(VDSO_TEXT + text.size, 4);
  const dynsymAt = hashAt + 4 * (2 + buckets + symbolCount);
  const dynstrAt = dynsymAt + symbolCount * SYM;
  const dynamicAt = alignUp(dynstrAt + dynstr.length, 4);
  dynamic.push([DT_SONAME, soname], [DT_HASH, hashAt], [DT_STRTAB, dynstrAt], [DT_SYMTAB, dynsymAt], [DT_STRSZ, dynstr.length], [DT_SYMENT, SYM], [DT_NULL, 0]);
  const loadEnd = dynamicAt + dynamic.length * 8;
  const sectionNames = new StringTable();
  const sections = [
    { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, offset: VDSO_TEXT, size: text.size, link: 0, info: 0, addralign: 16, entsize: 0 },
    { name: '.hash', type: SHT_HASH, flags: SHF_ALLOC, offset: hashAt, size: dynsymAt - hashAt, link: 3, info: 0, addralign: 4, entsize: 4 },
    { name: '.dynsym', type: SHT_DYNSYM, flags: SHF_ALLOC, offset: dynsymAt, size: symbolCount * SYM, link: 4, info: 1, addralign: 4, entsize: SYM },
    { name: '.dynstr', type: SHT_STRTAB, flags: SHF_ALLOC, offset: dynstrAt, size: dynstr.length, link: 0, info: 0, addralign: 1, entsize: 0 },
    { name: '.dynamic', type: SHT_DYNAMIC, flags: SHF_ALLOC | SHF_WRITE, offset: dynamicAt, size: loadEnd - dynamicAt, link: 4, info: 0, addralign: 4, entsize: 8 },
    { name: '.shstrtab', type: SHT_STRTAB, flags: 0, offset: loadEnd, size: 0, link: 0, info: 0, addralign: 1, entsize: 0 },
  ].map((s) => ({ ...s, nameAt: sectionNames.add(s.name) }));
  const shstrtab = sectionNames.bytes();
  sections[sections.length - 1]!.size = shstrtab.length;
  const shoff = alignUp(loadEnd + shstrtab.length, 4);
  const out = new Uint8Array(shoff + (sections.length + 1) * ELF32_SIZES.shdr);
  const w = new RecordWriter(out, 32);
  const view = w.view;

  w.header({ type: ET_DYN, machine: EM_386, entry: BigInt(VDSO_TEXT) + entry.value, phoff: ELF32_SIZES.ehdr, phnum: 2, shoff, shnum: sections.length + 1, shstrndx: sections.length });
  w.programHeader(ELF32_SIZES.ehdr, { type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0n, paddr: 0n, filesz: loadEnd, memsz: BigInt(loadEnd), align: BigInt(PAGE_SIZE) });
  w.programHeader(ELF32_SIZES.ehdr + ELF32_SIZES.phdr, {
    type: PT_DYNAMIC, flags: PF_R, offset: dynamicAt, vaddr: BigInt(dynamicAt), paddr: BigInt(dynamicAt),
    filesz: loadEnd - dynamicAt, memsz: BigInt(loadEnd - dynamicAt), align: 4n,
  });
  out.set(text.data, VDSO_TEXT);

  // .hash: nbucket, nchain, the buckets, the chains (symbol i's successor in its bucket).
  view.setUint32(hashAt, buckets, true);
  view.setUint32(hashAt + 4, symbolCount, true);
  const chainAt = hashAt + 8 + 4 * buckets;
  exported.forEach((s, i) => {
    const index = i + 1;
    const bucket = hashAt + 8 + 4 * (elfHash(s.name) % buckets);
    view.setUint32(chainAt + 4 * index, view.getUint32(bucket, true), true);
    view.setUint32(bucket, index, true);
  });

  exported.forEach((s, i) => w.symbol(dynsymAt + (i + 1) * SYM, {
    name: names[i]!, value: BigInt(VDSO_TEXT) + s.value, size: s.size, binding: STB_GLOBAL,
    type: s.type === 'func' ? STT_FUNC : STT_NOTYPE, sectionIndex: 1,
  }));
  out.set(dynstr, dynstrAt);
  dynamic.forEach(([tag, value], i) => {
    view.setUint32(dynamicAt + 8 * i, tag, true);
    view.setUint32(dynamicAt + 8 * i + 4, value, true);
  });
  out.set(shstrtab, loadEnd);
  sections.forEach((s, i) => w.sectionHeader(shoff + (i + 1) * ELF32_SIZES.shdr, {
    name: s.nameAt, type: s.type, flags: s.flags, addr: BigInt(s.flags & SHF_ALLOC ? s.offset : 0), offset: s.offset,
    size: s.size, link: s.link, info: s.info, addralign: s.addralign, entsize: s.entsize,
  }));
  return out;
}
