import { describe, expect, it } from 'vitest';
import { BootImageError, findMultibootHeader, HeaderFlag, MULTIBOOT_HEADER_MAGIC } from '../../machine/boot/multiboot-header.ts';
import { buildBootInfo, INFO_ADDRESS, InfoFlag } from '../../machine/boot/multiboot-info.ts';
import { checkPlacement, planAddressFieldLoad, placeModules } from '../../machine/boot/multiboot-load.ts';

/** A flat a.out-kludge kernel: header at `headerOffset`, loaded at 1 MiB, `code` after the header. */
function kludgeImage(options: { headerOffset?: number; flags?: number; checksumDelta?: number; bss?: number; fileBytes?: number }): Uint8Array {
  const headerOffset = options.headerOffset ?? 0;
  const flags = options.flags ?? HeaderFlag.AddressFields;
  const image = new Uint8Array(options.fileBytes ?? headerOffset + 64);
  const view = new DataView(image.buffer);
  const load = 0x100000;
  const headerAddr = load + headerOffset;
  const end = load + image.byteLength;
  const words = [
    MULTIBOOT_HEADER_MAGIC,
    flags,
    (-(MULTIBOOT_HEADER_MAGIC + flags) + (options.checksumDelta ?? 0)) >>> 0,
    headerAddr,
    load,
    end,
    end + (options.bss ?? 0),
    headerAddr + 32,
  ];
  words.forEach((word, i) => view.setUint32(headerOffset + 4 * i, word >>> 0, true));
  image[headerOffset + 32] = 0xf4;
  return image;
}

describe('Multiboot header', () => {
  it('is found on a 4-byte boundary within the first 8 KiB', () => {
    const header = findMultibootHeader(kludgeImage({ headerOffset: 0x1000, fileBytes: 0x2000 }));
    expect(header.offset).toBe(0x1000);
    expect(header.address?.loadAddr).toBe(0x100000);
  });

  it('is not found past 8 KiB', () => {
    expect(() => findMultibootHeader(kludgeImage({ headerOffset: 0x2000, fileBytes: 0x3000 }))).toThrow(/no Multiboot header/);
  });

  it('rejects a bad checksum and names it', () => {
    expect(() => findMultibootHeader(kludgeImage({ checksumDelta: 1 }))).toThrow(/bad checksum/);
  });

  it('rejects requirement bits it does not understand', () => {
    expect(() => findMultibootHeader(kludgeImage({ flags: HeaderFlag.AddressFields | 0x8 }))).toThrow(BootImageError);
  });
});

describe('Multiboot load plan (a.out kludge)', () => {
  it('loads the file at load_addr with the bss after it and enters at entry_addr', () => {
    const image = kludgeImage({ bss: 0x100 });
    const plan = planAddressFieldLoad(image, findMultibootHeader(image));
    expect(plan.entry).toBe(0x100020);
    expect(plan.segments.map((s) => [s.address, s.data.byteLength, s.zeroBytes])).toEqual([
      [0x100000, 64, 0],
      [0x100040, 0, 0x100],
    ]);
  });

  it('rejects a kernel that does not fit in RAM, naming the sizes', () => {
    const image = kludgeImage({ bss: 0x400000 });
    const plan = planAddressFieldLoad(image, findMultibootHeader(image));
    expect(() => checkPlacement(plan.segments, 4 * 1024 * 1024)).toThrow(/kernel bss .* does not fit in 4 MiB of RAM/);
  });

  it('places modules page-aligned after the kernel and rejects overlaps', () => {
    const image = kludgeImage({ bss: 0x10 });
    const plan = planAddressFieldLoad(image, findMultibootHeader(image));
    const modules = placeModules(plan, [new Uint8Array(5), new Uint8Array(3)]);
    expect(modules.map((m) => m.address)).toEqual([0x101000, 0x102000]);
    expect(() => checkPlacement([...plan.segments, ...modules], 64 << 20)).not.toThrow();
    expect(() => checkPlacement([...plan.segments, { ...modules[0], address: 0x100010 }], 64 << 20)).toThrow(/module 1 overlaps/);
  });
});

describe('Multiboot info structure', () => {
  it('describes memory, the command line, modules and the memory map at their addresses', () => {
    const module = { address: 0x200000, data: new Uint8Array(10), zeroBytes: 0, what: 'module 1' };
    const info = buildBootInfo({ ramBytes: 64 << 20, commandLine: 'console=ttyS0', modules: [{ segment: module, commandLine: 'initrd' }], loaderName: 'test' });
    expect(info.address).toBe(INFO_ADDRESS);
    const view = new DataView(info.data.buffer);
    const at = (address: number): number => view.getUint32(address - INFO_ADDRESS, true);
    const string = (address: number): string => {
      const start = address - INFO_ADDRESS;
      return new TextDecoder().decode(info.data.subarray(start, info.data.indexOf(0, start)));
    };
    expect(at(INFO_ADDRESS) & (InfoFlag.Memory | InfoFlag.CommandLine | InfoFlag.Modules | InfoFlag.MemoryMap)).toBe(
      InfoFlag.Memory | InfoFlag.CommandLine | InfoFlag.Modules | InfoFlag.MemoryMap,
    );
    expect(at(INFO_ADDRESS + 4)).toBe(640);
    expect(at(INFO_ADDRESS + 8)).toBe(63 * 1024);
    expect(string(at(INFO_ADDRESS + 16))).toBe('console=ttyS0');
    expect(at(INFO_ADDRESS + 20)).toBe(1);
    const entry = at(INFO_ADDRESS + 24);
    expect([at(entry), at(entry + 4), string(at(entry + 8))]).toEqual([0x200000, 0x20000a, 'initrd']);
    const mmapLength = at(INFO_ADDRESS + 44);
    let cursor = at(INFO_ADDRESS + 48);
    const regions: number[][] = [];
    while (cursor < at(INFO_ADDRESS + 48) + mmapLength) {
      regions.push([at(cursor + 4), at(cursor + 12), at(cursor + 20)]);
      cursor += at(cursor) + 4;
    }
    expect(regions).toContainEqual([0x100000, (64 << 20) - 0x100000, 1]);
    expect(regions).toContainEqual([0, 0x9fc00, 1]);
  });
});
