import { describe, expect, it } from 'vitest';
import { viewPageEntry } from '../../machine/cpu/paging.ts';
import { asm } from '../helpers/asm.ts';
import { bare, SEL, USER_STACK } from './harness.ts';

const PD = 0x30000, PT0 = 0x31000, PT1 = 0x32000;
const TEST_LIN = 0x400000, TEST_PHYS = 0x50000;

/** Identity-maps the first 4 MiB (user, writable) and maps TEST_LIN to TEST_PHYS with `flags`. */
function setUpPaging(t: ReturnType<typeof bare>, flags: number, wp = false): void {
  for (let i = 0; i < 1024; i++) t.mem.write32(PT0 + i * 4, (i << 12) | 7);
  t.mem.write32(PD, PT0 | 7);
  t.mem.write32(PD + 4, PT1 | 7);
  t.mem.write32(PT1, TEST_PHYS | flags);
  t.cpu.cr3 = PD;
  t.cpu.cr0 |= 0x80000000 | (wp ? 0x10000 : 0);
  t.cpu.flushTlb();
}

const TO_RING3 = `
  mov ax, ${SEL.data3}
  mov ds, ax
  push ${SEL.data3}
  push ${USER_STACK}
  pushfd
  push ${SEL.code3}
  push user
  iretd
user:`;

describe('paging', () => {
  const cases: Array<[string, number, boolean, boolean, number | null]> = [];
  for (const ring of [0, 3] as const) {
    for (const write of [false, true]) {
      for (let flags = 0; flags < 8; flags++) {
        const present = (flags & 1) !== 0, rw = (flags & 2) !== 0, us = (flags & 4) !== 0;
        let fault: number | null = null;
        const code = (present ? 1 : 0) | (write ? 2 : 0) | (ring === 3 ? 4 : 0);
        if (!present) fault = code;
        else if (ring === 3 && !us) fault = code;
        else if (ring === 3 && write && !rw) fault = code;
        cases.push([`ring ${ring} ${write ? 'write' : 'read'} P=${+present} RW=${+rw} US=${+us}`, flags, write, ring === 3, fault]);
      }
    }
  }

  it.each(cases)('%s', (_name, flags, write, user, fault) => {
    const access = write ? `mov dword [${TEST_LIN + 0x10}], 0x5a5a` : `mov eax, [${TEST_LIN + 0x10}]`;
    const t = bare(`${user ? TO_RING3 : ''}\n${access}\nint 0x80`);
    setUpPaging(t, flags);
    t.mem.write32(TEST_PHYS + 0x10, 0x1234);
    t.run();
    const esp = t.cpu.regs[4] >>> 0;
    if (fault === null) {
      expect(t.vector()).toBe(0x80);
      const pte = viewPageEntry(t.mem.read32(PT1));
      expect(pte.accessed).toBe(true);
      expect(pte.dirty).toBe(write);
      if (write) expect(t.read32(TEST_PHYS + 0x10)).toBe(0x5a5a);
      else expect(t.cpu.regs[0]).toBe(0x1234);
    } else {
      expect(t.vector()).toBe(14);
      expect(t.read32(esp)).toBe(fault);
      expect(t.cpu.cr2 >>> 0).toBe(TEST_LIN + 0x10);
      expect(viewPageEntry(t.mem.read32(PT1)).dirty).toBe(false);
      // The faulting instruction is restartable: the pushed EIP points at it.
      expect(t.mem.read8(t.read32(esp + 4))).toBeOneOf([0xa1, 0xc7]);
    }
  });

  it('CR0.WP makes read-only pages read-only for the supervisor too', () => {
    const t = bare(`mov dword [${TEST_LIN}], 1\nint 0x80`);
    setUpPaging(t, 5, true);
    t.run();
    expect(t.vector()).toBe(14);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(3);
  });

  it('a read-modify-write on a read-only page faults as a write and leaves the flags alone', () => {
    for (const ins of ['add [${a}], ebx', 'inc dword [${a}]', 'shl dword [${a}], 1', 'bts dword [${a}], 3', 'neg dword [${a}]', 'cmpxchg [${a}], ebx']) {
      const t = bare(`xor eax, eax\nmov ebx, 1\n${ins.replace('${a}', String(TEST_LIN))}\nint 0x80`);
      setUpPaging(t, 5, true);
      t.run();
      expect(t.vector(), ins).toBe(14);
      const esp = t.cpu.regs[4] >>> 0;
      expect(t.read32(esp), ins).toBe(3);
      // EFLAGS in the frame: ZF from the xor, CF clear.
      expect(t.read32(esp + 12) & 0x41, ins).toBe(0x40);
    }
  });

  it('4 MiB pages with CR4.PSE, and invlpg / CR3 reload drop stale translations', () => {
    const t = bare(`
      mov eax, cr4
      or eax, 0x10
      mov cr4, eax
      mov eax, [${TEST_LIN + 0x123456}]
      mov dword [${PD + 4}], ${0x800000 | 0x87}
      mov ebx, [${TEST_LIN + 0x123456}]
      invlpg [${TEST_LIN + 0x123456}]
      mov ecx, [${TEST_LIN + 0x123456}]
      int 0x80`, { ramSize: 16 << 20 });
    setUpPaging(t, 7);
    t.mem.write32(PD + 4, 0x400000 | 0x87);
    t.mem.write32(0x400000 + 0x123456, 111);
    t.mem.write32(0x800000 + 0x123456, 222);
    t.run();
    expect(t.vector()).toBe(0x80);
    expect(t.cpu.regs[0]).toBe(111);
    expect(t.cpu.regs[3]).toBe(111);
    expect(t.cpu.regs[1]).toBe(222);
    expect(viewPageEntry(t.mem.read32(PD + 4)).accessed).toBe(true);
  });

  it('a page-crossing write checks both pages before writing either', () => {
    const t = bare(`mov dword [${TEST_LIN - 2}], 0x11223344\nint 0x80`);
    setUpPaging(t, 0);
    t.mem.write32(0x3ffffc, 0);
    t.run();
    expect(t.vector()).toBe(14);
    expect(t.cpu.cr2 >>> 0).toBe(TEST_LIN);
    expect(t.read32(0x3ffffc)).toBe(0);
  });

  it('peekLinear reads through the page tables without setting accessed bits', () => {
    const t = bare('int 0x80');
    setUpPaging(t, 7);
    t.mem.write32(TEST_PHYS, 0x04030201);
    expect(t.cpu.peekLinear(TEST_LIN, 4)).toEqual([1, 2, 3, 4]);
    expect(t.cpu.peekLinear(0x800000, 1)).toEqual([null]);
    expect(viewPageEntry(t.mem.read32(PT1)).accessed).toBe(false);
  });
});

