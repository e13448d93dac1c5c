// 64-bit mode registers and data movement: the upper-half rules, REX byte registers, r8-r15,
// RIP-relative and 32-bit addressing, movsxd and the sign-extension family, 64-bit immediates and
// moffs, exchanges, bit instructions, cmov, the stack, near branches, string instructions.
import { describe, expect, it } from 'vitest';
import { bare64, CODE, KERNEL_RSP } from './harness64.ts';

const M64 = (1n << 64n) - 1n;

function run(src: string) {
  const t = bare64(`${src}\nhlt`);
  expect(t.run(), t.cpu.shutdownReport ?? '').toBe('hlt');
  expect(t.vector()).toBe(-1);
  return t;
}

describe('registers', () => {
  it('32-bit results zero-extend; 8- and 16-bit results keep the rest', () => {
    const t = run(`
      mov rax, -1
      mov rbx, -1
      mov rcx, -1
      mov rdx, -1
      mov eax, 5
      mov bx, 6
      mov cl, 7
      add edx, 0`);
    expect(t.r64(0)).toBe(5n);
    expect(t.r64(3)).toBe(0xffffffffffff0006n);
    expect(t.r64(1)).toBe(0xffffffffffffff07n);
    expect(t.r64(2)).toBe(0xffffffffn);
  });

  it('REX selects spl bpl sil dil and r8b-r15b; without it 4-7 are ah ch dh bh', () => {
    const t = run(`
      mov rsp, 0x1111
      mov rsi, 0x2222
      mov rax, 0
      mov spl, 0x44
      mov sil, 0x55
      mov ah, 0x66
      mov r15b, 0x77
      mov r9w, 0x8899
      mov r10d, -1`);
    expect(t.r64(4)).toBe(0x1144n);
    expect(t.r64(6)).toBe(0x2255n);
    expect(t.r64(0)).toBe(0x6600n);
    expect(t.r64(15) & 0xffn).toBe(0x77n);
    expect(t.r64(9) & 0xffffn).toBe(0x8899n);
    expect(t.r64(10)).toBe(0xffffffffn);
  });

  it('xchg eax, eax (90) leaves RAX whole; xchg r8, rax swaps', () => {
    const t = run('mov rax, -1\nmov r8, 3\nnop\nxchg r8, rax\nxchg ecx, ecx');
    expect(t.r64(0)).toBe(3n);
    expect(t.r64(8)).toBe(M64);
  });

  it('mov r64, imm64; cdqe, cqo, cwde, movsxd, movsx, movzx', () => {
    const t = run(`
      mov r11, 0x8000000000000001
      mov eax, 0x80000000
      cdqe
      mov rbx, rax
      cqo
      mov rsi, -1
      mov ax, 0x8001
      cwde
      mov ecx, -2
      movsxd rdi, ecx
      mov r12d, 0x80
      movsx r13, r12b
      movzx r14, r12w`);
    expect(t.r64(11)).toBe(0x8000000000000001n);
    expect(t.r64(3)).toBe(0xffffffff80000000n);
    expect(t.r64(2)).toBe(M64);
    expect(t.r64(0)).toBe(0xffff8001n);
    expect(t.r64(7)).toBe(M64 - 1n);
    expect(t.r64(13)).toBe(0xffffffffffffff80n);
    expect(t.r64(14)).toBe(0x80n);
  });
});

describe('addressing', () => {
  it('RIP-relative loads and stores, lea of RIP', () => {
    const t = run(`
      mov rax, [rel value]
      mov [rel slot], rax
      lea rbx, [rel value]
      jmp done
      value: dq 0x1122334455667788
      slot: dq 0
      done:`);
    expect(t.r64(0)).toBe(0x1122334455667788n);
    const at = Number(t.r64(3));
    expect(t.read64(at + 8)).toBe(0x1122334455667788n);
    expect(at).toBeGreaterThan(CODE);
  });

  it('base + index*scale + displacement over 64 bits; a 67 prefix truncates to 32', () => {
    const t = run(`
      mov rbx, 0x100000000
      mov rcx, -1
      lea rax, [rbx + rcx*4 + 8]
      lea rdx, [ebx + ecx*4 + 8]
      mov r13, 0x20000
      mov r12, 2
      mov qword [r13 + r12*8], 77
      mov rsi, [r13 + 16]`);
    expect(t.r64(0)).toBe(0x100000004n);
    expect(t.r64(2)).toBe(4n);
    expect(t.r64(6)).toBe(77n);
  });

  it('moffs with a 64-bit address and FS/GS bases from the MSRs', () => {
    const t = run(`
      mov ecx, 0xc0000100
      mov eax, 0x20000
      xor edx, edx
      wrmsr
      mov rax, 0x1234
      mov [0x20010], rax
      mov rbx, [fs:0x10]
      mov al, [qword 0x20010]
      mov r8, rax
      mov rax, [qword 0x20010]`);
    expect(t.r64(3)).toBe(0x1234n);
    expect(t.r64(8)).toBe(0x1234n);
    expect(t.r64(0)).toBe(0x1234n);
  });

  it('accesses above 4 GiB go through the high TLB, and code runs there', () => {
    const t = run(`
      mov rbx, 0xffffffffc0020000
      mov qword [rbx], 0x55
      mov rax, [0x20000]
      mov rcx, 0xffffffffc0000000 + high
      call rcx
      jmp over
      high:
        mov rdx, [rsp]
        lea r8, [rel high]
        ret
      over:`);
    expect(t.r64(0)).toBe(0x55n);
    expect(t.r64(8)).toBe(t.r64(1));
    expect(t.r64(2) > BigInt(CODE) && t.r64(2) < BigInt(CODE + 0x100)).toBe(true);
  });
});

