// Long mode's system transitions: syscall/sysret (64-bit and compatibility returns, FMASK, the
// RCX and R11 contract), the vendor differences (syscall outside 64-bit mode, sysenter and
// sysexit in long mode, sysret with a non-canonical RCX), swapgs and the FS/GS base MSRs, iretq,
// far transfers into compatibility code and back, 64-bit call gates, ltr/lar/lsl with 16-byte
// descriptors.
import { describe, expect, it } from 'vitest';
import { asm } from '../helpers/asm.ts';
import { bare } from './harness.ts';
import { bare64, GDT64, KERNEL_RSP, SEL64, TSS_RSP0, USER_RSP } from './harness64.ts';

const UD = 6, GP = 13, BP = 3;

/** Ring-0 prologue: STAR (syscall CS 0x08, sysret base 0x18), LSTAR = entry64, CSTAR = entry32, FMASK, EFER.SCE. */
const SYSCALL_SETUP = `
  mov ecx, 0xc0000081
  xor eax, eax
  mov edx, 0x00180008
  wrmsr
  mov ecx, 0xc0000082
  lea rax, [rel entry64]
  xor edx, edx
  wrmsr
  mov ecx, 0xc0000083
  lea rax, [rel entry32]
  wrmsr
  mov ecx, 0xc0000084
  mov eax, 0x700
  wrmsr
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1
  wrmsr`;

/** Drops to ring 3 at `label` (64-bit user code) with iretq. */
const toRing3 = (label: string, cs: number = SEL64.code64user) => `
  push ${SEL64.data3}
  push ${USER_RSP}
  push 0x202
  push ${cs}
  lea rax, [rel ${label}]
  push rax
  iretq`;

describe('syscall and sysret', () => {
  it.each(['intel', 'amd'] as const)('round trip from 64-bit ring 3 (%s)', (vendor) => {
    const t = bare64(`
      ${SYSCALL_SETUP}
      ${toRing3('user')}
      user:
        pushfq
        pop rbx
        mov rax, 39
        syscall
        after:
        mov rdi, cs
        mov rsi, ss
        int3
      entry64:
        mov r12, rcx
        mov r13, r11
        mov r14, cs
        mov r15, ss
        pushfq
        pop rbp
        lea r8, [rel after]
        o64 sysret
      entry32:
        hlt`, { vendor });
    t.run();
    expect(t.vector()).toBe(BP);
    expect(t.r64(12)).toBe(t.r64(8));
    expect(t.r64(13)).toBe(t.r64(3));
    expect(t.r64(14)).toBe(BigInt(SEL64.code64));
    expect(t.r64(15)).toBe(BigInt(SEL64.data0));
    // FMASK cleared IF, TF and DF in the kernel; sysret restored RFLAGS from R11.
    expect(Number(t.r64(5)) & 0x200).toBe(0);
    expect(t.r64(7)).toBe(BigInt(SEL64.code64user));
    expect(t.r64(6)).toBe(BigInt(SEL64.data3));
  });

  it('sysret without REX.W returns to compatibility mode at ECX', () => {
    const t = bare64(`
      ${SYSCALL_SETUP}
      ${toRing3('user')}
      user:
        syscall
        hlt
      entry64:
        lea rcx, [rel compat]
        sysret
      entry32:
        hlt
      bits 32
      compat:
        mov ebx, cs
        int3`);
    t.run();
    expect(t.vector()).toBe(BP);
    expect(t.r64(3)).toBe(BigInt(SEL64.code32user));
  });

  it('syscall is #UD without EFER.SCE', () => {
    const t = bare64('syscall\nhlt');
    t.run();
    expect(t.vector()).toBe(UD);
  });

  it.each([['intel', UD], ['amd', -1]] as const)('syscall in compatibility mode: %s', (vendor, vector) => {
    const t = bare64(`
      ${SYSCALL_SETUP}
      jmp far [rel target]
      target: dq compat
              dw ${SEL64.code32}
      entry64:
        hlt
      entry32:
        mov r8d, 32
        hlt
      bits 32
      compat:
        syscall
        hlt`, { vendor });
    t.run();
    expect(t.vector()).toBe(vector);
    if (vendor === 'amd') expect(t.r64(8)).toBe(32n);
  });

  it.each([['intel', UD], ['amd', -1]] as const)('syscall in legacy protected mode: %s', (vendor, vector) => {
    const t = bare(`
      mov ecx, 0xc0000081
      mov eax, entry
      mov edx, 0x00180008
      wrmsr
      mov ecx, 0xc0000080
      rdmsr
      or eax, 1
      wrmsr
      syscall
      hlt
      entry:
      mov ebx, cs
      hlt`, { vendor });
    t.run();
    expect(t.vector()).toBe(vector);
    if (vendor === 'amd') expect(t.cpu.regs[3]).toBe(0x08);
  });

  // CVE-2012-0217: Intel raises the #GP of a non-canonical RCX in ring 0, on the stack the kernel
  // had already switched back to the user's; AMD returns to ring 3 and faults there.
  it.each(['intel', 'amd'] as const)('sysret with a non-canonical RCX (%s)', (vendor) => {
    const t = bare64(`
      ${SYSCALL_SETUP}
      ${toRing3('user')}
      user:
        syscall
        hlt
      entry64:
        mov rcx, 0x0000800000000000
        o64 sysret
      entry32:
        hlt`, { vendor });
    t.run();
    expect(t.vector()).toBe(GP);
    if (vendor === 'intel') {
      expect(t.cpu.cpl).toBe(0);
      // The frame went onto the user stack: no privilege change happened.
      expect(t.r64(4)).toBe(BigInt(USER_RSP - 48));
      expect(t.read64(USER_RSP - 32)).toBe(BigInt(SEL64.code64));
    } else {
      expect(t.r64(4)).toBe(BigInt(TSS_RSP0 - 48));
      expect(t.read64(TSS_RSP0 - 32)).toBe(BigInt(SEL64.code64user));
      expect(t.read64(TSS_RSP0 - 40)).toBe(0x0000800000000000n);
    }
  });
});

