// The assembled kernel image as the TypeScript side needs it: the ROM bytes and the addresses
// of the image's labels (stubs, the per-CPU area, the GDT, IDT and TSS).

/** The boot ROM and the symbols of the kernel image inside it. */
export interface KernelImage {
  /** The whole ROM: the kernel image, then the boot code ending in the reset vector. */
  readonly rom: Uint8Array;
  /** Bytes of the kernel image (a multiple of 4) at the ROM's start. */
  readonly imageBytes: number;
  /** Label name -> virtual address. */
  readonly symbols: Readonly<Record<string, number>>;
}

/** The image lacks a label the kernel needs (its sources and the TypeScript side disagree). */
export class KernelImageError extends Error {
  override readonly name = 'KernelImageError';
}

/** The address of label `name`; throws KernelImageError when the image has none. */
export function symbol(image: KernelImage, name: string): number {
  const value = image.symbols[name];
  if (value === undefined) throw new KernelImageError(`the kernel image defines no label \`${name}'`);
  return value;
}