describe('linear access for native handlers', () => {
  it('reads and writes through the page tables as ring 0, failing cleanly on unmapped pages', () => {
    const t = bare('int 0x80');
    setUpPaging(t, 7);
    t.cpu.cr2 = 0x1234;
    expect(t.cpu.writeLinear(TEST_LIN + 0xffe, Uint8Array.of(1, 2, 3, 4))).toBe(false);
    expect(t.cpu.writeLinear(TEST_LIN + 8, Uint8Array.of(9, 8, 7))).toBe(true);
    expect(Array.from(t.cpu.readLinear(TEST_LIN + 8, 3)!)).toEqual([9, 8, 7]);
    expect(t.mem.read8(TEST_PHYS + 8)).toBe(9);
    expect(viewPageEntry(t.mem.read32(PT1)).dirty).toBe(true);
    expect(t.cpu.readLinear(0x800000, 1)).toBe(null);
    expect(t.cpu.cr2).toBe(0x1234);
  });
});

describe('instruction fetch at a page end', () => {
  it('faults only when the instruction actually reaches the unmapped page', () => {
    // Code page at TEST_LIN (mapped); the page after it is not present.
    const t = bare(`jmp ${TEST_LIN + 0xffa}`);
    setUpPaging(t, 7);
    // mov eax, 0x11223344 (5 bytes) ends exactly at the page end, then a 2-byte nop spills over.
    t.mem.load(TEST_PHYS + 0xffa, Uint8Array.of(0x90, 0xb8, 0x44, 0x33, 0x22, 0x11));
    t.run();
    expect(t.vector()).toBe(14);
    expect(t.cpu.regs[0]).toBe(0x11223344);
    expect(t.cpu.cr2 >>> 0).toBe(TEST_LIN + 0x1000);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0);
    expect(t.read32((t.cpu.regs[4] >>> 0) + 4)).toBe(TEST_LIN + 0x1000);
  });

  it('an instruction straddling into an unmapped page faults at its start', () => {
    const t = bare(`jmp ${TEST_LIN + 0xffd}`);
    setUpPaging(t, 7);
    t.mem.load(TEST_PHYS + 0xffd, Uint8Array.of(0xb8, 0x44, 0x33));
    t.run();
    expect(t.vector()).toBe(14);
    expect(t.cpu.regs[0]).toBe(0);
    expect(t.cpu.cr2 >>> 0).toBe(TEST_LIN + 0x1000);
    expect(t.read32((t.cpu.regs[4] >>> 0) + 4)).toBe(TEST_LIN + 0xffd);
  });
});

describe('faults inside repeated string instructions', () => {
  it('leave the registers at the faulting iteration, so the handler can map the page and iret', () => {
    const t = bare(`
      mov esi, 0x20000
      mov edi, ${TEST_LIN + 0xff0}
      mov ecx, 64
      rep movsb
      int 0x80`);
    setUpPaging(t, 7);
    // Handler for #PF: map the next page, flush the TLB, drop the error code, return to the rep movsb.
    t.mem.load(0x5000 + 14 * 4, asm('jmp 0x6000', { org: 0x5000 + 14 * 4 }));
    t.mem.load(0x6000, asm(`mov dword [${PT1 + 4}], ${0x51000 | 7}\nmov eax, cr3\nmov cr3, eax\nadd esp, 4\niretd`, { org: 0x6000 }));
    for (let i = 0; i < 64; i++) t.mem.write8(0x20000 + i, i + 1);
    t.run();
    expect(t.vector()).toBe(0x80);
    expect(t.cpu.regs[1]).toBe(0);
    expect(t.mem.read8(TEST_PHYS + 0xfff)).toBe(16);
    expect(t.mem.read8(0x51000)).toBe(17);
    expect(t.mem.read8(0x51000 + 47)).toBe(64);
  });
});