describe('sysenter and sysexit in long mode', () => {
  const source = `
    mov ecx, 0x174
    mov eax, ${SEL64.code64}
    xor edx, edx
    wrmsr
    mov ecx, 0x175
    mov eax, 0x7800
    wrmsr
    mov ecx, 0x176
    lea rax, [rel kernel]
    wrmsr
    ${toRing3('user')}
    user:
      lea rdx, [rel back]
      mov rcx, rsp
      sysenter
    back:
      mov rbx, cs
      int3
    kernel:
      mov r8, rsp
      mov r9, cs
      o64 sysexit`;

  it('Intel: sysenter enters 64-bit code; sysexit with REX.W returns to 64-bit ring 3', () => {
    // SYSENTER_CS + 32 must be the 64-bit user code: 0x08 + 32 = 0x28 (RPL 3: 0x2b).
    const t = bare64(source);
    t.run();
    expect(t.vector()).toBe(BP);
    expect(t.r64(8)).toBe(0x7800n);
    expect(t.r64(9)).toBe(BigInt(SEL64.code64));
    expect(t.r64(3)).toBe(BigInt(SEL64.code64user));
  });

  it('AMD: sysenter is #UD in long mode', () => {
    const t = bare64(source, { vendor: 'amd' });
    t.run();
    expect(t.vector()).toBe(UD);
    expect(t.cpu.cpl).toBe(0);
    expect(t.read64(TSS_RSP0 - 32)).toBe(BigInt(SEL64.code64user));
  });
});

