// tools/pc as people use it: a Multiboot kernel built as an ELF executable (as for QEMU's
// -kernel), its output on the serial port and its exit status from isa-debug-exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleSource } from '../../tools/asm/toolchain.ts';
import { link } from '../../tools/linker/link.ts';
import { PC } from '../../machine/pc.ts';
import { parsePcOptions } from '../../tools/frontend/pc-options.ts';

// A kernel the usual way: a .multiboot section with the header (no address fields, so the
// loader reads the ELF program headers), linked at 1 MiB.
const KERNEL = `
section .multiboot
align 4
        dd 0x1BADB002, 0, -0x1BADB002
section .text
global _start
_start: mov esi, message
.next:  mov dx, 0x3FD
.wait:  in al, dx                       ; THRE: the transmitter takes another byte
        test al, 0x20
        jz .wait
        lodsb
        test al, al
        jz .done
        mov dx, 0x3F8
        out dx, al
        jmp .next
.done:  mov dx, 0x3FD
.drain: in al, dx
        test al, 0x40
        jz .drain
        mov al, 0x2A
        out 0xF4, al
        cli
        hlt
section .rodata
message: db "ELF kernel says hi", 10, 0
`;

function elfKernel(): Uint8Array {
  const object = assembleSource(KERNEL, 'kernel.asm', { format: 'elf32' });
  if (!object.ok || !object.output) throw new Error('the test kernel does not assemble');
  const linked = link([{ name: 'kernel.o', bytes: object.output }], { emulation: 'elf_i386', textAddress: 0x100000n });
  if (!linked.bytes) throw new Error(linked.errors.join('\n'));
  return linked.bytes;
}

const dir = mkdtempSync(join(tmpdir(), 'pc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an ELF Multiboot kernel', () => {
  it('boots on the PC through its program headers', () => {
    const pc = new PC({ boot: { multiboot: { kernel: elfKernel() } } });
    expect(pc.run({ instructions: 10_000_000 }).reason).toBe('exit');
    expect(String.fromCharCode(...pc.serial)).toBe('ELF kernel says hi\n');
    expect(pc.exitStatus).toBe((0x2a << 1) | 1);
  });

  it('runs under tools/pc like under qemu -nographic: serial on stdout, the debug-exit status', () => {
    const kernel = join(dir, 'kernel.elf');
    writeFileSync(kernel, elfKernel());
    const run = spawnSync('tools/pc', ['-kernel', kernel, '-nographic', '-max-insns', '10000000'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout).toBe('ELF kernel says hi\n');
    expect(run.status).toBe((0x2a << 1) | 1);
  });

  it('is refused with the reason when the file is not a kernel', () => {
    const bogus = join(dir, 'bogus.bin');
    writeFileSync(bogus, 'not a kernel');
    const run = spawnSync('tools/pc', ['-kernel', bogus, '-display', 'none'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`tools/pc: cannot boot '${bogus}': no Multiboot header (magic 0x1badb002) in the first 8 KiB of the image\n`);
  });
});

describe('tools/pc -cpu', () => {
  it("takes a vendor and QEMU's -sep (a part without sysenter), and refuses anything else", () => {
    expect(parsePcOptions(['-bios', 'rom.bin', '-cpu', 'amd,-sep'])).toMatchObject({ vendor: 'amd', sep: false });
    expect(parsePcOptions(['-bios', 'rom.bin', '-cpu', 'intel'])).toMatchObject({ vendor: 'intel', sep: true });
    expect(() => parsePcOptions(['-bios', 'rom.bin', '-cpu', 'intel,+sse'])).toThrow("-cpu: intel|amd[,-sep], not 'intel,+sse'");
  });
});
