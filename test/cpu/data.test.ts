import { describe, expect, it } from 'vitest';
import { bare } from './harness.ts';
import { flags } from './flags.ts';

function run(src: string, opts = {}) {
  const t = bare(src + '\nhlt', opts);
  expect(t.run()).toBe('hlt');
  expect(t.vector()).toBe(-1);
  return t;
}

describe('data movement', () => {
  it('mov forms, movzx, movsx, lea with SIB', () => {
    const t = run(`
      mov dword [0x20000], 0x80ff7f01
      mov al, [0x20001]
      movzx ebx, byte [0x20001]
      movsx ecx, byte [0x20001]
      movsx edx, word [0x20002]
      mov esi, 0x100
      lea edi, [esi+ebx*4+8]
      mov [0x20010], eax`);
    expect(t.cpu.r8[0]).toBe(0x7f);
    expect(t.cpu.regs[3]).toBe(0x7f);
    expect(t.cpu.regs[1]).toBe(0x7f);
    expect(t.cpu.regs[2]).toBe(-0x7f01);
    expect(t.cpu.regs[7]).toBe(0x100 + 0x7f * 4 + 8);
  });

  it('moffs forms and segment overrides', () => {
    const t = run('mov eax, 0xdeadbeef\nmov [0x20020], eax\nmov ebx, 0\nmov bx, [fs:0x20022]\nmov al, [0x20020]');
    expect(t.cpu.r16[6]).toBe(0xdead);
    expect(t.cpu.r8[0]).toBe(0xef);
  });

  it('xchg, cbw/cwde/cwd/cdq, lahf/sahf, xlat', () => {
    const t = run(`
      mov eax, 1
      mov ebx, 2
      xchg eax, ebx
      mov ebp, ebx
      mov cl, 0x80
      mov byte [0x20000], 0x11
      xchg cl, [0x20000]
      mov ah, 0xd5
      sahf
      lahf
      mov [0x20200], ah
      mov esi, 0xff80
      mov ax, si
      cwde
      mov edi, eax
      cdq
      mov byte [0x20105], 0x42
      mov ebx, 0x20100
      mov al, 5
      xlat`);
    expect(t.cpu.regs[5]).toBe(1);
    expect(t.cpu.r8[4]).toBe(0x11);
    expect(t.mem.read8(0x20000)).toBe(0x80);
    expect(t.mem.read8(0x20200)).toBe(0xd7);
    expect(t.cpu.regs[7]).toBe(-128);
    expect(t.cpu.regs[2]).toBe(-1);
    expect(t.cpu.r8[0]).toBe(0x42);
  });

  it('cmpxchg, xadd, cmpxchg8b', () => {
    const t = run(`
      mov dword [0x20000], 5
      mov eax, 5
      mov ecx, 9
      lock cmpxchg [0x20000], ecx
      setz bl
      mov eax, 1
      cmpxchg [0x20000], ecx
      mov esi, eax
      mov edx, 3
      lock xadd [0x20000], edx
      mov ebp, edx
      mov dword [0x20010], 1
      mov dword [0x20014], 2
      mov eax, 1
      mov edx, 2
      mov ebx, 0x33
      mov ecx, 0x44
      cmpxchg8b [0x20010]`);
    expect(t.cpu.regs[6]).toBe(9);
    expect(t.cpu.regs[5]).toBe(9);
    expect(t.read32(0x20000)).toBe(12);
    expect(t.read32(0x20010)).toBe(0x33);
    expect(t.read32(0x20014)).toBe(0x44);
    expect(flags(t.cpu).zf).toBe(true);
  });

  it('lock on a register destination or a non-lockable instruction is #UD', () => {
    for (const src of ['lock add eax, ebx', 'lock nop', 'lock mov [0x20000], eax', 'lock cmp [0x20000], eax']) {
      const t = bare(`${src}\nhlt`);
      t.run();
      expect(t.vector(), src).toBe(6);
    }
  });

  it('16-bit addressing in real mode: [bp+si] defaults to SS, wraps at 64 KiB', () => {
    const t = run(`
      mov ax, 0x100
      mov ss, ax
      mov ax, 0x200
      mov ds, ax
      mov bp, 0x10
      mov si, 0x2
      mov word [bp+si], 0x1234
      mov bx, 0xfffe
      mov di, 4
      mov word [bx+di], 0x5678
      mov cx, [ss:0x12]`, { mode: 'real' });
    expect(t.mem.read16(0x1000 + 0x12)).toBe(0x1234);
    expect(t.mem.read16(0x2000 + 0x2)).toBe(0x5678);
    expect(t.cpu.r16[2]).toBe(0x1234);
  });
});

describe('string instructions', () => {
  it('rep movsb/movsd, forward and backward', () => {
    const t = run(`
      mov edi, 0x20000
      mov ecx, 16
      mov eax, 0x61626364
      rep stosd
      mov esi, 0x20000
      mov edi, 0x21000
      mov ecx, 64
      rep movsb
      std
      mov esi, 0x20003
      mov edi, 0x22003
      mov ecx, 4
      rep movsb
      cld`);
    expect(t.read32(0x2103c)).toBe(0x61626364);
    expect(t.read32(0x22000)).toBe(0x61626364);
    expect(t.cpu.regs[1]).toBe(0);
    expect(t.cpu.regs[6]).toBe(0x20003 - 4);
  });

  it('repe cmpsb stops at the first difference; repne scasb finds a byte', () => {
    const t = run(`
      mov dword [0x20000], 'abcd'
      mov dword [0x20100], 'abXd'
      mov esi, 0x20000
      mov edi, 0x20100
      mov ecx, 4
      repe cmpsb
      mov ebx, ecx
      mov edx, esi
      mov edi, 0x20000
      mov al, 'c'
      mov ecx, 100
      repne scasb`);
    expect(t.cpu.regs[3]).toBe(1);
    expect(t.cpu.regs[2]).toBe(0x20003);
    expect(t.cpu.regs[7]).toBe(0x20003);
    expect(t.cpu.regs[1]).toBe(97);
  });

  it('a16 string operations use SI/DI/CX', () => {
    const t = run('mov dword [0x1000], 0x11223344\nmov esi, 0xabcd1000\nmov edi, 0x12340100\nmov ecx, 0xffff0004\na16 rep movsb');
    expect(t.read32(0x100)).toBe(0x11223344);
    expect(t.cpu.regs[1] >>> 0).toBe(0xffff0000);
    expect(t.cpu.regs[6] >>> 0).toBe(0xabcd1004);
  });

  it('counts every iteration as an instruction and can be interrupted between them', () => {
    const t = bare('mov ecx, 5000\nmov edi, 0x20000\nrep stosb\nhlt');
    t.run(2 + 100);
    expect(t.cpu.regs[1]).toBeGreaterThan(0);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[1]).toBe(0);
    expect(t.cpu.instructions).toBe(2 + 5000 + 1);
  });
});
