import { describe, expect, it } from 'vitest';
import { BootImageError } from '../../machine/boot/multiboot-header.ts';
import { PC } from '../../machine/pc.ts';
import { asm } from '../helpers/asm.ts';

// A Multiboot kernel as people write them for QEMU's -kernel: it checks what the loader left in
// EAX/EBX, then writes to the VGA text buffer, COM1 and the 0xE9 debug console, and exits through
// isa-debug-exit with a status that encodes what it saw.
const KERNEL = `
        dd 0x1BADB002, 0x00010003, -(0x1BADB002 + 0x00010003)
        dd 0x100000, 0x100000, end, end, start
start:  mov esp, 0x90000
        cmp eax, 0x2BADB002
        jne fail
        mov ecx, [ebx + 16]             ; the command line
        cmp dword [ecx], 'hell'
        jne fail
        mov esi, text
        mov edi, 0xB8000
.vga:   lodsb
        test al, al
        jz .serial
        mov ah, 0x1F
        stosw
        jmp .vga
.serial: mov esi, text
.next:  lodsb
        test al, al
        jz .done
        mov bl, al
        mov dx, 0x3FD
.wait:  in al, dx                       ; wait for THRE like a polling driver
        test al, 0x20
        jz .wait
        mov al, bl
        mov dx, 0x3F8
        out dx, al
        out 0xE9, al
        jmp .next
.done:  mov dx, 0x3FD
.drain: in al, dx                       ; TEMT: the last byte has left the line
        test al, 0x40
        jz .drain
        mov al, 0x21
        out 0xF4, al
fail:   mov al, 0x7F
        out 0xF4, al
        cli
        hlt
text:   db "Hello from Multiboot", 0
end:
`;

function boot(commandLine: string): PC {
  return new PC({ boot: { multiboot: { kernel: asm(KERNEL, { org: 0x100000 }), commandLine } } });
}

describe('the PC booting a Multiboot kernel', () => {
  it('enters it as the specification says and shows its output on VGA, COM1 and 0xE9', () => {
    const pc = boot('hello world');
    const result = pc.run({ instructions: 10_000_000 });
    expect(result.reason).toBe('exit');
    expect(pc.exitStatus).toBe((0x21 << 1) | 1);
    expect(pc.screenText().split('\n')[0].trimEnd()).toBe('Hello from Multiboot');
    expect(pc.screen.cell(0, 0) >> 8).toBe(0x1f);
    expect(String.fromCharCode(...pc.serial)).toBe('Hello from Multiboot');
    expect(String.fromCharCode(...pc.debugConsole)).toBe('Hello from Multiboot');
  });

  it('is deterministic: the same boot takes the same instructions and virtual time', () => {
    const a = boot('hello');
    const b = boot('hello');
    a.run({ instructions: 10_000_000 });
    b.run({ instructions: 10_000_000 });
    expect(a.cpu.instructions).toBe(b.cpu.instructions);
    expect(a.virtualNs()).toBe(b.virtualNs());
  });

  it('rejects a bad image before running anything', () => {
    const kernel = asm(KERNEL, { org: 0x100000 });
    kernel[8] ^= 1;
    expect(() => new PC({ boot: { multiboot: { kernel } } })).toThrow(BootImageError);
    expect(() => new PC({ boot: { multiboot: { kernel: new Uint8Array(100) } } })).toThrow(/no Multiboot header/);
  });

  it('reports a halt that nothing can end', () => {
    const rom = asm('cli\nhlt\ntimes 0xF0 - ($-$$) db 0\njmp 0xF000:0xFF00\ntimes 0x100 - ($-$$) db 0', { bits: 16, org: 0xff00 });
    const pc = new PC({ boot: { rom } });
    expect(pc.run({ instructions: 1000 })).toEqual({ reason: 'halted', report: expect.stringMatching(/interrupts disabled/) });
  });
});
