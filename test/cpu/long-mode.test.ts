// Long mode as a whole: entering it the architectural way and the checks on the way, canonical
// addresses, instructions invalid in 64-bit mode, 4-level paging (NX, U/S, R/W, large pages,
// accessed and dirty bits, reserved bits, the error code's fetch bit) and the 64-bit exception
// frame with the TSS stacks.
import { describe, expect, it } from 'vitest';
import { bare } from './harness.ts';
import { bare64, CODE, IDT64, IST1_RSP, KERNEL_RSP, PML4, SEL64, TSS_RSP0, USER_RSP } from './harness64.ts';

const PF = 14, GP = 13, SS = 12, UD = 6;

describe('entering long mode', () => {
  it('reports EFER.LMA and a 64-bit CS once the far jump is done', () => {
    const t = bare64('mov ecx, 0xc0000080\nrdmsr\nmov rbx, cr4\nmov rsi, cr0\nhlt');
    expect(t.run()).toBe('hlt');
    expect(Number(t.r64(0)) & 0x500).toBe(0x500);
    expect(Number(t.r64(3)) & 0x20).toBe(0x20);
    expect(Number(t.r64(6) >> 31n) & 1).toBe(1);
    expect(t.cpu.mode64).toBe(1);
    expect(t.cpu.code32).toBe(0);
  });

  const enablePaging = (setPae: boolean) => `
    ${setPae ? 'mov eax, cr4\nor eax, 0x20\nmov cr4, eax' : ''}
    mov ecx, 0xc0000080
    rdmsr
    or eax, 0x100
    wrmsr
    mov eax, ${PML4}
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    hlt`;

  it('CR0.PG with EFER.LME but without CR4.PAE is #GP(0)', () => {
    const t = bare(enablePaging(false));
    t.run();
    expect(t.vector()).toBe(GP);
    expect(t.cpu.efer & 0x400).toBe(0);
  });

  it('paging on with LME leaves the CPU in compatibility mode until CS has L', () => {
    const t = bare(enablePaging(true));
    // Without page tables for the code, the next fetch faults: the IDT is not a long-mode one, so
    // the machine stops; what matters is that LMA became set while CS stayed 32-bit.
    t.run(20);
    expect(t.cpu.efer & 0x400).toBe(0x400);
    expect(t.cpu.mode64).toBe(0);
  });

  it('EFER.LME cannot change while paging is on; paging cannot be turned off in 64-bit mode', () => {
    let t = bare64('mov ecx, 0xc0000080\nrdmsr\nand eax, ~0x100\nwrmsr\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
    t = bare64('mov rax, cr0\nbtr rax, 31\nmov cr0, rax\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
    t = bare64('mov rax, cr4\nand eax, ~0x20\nmov cr4, rax\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
  });
});

describe('canonical addresses', () => {
  it('a non-canonical data address is #GP(0); through RSP or RBP it is #SS(0)', () => {
    let t = bare64('mov rbx, 0x0000800000000000\nmov rax, [rbx]\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
    expect(t.read64(KERNEL_RSP - 48)).toBe(0n);
    t = bare64('mov rbp, 0x0000800000000000\nmov rax, [rbp]\nhlt');
    t.run();
    expect(t.vector()).toBe(SS);
  });

  it('a jump to a non-canonical target faults at the jump', () => {
    const t = bare64('mov rax, 0x0000800000000000\njmp rax\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
    // The frame's RIP is the jump itself.
    expect(t.read64(KERNEL_RSP - 8 - 32)).toBe(BigInt(CODE + 10));
  });
});

describe('instructions invalid in 64-bit mode raise #UD', () => {
  it.each([
    ['push es', [0x06]], ['daa', [0x27]], ['pusha', [0x60]], ['bound', [0x62, 0x00]], ['82 /0', [0x82, 0xc0, 0x01]],
    ['call far ptr', [0x9a, 0, 0, 0, 0, 0, 0]], ['les', [0xc4, 0x00]], ['into', [0xce]], ['aam', [0xd4, 0x0a]],
    ['salc', [0xd6]], ['jmp far ptr', [0xea, 0, 0, 0, 0, 0, 0]], ['mov cr1', [0x0f, 0x22, 0xc8]], ['mov cr8', [0x44, 0x0f, 0x22, 0xc0]],
  ])('%s', (_name, bytes) => {
    const t = bare64(Uint8Array.from([...bytes, 0xf4]));
    t.run();
    expect(t.vector()).toBe(UD);
    expect(t.logs.filter((l) => l.includes('unimplemented'))).toEqual([]);
  });
});

describe('4-level paging', () => {
  it('sets accessed bits on every level and the dirty bit on the page', () => {
    const t = bare64('mov rax, [0x600000]\nmov qword [0x400000], 1\nhlt');
    const pde = t.entryAddress(0x400000n, 2);
    t.write64(pde, 0x400087n);
    expect(t.run()).toBe('hlt');
    expect(Number(t.read64(PML4)) & 0x20).toBe(0x20);
    expect(Number(t.read64(t.entryAddress(0x400000n, 3))) & 0x20).toBe(0x20);
    expect(Number(t.read64(pde)) & 0x60).toBe(0x60);
    expect(Number(t.read64(t.entryAddress(0x600000n, 2))) & 0x60).toBe(0x20);
  });

  it('maps 4 KiB pages through a page table', () => {
    const t = bare64('mov rax, [0x600000]\nmov rbx, [0x601008]\nhlt');
    const pt = 0x70000;
    t.write64(t.entryAddress(0x600000n, 2), BigInt(pt | 7));
    t.write64(pt, 0x21000n | 7n);
    t.write64(pt + 8, 0x22000n | 7n);
    t.write64(0x21000, 0xaaaan);
    t.write64(0x22008, 0xbbbbn);
    expect(t.run()).toBe('hlt');
    expect(t.r64(0)).toBe(0xaaaan);
    expect(t.r64(3)).toBe(0xbbbbn);
  });

  it('a fetch from an XD page with EFER.NXE is #PF with the fetch bit', () => {
    const t = bare64('mov rax, 0x200000\ncall rax\nhlt', { efer: 0x800 });
    t.mem.write8(0x200000, 0xc3);
    const pde = t.entryAddress(0x200000n, 2);
    t.write64(pde, t.read64(pde) | (1n << 63n));
    t.run();
    expect(t.vector()).toBe(PF);
    expect(t.cpu.cr2).toBe(0x200000);
    // The call completed (RSP - 8); the frame starts at RSP aligned down to 16.
    expect(t.read64(((KERNEL_RSP - 8) & ~15) - 48)).toBe(0x11n);
  });

  it('the XD bit is reserved without EFER.NXE', () => {
    const t = bare64('mov rax, [0x200000]\nhlt');
    const pde = t.entryAddress(0x200000n, 2);
    t.write64(pde, t.read64(pde) | (1n << 63n));
    t.run();
    expect(t.vector()).toBe(PF);
    expect(t.read64(KERNEL_RSP - 48)).toBe(0x9n);
  });

  it('ring 3: a supervisor page is #PF(U|P), a read-only page is #PF(U|W|P) on a write', () => {
    let t = bare64('mov rax, [0x400000]\nhlt', { ring: 3 });
    t.write64(t.entryAddress(0x400000n, 2), 0x400083n);
    t.run();
    expect(t.vector()).toBe(PF);
    expect(t.read64(TSS_RSP0 - 48)).toBe(0x5n);
    t = bare64('mov qword [0x400000], 1\nhlt', { ring: 3 });
    t.write64(t.entryAddress(0x400000n, 2), 0x400085n);
    t.run();
    expect(t.vector()).toBe(PF);
    expect(t.read64(TSS_RSP0 - 48)).toBe(0x7n);
  });

  it('supervisor writes to a read-only page succeed unless CR0.WP', () => {
    const t = bare64('mov qword [0x200000], 1\nmov rax, cr0\nbts rax, 16\nmov cr0, rax\nmov qword [0x200000], 2\nhlt');
    t.write64(t.entryAddress(0x200000n, 2), 0x200085n);
    t.run();
    expect(t.read64(0x200000)).toBe(1n);
    expect(t.vector()).toBe(PF);
  });

  it('a page fault above 4 GiB reports the whole address in CR2', () => {
    const t = bare64('mov rbx, 0xffff900000001234\nmov rax, [rbx]\nhlt');
    t.run();
    expect(t.vector()).toBe(PF);
    expect(t.cpu.cr2).toBe(0x1234);
    expect(t.cpu.cr2Hi >>> 0).toBe(0xffff9000);
  });
});

describe('the 64-bit exception frame', () => {
  it('from ring 3: SS:RSP always pushed, RSP0 from the TSS aligned to 16, error code last', () => {
    const t = bare64('mov rsp, 0x8ff8\npush rax\nmov rax, [0x400000]\nhlt', { ring: 3 });
    t.write64(t.entryAddress(0x400000n, 2), 0x400083n);
    t.run();
    expect(t.vector()).toBe(PF);
    const top = TSS_RSP0;
    expect(t.r64(4)).toBe(BigInt(top - 48));
    expect(t.read64(top - 8)).toBe(BigInt(SEL64.data3));
    expect(t.read64(top - 16)).toBe(0x8ff0n);
    expect(Number(t.read64(top - 24)) & 0x3).toBe(0x2);
    expect(t.read64(top - 32)).toBe(BigInt(SEL64.code64user));
    expect(t.read64(top - 40)).toBe(BigInt(CODE + 6));
    expect(t.cpu.cpl).toBe(0);
    expect(t.cpu.segSel[2]).toBe(0);
  });

  it('a gate naming IST1 switches to that stack even without a privilege change', () => {
    const t = bare64('int3\nhlt');
    t.mem.write8(IDT64 + 3 * 16 + 4, 1);
    t.run();
    expect(t.vector()).toBe(3);
    expect(t.r64(4)).toBe(BigInt((IST1_RSP & ~15) - 40));
    expect(t.read64((IST1_RSP & ~15) - 8)).toBe(BigInt(SEL64.data0));
    expect(t.read64((IST1_RSP & ~15) - 16)).toBe(BigInt(KERNEL_RSP));
  });

  it('int n checks the gate DPL against CPL 3', () => {
    const t = bare64('int 0x40\nhlt', { ring: 3 });
    t.mem.write8(IDT64 + 0x40 * 16 + 5, 0x8e);
    t.run();
    expect(t.vector()).toBe(GP);
    expect(t.read64(TSS_RSP0 - 48)).toBe(BigInt(0x40 * 8 + 2));
    expect(USER_RSP).toBeGreaterThan(0);
  });
});
