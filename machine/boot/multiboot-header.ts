// The Multiboot v1 header of a kernel image: where it is, what it asks of the boot loader,
// and where the a.out-kludge address fields say to load the file.

/** The header magic a kernel puts in its first 8 KiB. */
export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
/** What the boot loader leaves in EAX for the kernel. */
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;

/** Requirement bits of the header's flags (bits 0-15 must all be understood). */
export const HeaderFlag = {
  /** Modules must be loaded on 4 KiB boundaries. */
  PageAlignModules: 1 << 0,
  /** The info structure must carry mem_lower/mem_upper (and the memory map if possible). */
  MemoryInfo: 1 << 1,
  /** The kernel would like a video mode; a loader may ignore the preference. */
  VideoMode: 1 << 2,
  /** The address fields (header_addr .. entry_addr) are valid: the a.out kludge. */
  AddressFields: 1 << 16,
} as const;

const UNDERSTOOD_REQUIREMENTS = HeaderFlag.PageAlignModules | HeaderFlag.MemoryInfo | HeaderFlag.VideoMode;
const SEARCH_LIMIT = 8192;

/** A malformed or unsupported boot image; the message names what is wrong. */
export class BootImageError extends Error {
  override name = 'BootImageError';
}

/** The a.out-kludge fields: where the image is loaded and entered. */
export interface AddressFields {
  headerAddr: number;
  loadAddr: number;
  /** 0 means: load up to the end of the file. */
  loadEndAddr: number;
  /** 0 means: no bss to clear. */
  bssEndAddr: number;
  entryAddr: number;
}

/** A decoded Multiboot header. */
export interface MultibootHeader {
  /** Byte offset of the header in the file. */
  offset: number;
  flags: number;
  /** Present when the AddressFields flag is set. */
  address: AddressFields | null;
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** Finds and checks the Multiboot header; throws BootImageError naming the problem. */
export function findMultibootHeader(image: Uint8Array): MultibootHeader {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const limit = Math.min(SEARCH_LIMIT, image.byteLength) - 12;
  for (let offset = 0; offset <= limit; offset += 4) {
    if (view.getUint32(offset, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = view.getUint32(offset + 4, true);
    const checksum = view.getUint32(offset + 8, true);
    if (((MULTIBOOT_HEADER_MAGIC + flags + checksum) >>> 0) !== 0) {
      throw new BootImageError(
        `Multiboot header at offset ${hex(offset)} has a bad checksum ${hex(checksum)} (magic + flags + checksum must be 0)`,
      );
    }
    const unknown = flags & 0xffff & ~UNDERSTOOD_REQUIREMENTS;
    if (unknown !== 0) {
      throw new BootImageError(`Multiboot header requires features this loader does not know (flags bits ${hex(unknown)})`);
    }
    if (!(flags & HeaderFlag.AddressFields)) return { offset, flags, address: null };
    if (offset + 32 > image.byteLength) {
      throw new BootImageError(`Multiboot header at offset ${hex(offset)} is cut off before its address fields`);
    }
    const field = (index: number): number => view.getUint32(offset + 12 + 4 * index, true);
    return {
      offset,
      flags,
      address: { headerAddr: field(0), loadAddr: field(1), loadEndAddr: field(2), bssEndAddr: field(3), entryAddr: field(4) },
    };
  }
  throw new BootImageError('no Multiboot header (magic 0x1badb002) in the first 8 KiB of the image');
}
