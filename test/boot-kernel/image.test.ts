// The kernel's machine code: the project's assembler builds the same bytes as real NASM, the
// ROM ends in the reset vector, and the IDT/GDT/TSS the kernel writes decode as the manuals say.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asmDefines, Gdt, IRQ_BASE, SYSCALL_VECTOR } from '../../kernel/arch/i386/layout.ts';
import { PhysicalMemory } from '../../kernel/mm/phys.ts';
import { writeGdt, writeIdt, writeTss, TSS_LIMIT } from '../../kernel/arch/i386/descriptors.ts';
import { buildKernelRom, buildVdsoImages } from '../../tools/build/kernel.ts';
import { hasRealNasm, realNasm } from '../helpers/real-nasm.ts';

const rom = buildKernelRom();

describe('the kernel image and boot ROM', () => {
  it.skipIf(!hasRealNasm())('assemble to the same bytes with real NASM', () => {
    const defines = asmDefines().map(([k, v]) => `-D${k}=${v}`);
    // The vDSO images the image includes, where real NASM can find them.
    const vdsoDir = mkdtempSync(join(tmpdir(), 'vdso-'));
    for (const [name, bytes] of buildVdsoImages()) writeFileSync(join(vdsoDir, name), bytes);
    const args = ['-I', 'kernel/arch/i386/', '-I', `${vdsoDir}/`, ...defines];
    const image = realNasm(readFileSync('kernel/arch/i386/image.asm', 'utf8'), 'bin', args);
    rmSync(vdsoDir, { recursive: true, force: true });
    if (!image.ok) throw new Error(image.messages);
    expect(Buffer.from(rom.rom.subarray(0, image.bytes.length)).equals(Buffer.from(image.bytes))).toBe(true);
    const boot = realNasm(readFileSync('kernel/arch/i386/boot.asm', 'utf8'), 'bin', [...args, `-DIMAGE_BYTES=${rom.imageBytes}`]);
    if (!boot.ok) throw new Error(boot.messages);
    expect(Buffer.from(rom.rom.subarray(rom.imageBytes)).equals(Buffer.from(boot.bytes))).toBe(true);
  });

  it('ends in a far jump at the reset vector', () => {
    const reset = rom.rom.subarray(rom.rom.length - 16);
    expect(reset[0]).toBe(0xea); // jmp ptr16:16
    expect(reset[3] | (reset[4]! << 8)).toBe(0xf000);
  });

  it('writes an IDT with interrupt gates for exceptions and IRQs and DPL 3 trap gates for system calls', () => {
    const mem = new PhysicalMemory(new Uint8Array(0x1000));
    const stubs = Array.from({ length: 48 }, (_, i) => 0xc0100000 + i * 0x10);
    writeIdt(mem, 0, stubs, [{ vector: SYSCALL_VECTOR, offset: 0xc0100300 }, { vector: 0x82, offset: 0xc0123456 }]);
    const gate = (v: number): { offset: number; selector: number; type: number; dpl: number; present: boolean } => {
      const lo = mem.read32(v * 8);
      const hi = mem.read32(v * 8 + 4);
      return { offset: ((hi & 0xffff0000) | (lo & 0xffff)) >>> 0, selector: lo >>> 16, type: (hi >>> 8) & 0xf, dpl: (hi >>> 13) & 3, present: (hi & 0x8000) !== 0 };
    };
    expect(gate(14)).toEqual({ offset: 0xc01000e0, selector: Gdt.KERNEL_CS, type: 0xe, dpl: 0, present: true });
    expect(gate(IRQ_BASE + 1)).toEqual({ offset: 0xc0100210, selector: Gdt.KERNEL_CS, type: 0xe, dpl: 0, present: true });
    expect(gate(SYSCALL_VECTOR)).toEqual({ offset: 0xc0100300, selector: Gdt.KERNEL_CS, type: 0xf, dpl: 3, present: true });
    expect(gate(0x82)).toEqual({ offset: 0xc0123456, selector: Gdt.KERNEL_CS, type: 0xf, dpl: 3, present: true });
    expect(gate(0x81).present).toBe(false);
  });

  it('writes a DPL 3 call gate with its parameter count in slot 0x30, and none when not asked to', () => {
    const mem = new PhysicalMemory(new Uint8Array(0x1000));
    writeGdt(mem, 0, 0xc0101000, { offset: 0xc0105678, params: 6 });
    // Intel SDM vol. 3A, figure 5-8: selector:offset[15:0], then offset[31:16], P, DPL, type 0xC, count.
    expect(mem.read32(Gdt.CALL_GATE) >>> 0).toBe(((Gdt.KERNEL_CS << 16) | 0x5678) >>> 0);
    expect(mem.read32(Gdt.CALL_GATE + 4) >>> 0).toBe(0xc010ec06);
    writeGdt(mem, 0, 0xc0101000);
    expect([mem.read32(Gdt.CALL_GATE), mem.read32(Gdt.CALL_GATE + 4)]).toEqual([0, 0]);
  });

  it('writes the GDT in the order sysenter needs and a TSS whose bitmap denies every port', () => {
    const mem = new PhysicalMemory(new Uint8Array(0x4000));
    writeGdt(mem, 0, 0xc0101000);
    // Seed 000's flat user code: base 0, limit 4 GiB, DPL 3, execute/read.
    expect(mem.read32(Gdt.USER_CS & ~7)).toBe(0x0000ffff);
    expect(mem.read32((Gdt.USER_CS & ~7) + 4) >>> 0).toBe(0x00cffa00);
    expect(Gdt.KERNEL_DS).toBe(Gdt.KERNEL_CS + 8);
    expect(Gdt.USER_CS & ~3).toBe(Gdt.KERNEL_CS + 16);
    expect(Gdt.USER_DS & ~3).toBe(Gdt.KERNEL_CS + 24);
    const tssHigh = mem.read32(Gdt.TSS + 4) >>> 0;
    expect((tssHigh >>> 8) & 0xff).toBe(0x89); // present, DPL 0, available 32-bit TSS
    expect(mem.read32(Gdt.TSS) & 0xffff).toBe(TSS_LIMIT);
    writeTss(mem, 0x1000, 0xc0200000);
    expect(mem.read32(0x1004) >>> 0).toBe(0xc0200000);
    expect(mem.read32(0x1008)).toBe(Gdt.KERNEL_DS);
    expect(mem.read32(0x1000 + 100) >>> 16).toBe(104);
    expect(mem.bytes.subarray(0x1000 + 104, 0x1000 + TSS_LIMIT + 1).every((b) => b === 0xff)).toBe(true);
  });
});