describe('FS and GS bases', () => {
  it('swapgs exchanges GS base and KERNEL_GS_BASE; rdmsr reads both', () => {
    const t = bare64(`
      mov ecx, 0xc0000101
      mov eax, 0x20000
      xor edx, edx
      wrmsr
      mov ecx, 0xc0000102
      mov eax, 0x20100
      wrmsr
      mov qword [0x20000], 1
      mov qword [0x20100], 2
      mov rax, [gs:0]
      swapgs
      mov rbx, [gs:0]
      mov ecx, 0xc0000102
      rdmsr
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(3)).toBe(2n);
    expect(t.r64(0)).toBe(0x20000n);
  });

  it('a non-canonical base MSR value is #GP; swapgs in ring 3 is #GP', () => {
    let t = bare64('mov ecx, 0xc0000100\nxor eax, eax\nmov edx, 0x8000\nwrmsr\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
    t = bare64('swapgs\nhlt', { ring: 3 });
    t.run();
    expect(t.vector()).toBe(GP);
  });
});

describe('iretq, far transfers and call gates', () => {
  it('iretq in 64-bit mode pops SS:RSP even at the same privilege', () => {
    const t = bare64(`
      mov rbx, rsp
      push ${SEL64.data0}
      push 0x7000
      pushfq
      push ${SEL64.code64}
      lea rax, [rel next]
      push rax
      iretq
      next:
      mov rcx, rsp
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(1)).toBe(0x7000n);
  });

  it('iretq with NT set is #GP(0)', () => {
    const t = bare64('pushfq\nor qword [rsp], 0x4000\npopfq\niretq\nhlt');
    t.run();
    expect(t.vector()).toBe(GP);
  });

  it('compatibility code reaches a 64-bit handler through int 0x80 and returns with iretq', () => {
    const t = bare64(`
      lea rax, [rel handler]
      mov [0x3000 + 0x80 * 16], ax
      shr rax, 16
      mov [0x3000 + 0x80 * 16 + 6], ax
      ${toRing3('compat', SEL64.code32user)}
      handler:
        mov r8, [rsp + 8]
        mov r9, [rsp + 32]
        mov eax, 42
        iretq
      bits 32
      compat:
        mov eax, 4
        int 0x80
        mov ebx, eax
        mov ecx, cs
        int3`);
    t.run();
    expect(t.vector()).toBe(BP);
    expect(t.r64(8)).toBe(BigInt(SEL64.code32user));
    expect(t.r64(9)).toBe(BigInt(SEL64.data3));
    expect(t.r64(3)).toBe(42n);
    expect(t.r64(1)).toBe(BigInt(SEL64.code32user));
    // int3 came from compatibility mode: its frame holds the 32-bit code selector.
    expect(t.read64(TSS_RSP0 - 32)).toBe(BigInt(SEL64.code32user));
  });

  it('a far jump to a compatibility segment and a far return to 64-bit code', () => {
    const t = bare64(`
      jmp far [rel target]
      target: dq compat
              dw ${SEL64.code32}
      back:
        mov rbx, 1
        hlt
      bits 32
      compat:
        mov ecx, cs
        push ${SEL64.code64}
        push back
        retf`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(1)).toBe(BigInt(SEL64.code32));
    expect(t.r64(3)).toBe(1n);
    expect(t.cpu.mode64).toBe(1);
  });

  it('a 64-bit call gate from ring 3 switches to RSP0, pushes 8-byte SS RSP CS RIP; retfq returns', () => {
    const t = bare64(`
      lea rax, [rel gate_target]
      mov [${GDT64} + 10 * 8], ax
      mov word [${GDT64} + 10 * 8 + 2], ${SEL64.code64}
      mov word [${GDT64} + 10 * 8 + 4], 0xec00
      shr rax, 16
      mov [${GDT64} + 10 * 8 + 6], ax
      shr rax, 16
      mov [${GDT64} + 10 * 8 + 8], eax
      mov dword [${GDT64} + 10 * 8 + 12], 0
      lgdt [rel gdtr]
      ${toRing3('user')}
      gdtr: dw 12 * 8 - 1
            dq ${GDT64}
      user:
        call far [rel gate]
        mov rbx, cs
        int3
      gate: dq 0
            dw 0x53
      gate_target:
        mov r8, rsp
        mov r9, [rsp + 8]
        mov r10, [rsp + 24]
        o64 retf`);
    t.run();
    expect(t.vector()).toBe(BP);
    expect(t.r64(8)).toBe(BigInt(TSS_RSP0 - 32));
    expect(t.r64(9)).toBe(BigInt(SEL64.code64user));
    expect(t.r64(10)).toBe(BigInt(SEL64.data3));
    expect(t.r64(3)).toBe(BigInt(SEL64.code64user));
    // Back in ring 3 on the user stack when int3 came.
    expect(t.read64(TSS_RSP0 - 16)).toBe(BigInt(USER_RSP));
  });

  it('ltr reads a 16-byte TSS descriptor; lar and lsl use long mode descriptor types', () => {
    const t = bare64(`
      and byte [${GDT64} + 6 * 8 + 5], 0xfd
      mov ax, ${SEL64.tss}
      ltr ax
      str rbx
      lar rcx, rax
      lsl rdx, rax
      mov byte [${GDT64} + 6 * 8 + 5], 0x83
      mov ax, ${SEL64.tss}
      lar rsi, rax
      pushfq
      pop rdi
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(3)).toBe(BigInt(SEL64.tss));
    expect(Number(t.r64(1)) & 0xf00).toBe(0xb00);
    expect(t.r64(2)).toBe(0x67n + 0x2001n);
    // Type 3 (a busy 16-bit TSS) does not exist in long mode.
    expect(Number(t.r64(7)) & 0x40).toBe(0);
    expect(KERNEL_RSP).toBe(0x8000);
  });
});

describe('vendor differences in decoding and identification', () => {
  it.each([['intel', 0x10000 + 2 + 6 + 0x100], ['amd', 0x0106]] as const)('a 66-prefixed near jump: Intel ignores the prefix, AMD truncates to 16 bits (%s)', (vendor, target) => {
    // Intel: 66 E9 rel32 (6 bytes) to RIP + 0x100; AMD: 66 E9 rel16 (4 bytes), IP truncated.
    const t = bare64(Uint8Array.from([0x66, 0xe9, 0x02, 0x01, 0x00, 0x00, 0xf4]), { vendor });
    t.run(1);
    expect(t.rip()).toBe(BigInt(target));
  });

  it.each([['intel', 0, 1 << 11], ['amd', 1 << 11, 1 << 11]] as const)('CPUID reports SYSCALL outside 64-bit mode only on AMD (%s)', (vendor, outside, inside) => {
    const legacy = bare('mov eax, 0x80000001\ncpuid\nhlt', { vendor });
    legacy.run();
    expect(legacy.cpu.regs[2] & (1 << 11)).toBe(outside);
    expect(legacy.cpu.regs[2] & (1 << 29)).toBe(1 << 29);
    const long = bare64('mov eax, 0x80000001\ncpuid\nhlt', { vendor });
    long.run();
    expect(Number(long.r64(2)) & (1 << 11)).toBe(inside);
  });
});

describe('compatibility mode and leaving long mode', () => {
  it('16-bit code runs in a 16-bit segment under long mode', () => {
    const t = bare64(`
      jmp far [rel target]
      target: dq 0x6400
              dw ${SEL64.code16}`);
    // The 16-bit segment's limit is 64 KiB: its code goes below that.
    t.mem.load(0x6400, asm('mov ax, 0x1234\nmov bx, ax\nadd bx, bx\nhlt', { bits: 16, org: 0x6400 }));
    expect(t.run()).toBe('hlt');
    expect(t.cpu.code32).toBe(0);
    expect(t.cpu.mode64).toBe(0);
    expect(t.r64(3) & 0xffffn).toBe(0x2468n);
  });

  it('clearing CR0.PG from compatibility mode leaves long mode; from 64-bit mode it is #GP', () => {
    const t = bare64(`
      jmp far [rel target]
      target: dq compat
              dw ${SEL64.code32}
      bits 32
      compat:
        mov eax, cr0
        and eax, 0x7fffffff
        mov cr0, eax
        mov ecx, 0xc0000080
        rdmsr
        hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0] & 0x500).toBe(0x100);
    expect(t.cpu.efer & 0x400).toBe(0);
    expect(t.cpu.code32).toBe(1);
  });
});
