// Where the pieces of a Multiboot boot go in guest RAM: the kernel's loadable bytes, its bss,
// the modules after it, and the checks that reject an image before any guest instruction runs.
import { BootImageError, type MultibootHeader } from './multiboot-header.ts';

/** One contiguous piece of guest RAM the loader fills: `data`, then `zeroBytes` of zeros. */
export interface LoadSegment {
  /** Physical address of the first byte. */
  address: number;
  data: Uint8Array;
  zeroBytes: number;
  /** What it is, for error messages: `kernel`, `kernel bss`, `module 1`, ... */
  what: string;
}

/** The kernel's memory image and entry point. */
export interface KernelLoad {
  segments: LoadSegment[];
  /** Physical address the boot code jumps to. */
  entry: number;
}

/**
 * Physical ranges a loaded image may not touch on this PC: the VGA window, where its bytes would
 * land on the screen. Bytes aimed at the boot ROM below 1 MiB are dropped as the ROM ignores
 * writes; that happens to the ELF headers ld places at 0xff000 for `-Ttext 0x100000`, which
 * QEMU's loader also accepts.
 */
export const RESERVED_RANGES: readonly { start: number; end: number; what: string }[] = [
  { start: 0xa0000, end: 0xc0000, what: 'the VGA window (0xa0000-0xbffff)' },
];

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** The load described by the a.out-kludge address fields; throws BootImageError when inconsistent. */
export function planAddressFieldLoad(image: Uint8Array, header: MultibootHeader): KernelLoad {
  const fields = header.address;
  if (!fields) throw new BootImageError('Multiboot header has no address fields');
  const fileStart = header.offset - (fields.headerAddr - fields.loadAddr);
  if (fields.headerAddr < fields.loadAddr || fileStart < 0) {
    throw new BootImageError(
      `Multiboot header_addr ${hex(fields.headerAddr)} and load_addr ${hex(fields.loadAddr)} put the load start before the beginning of the file`,
    );
  }
  const available = image.byteLength - fileStart;
  const loadBytes = fields.loadEndAddr === 0 ? available : fields.loadEndAddr - fields.loadAddr;
  if (loadBytes < 0 || loadBytes > available) {
    throw new BootImageError(
      `Multiboot load_end_addr ${hex(fields.loadEndAddr)} asks for ${loadBytes} bytes but the file has ${available} after the load start`,
    );
  }
  const loadEnd = fields.loadAddr + loadBytes;
  const bssBytes = fields.bssEndAddr === 0 ? 0 : fields.bssEndAddr - loadEnd;
  if (bssBytes < 0) {
    throw new BootImageError(`Multiboot bss_end_addr ${hex(fields.bssEndAddr)} is below load_end_addr ${hex(loadEnd)}`);
  }
  const segments: LoadSegment[] = [
    { address: fields.loadAddr, data: image.subarray(fileStart, fileStart + loadBytes), zeroBytes: 0, what: 'kernel' },
  ];
  if (bssBytes > 0) segments.push({ address: loadEnd, data: new Uint8Array(0), zeroBytes: bssBytes, what: 'kernel bss' });
  if (fields.entryAddr < fields.loadAddr || fields.entryAddr >= loadEnd) {
    throw new BootImageError(
      `Multiboot entry_addr ${hex(fields.entryAddr)} is outside the loaded bytes ${hex(fields.loadAddr)}-${hex(loadEnd - 1)}`,
    );
  }
  return { segments, entry: fields.entryAddr };
}

/** Checks every segment fits in RAM, avoids reserved ranges and overlaps no other; throws BootImageError. */
export function checkPlacement(segments: readonly LoadSegment[], ramBytes: number): void {
  const spans = segments
    .map((segment) => ({ ...segment, end: segment.address + segment.data.byteLength + segment.zeroBytes }))
    .filter((span) => span.end > span.address);
  for (const span of spans) {
    if (span.end > ramBytes) {
      throw new BootImageError(
        `${span.what} (${hex(span.address)}-${hex(span.end - 1)}) does not fit in ${ramBytes / (1024 * 1024)} MiB of RAM`,
      );
    }
    for (const reserved of RESERVED_RANGES) {
      if (span.address < reserved.end && reserved.start < span.end) {
        throw new BootImageError(`${span.what} (${hex(span.address)}-${hex(span.end - 1)}) overlaps ${reserved.what}`);
      }
    }
  }
  const sorted = [...spans].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].address < sorted[i - 1].end) {
      throw new BootImageError(`${sorted[i].what} overlaps ${sorted[i - 1].what} at ${hex(sorted[i].address)}`);
    }
  }
}

/** Places modules after the highest kernel byte, page-aligned as Multiboot loaders do. */
export function placeModules(kernel: KernelLoad, modules: readonly Uint8Array[]): LoadSegment[] {
  let next = 0;
  for (const segment of kernel.segments) next = Math.max(next, segment.address + segment.data.byteLength + segment.zeroBytes);
  return modules.map((data, index) => {
    next = (next + 0xfff) & ~0xfff;
    const segment = { address: next, data, zeroBytes: 0, what: `module ${index + 1}` };
    next += data.byteLength;
    return segment;
  });
}