describe('exchanges and bit instructions', () => {
  it('cmpxchg, xadd, cmpxchg16b', () => {
    const t = run(`
      mov qword [0x20000], 5
      mov rax, 5
      mov rbx, -1
      lock cmpxchg [0x20000], rbx
      mov r8, [0x20000]
      mov rcx, 10
      lock xadd [0x20000], rcx
      mov r12, rcx
      mov r9, [0x20000]
      mov qword [0x20100], 1
      mov qword [0x20108], 2
      mov rax, 1
      mov rdx, 2
      mov rbx, 0x333
      mov rcx, 0x444
      lock cmpxchg16b [0x20100]
      mov r10, [0x20100]
      mov r11, [0x20108]`);
    expect(t.r64(8)).toBe(M64);
    expect(t.r64(12)).toBe(M64);
    expect(t.r64(9)).toBe(9n);
    expect(t.r64(10)).toBe(0x333n);
    expect(t.r64(11)).toBe(0x444n);
  });

  it('cmpxchg16b on a misaligned operand is #GP(0)', () => {
    const t = bare64('cmpxchg16b [0x20008]\nhlt');
    t.run();
    expect(t.vector()).toBe(13);
  });

  it('bt/bts with a 64-bit register offset reaches the right qword; bsf, bsr, bswap', () => {
    const t = run(`
      mov qword [0x20008], 0
      mov rax, 64 + 35
      bts [0x20000], rax
      mov rbx, [0x20008]
      mov rcx, 0x0000800000000000
      bsf rdx, rcx
      bsr rsi, rcx
      mov rdi, 0x0102030405060708
      bswap rdi`);
    expect(t.r64(3)).toBe(1n << 35n);
    expect(t.r64(2)).toBe(47n);
    expect(t.r64(6)).toBe(47n);
    expect(t.r64(7)).toBe(0x0807060504030201n);
  });

  it('cmov with a 32-bit operand clears the upper half even when nothing moves', () => {
    const t = run('mov rax, -1\nmov rbx, -1\nxor ecx, ecx\ncmovnz eax, ecx\ncmovz rbx, rcx');
    expect(t.r64(0)).toBe(0xffffffffn);
    expect(t.r64(3)).toBe(0n);
  });

  it('setcc writes a REX byte register', () => {
    const t = run('mov rsi, 0x100\nxor eax, eax\nsetz sil\nsetz r9b');
    expect(t.r64(6)).toBe(0x101n);
    expect(t.r64(9) & 0xffn).toBe(1n);
  });
});

describe('stack and branches', () => {
  it('push and pop are 8 bytes; 66 makes them 2', () => {
    const t = run(`
      mov rax, 0x1122334455667788
      push rax
      push r12
      pop r13
      pop rbx
      push word 0x1234
      pop cx
      pushfq
      pop rdx`);
    expect(t.r64(3)).toBe(0x1122334455667788n);
    expect(t.r64(4)).toBe(BigInt(KERNEL_RSP));
    expect(t.r64(1) & 0xffffn).toBe(0x1234n);
    expect(t.r64(2) & 2n).toBe(2n);
  });

  it('call and ret push 8-byte return addresses; enter/leave', () => {
    const t = run(`
      call f
      jmp done
      f: enter 16, 0
         mov rbx, [rbp + 8]
         mov rcx, rsp
         leave
         ret
      done:`);
    expect(t.r64(3)).toBe(BigInt(CODE + 5));
    expect(t.r64(1)).toBe(BigInt(KERNEL_RSP - 8 - 8 - 16));
    expect(t.r64(4)).toBe(BigInt(KERNEL_RSP));
  });

  it('loop counts RCX; jrcxz tests all 64 bits', () => {
    const t = run(`
      mov rcx, 0x100000003
      xor eax, eax
      again: inc eax
      cmp eax, 3
      je out
      loop again
      out:
      mov rdx, 0x100000000
      xchg rcx, rdx
      jrcxz bad
      mov ebx, 1
      bad:`);
    expect(t.r64(0)).toBe(3n);
    expect(t.r64(2)).toBe(0x100000001n);
    expect(t.r64(3)).toBe(1n);
  });

  it('rep movsq and rep stosb with 64-bit counters and pointers; scasb', () => {
    const t = run(`
      mov rdi, 0x20000
      mov rcx, 3
      mov rax, 0x0807060504030201
      rep stosq
      mov rsi, 0x20000
      mov rdi, 0x20100
      mov rcx, 3
      rep movsq
      mov rdi, 0x20100
      mov al, 5
      mov rcx, 100
      repne scasb`);
    expect(t.read64(0x20110)).toBe(0x0807060504030201n);
    expect(t.r64(7)).toBe(0x20105n);
    expect(t.r64(1)).toBe(95n);
  });
});
