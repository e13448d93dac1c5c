// Priming the run loop. V8 optimises runBlocks (block-run.ts) once it is hot, with the type
// feedback gathered until then; a form or exit path first reached after that deoptimises it, and
// the recompilation costs tens of milliseconds during which the guest runs several times slower
// (the benchmark's phases showed it each time a phase used a form the earlier ones had not). So the
// first CPU a process builds runs this program, which reaches every form and every exit of the
// loop, on a scratch machine of its own before any guest instruction runs.
import { CS, DS, ES, FS, GS, SS } from './constants.ts';
import { Cpu } from './cpu.ts';
import { PhysicalMemory } from '../memory/physical.ts';
import { setSegCache } from './segmentation.ts';

/** Where the priming program is loaded; it uses the stack below 0x4000 and data at 0x3000. */
export const PRIMING_ORG = 0x1000;

/**
 * The priming program (NASM, bits 32, org PRIMING_ORG): passes over one instance of each
 * block form, a store into a later instruction of its own block, a table-handled instruction in
 * a block, and the transfers, taken and not.
 */
export const PRIMING_SOURCE = `
        mov esp, 0x4000
        mov ebx, 0x3000
        mov esi, 4
        ; Each pass starts with an empty TLB, for the slow paths.
        mov ecx, 3
again:  mov eax, cr3
        mov cr3, eax
        add eax, edx
        or eax, edx
        adc eax, edx
        sbb eax, edx
        and eax, edx
        sub eax, edx
        xor eax, edx
        cmp eax, edx
        test eax, edx
        add eax, 5
        or eax, 5
        adc eax, 5
        sbb eax, 5
        and eax, 5
        sub eax, 5
        xor eax, 5
        cmp eax, 5
        test eax, 5
        test edx, 5
        add eax, [ebx]
        or eax, [ebx]
        adc eax, [ebx]
        sbb eax, [ebx]
        and eax, [ebx]
        sub eax, [ebx+esi]
        xor eax, [ebx+esi*2+4]
        cmp eax, [0x3000]
        add [ebx], eax
        cmp [ebx], eax
        test [ebx], eax
        add dword [ebx], 5
        cmp dword [ebx], 5
        test dword [ebx], 5
        inc eax
        dec eax
        inc dword [ebx]
        dec dword [ebx]
        mov eax, edx
        mov eax, 7
        mov eax, [ebx]
        mov [ebx], eax
        movzx eax, byte [ebx]
        lea eax, [ebx+esi*2+4]
        lea eax, [ebx]
        lea eax, [0x100]
        rol eax, 3
        ror eax, 3
        rcl eax, 3
        rcr eax, 3
        shl eax, 3
        shr eax, 3
        sar eax, 3
        shl eax, 1
        push eax
        pop eax
        nop
        add al, dl
        add al, 5
        add byte [ebx], 5
        cmp byte [ebx], 5
        test al, dl
        test al, 5
        not eax
        neg eax
        shl eax, cl
        mov al, dl
        mov al, 5
        mov al, [ebx]
        mov [ebx], al
        mov byte [ebx], 5
        mov dword [ebx+4], 9
        movzx eax, dl
        movzx eax, dx
        movzx eax, word [ebx]
        movsx eax, dl
        movsx eax, dx
        movsx eax, byte [ebx]
        movsx eax, word [ebx]
        xchg eax, edx
        xchg eax, edx
        cdq
        setz al
        cmovz eax, edx
        cmovz eax, [ebx]
        push 5
        push dword [ebx]
        pop eax
        pop eax
        ; Flags computed lazily and concretely: CF of each lazy kind, AF before a shift, ZF.
        add eax, edx
        adc eax, edx
        adc eax, edx
        sub eax, edx
        adc eax, edx
        sbb eax, edx
        adc eax, edx
        rol eax, 1
        adc eax, edx
        inc eax
        rol eax, 1
        dec eax
        test al, dl
        shl eax, 3
        add eax, edx
        shl eax, 3
        sahf
        jz $+2
        cmp eax, edx
        call conds
        sahf
        call conds
        ; Memory paths: a read-modify-write missing the TLB, page-crossing accesses, a push and
        ; a pop missing the TLB, a segment with a base, a store beside cached code.
        add [0x5000], eax
        inc dword [0x5800]
        mov eax, [0x2ffe]
        mov [0x2ffe], eax
        add eax, [0x2ffe]
        add [0x2ffe], eax
        inc dword [0x2ffe]
        movzx eax, byte [0x2fff]
        mov esp, 0x9000
        push eax
        mov esp, 0x7000
        pop eax
        mov esp, 0x4000
        mov eax, [fs:0x10]
        mov [fs:0x10], eax
        mov [spare], eax
        sti
        nop
        cli
        mov byte [patch + 1], 7
        cld
patch:  mov eax, 1
        xor eax, eax
        jz .z
        nop
.z:     jnz .nz
.nz:    cmp eax, 1
        jb .b
        nop
.b:     jecxz .b
        jmp .j
        nop
.j:     call sub
        mov edx, sub
        call edx
        mov dword [ebx + 8], sub
        call [ebx + 8]
        mov edx, .jr
        jmp edx
.jr:    mov dword [ebx + 8], .jm
        jmp [ebx + 8]
.jm:    push 0
        call sub4
        push ecx
        mov ecx, 2
.l:     loop .l
        pop ecx
        dec ecx
        jnz again
        hlt
sub:    ret
sub4:   ret 4
        ; Each condition, on the flags as the caller left them.
conds:  jo $+2
        jb $+2
        jbe $+2
        js $+2
        jp $+2
        jl $+2
        jle $+2
        ret
spare:  dd 0
`;

/** PRIMING_SOURCE assembled; test/cpu/priming.test.ts checks the bytes against the assembler. */
const PRIMING_HEX =
  'bc00400000bb00300000be04000000b9030000000f20d80f22d801d009d011d019d021d029d031d039d085d083c00583' +
  'c80583d00583d80583e00583e80583f00583f805a905000000f7c20500000003030b0313031b0323032b043333447304' +
  '3b0500300000010339038503830305833b05f703050000004048ff03ff0b89d0b8070000008b0389030fb6038d447304' +
  '8d038d0500010000c1c003c1c803c1d003c1d803c1e003c1e803c1f803d1e050589000d00405800305803b0584d0a805' +
  'f7d0f7d8d3e088d0b0058a038803c60305c74304090000000fb6c20fb7c20fb7030fbec20fbfc20fbe030fbf03929299' +
  '0f94c00f44c20f44036a05ff33585801d011d011d029d011d019d011d0d1c011d040d1c04884d0c1e00301d0c1e0039e' +
  '740039d0e8bc0000009ee8b6000000010500500000ff0500580000a1fe2f0000a3fe2f00000305fe2f00000105fe2f00' +
  '00ff05fe2f00000fb605ff2f0000bc0090000050bc0070000058bc0040000064a11000000064a310000000a3f4110000' +
  'fb90fac6058c11000007fcb80100000031c0740190750083f801720190e3feeb0190e83a000000bae1110000ffd2c743' +
  '08e1110000ff5308babf110000ffe2c74308c9110000ff63086a00e81200000051b902000000e2fe59490f8534feffff' +
  'f4c3c2040070007200760078007a007c007e00c300000000';

/** The priming program's machine code. */
export function primingCode(): Uint8Array {
  return Uint8Array.from(PRIMING_HEX.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

/** A scratch CPU with the priming program loaded, in flat 32-bit protected mode at CPL 0, EIP at the program. */
export function primingCpu(): Cpu {
  const memory = new PhysicalMemory({ ramSize: 0x10000 });
  memory.load(PRIMING_ORG, primingCode());
  const cpu = new Cpu({
    memory,
    io: { read: () => -1, write: () => {} },
    interrupts: { pending: () => false, acknowledge: () => 0 },
    log: () => {},
  });
  cpu.cr0 |= 1;
  // Flat 4 GiB segments: 32-bit code (type 0xA) and read/write data (type 0x2), present, G and D
  // set; FS has a base of 0x100, for the checked segment path.
  setSegCache(cpu, CS, 0x08, 0xffff, 0xcf9a00);
  for (const seg of [DS, ES, GS, SS]) setSegCache(cpu, seg, 0x10, 0xffff, 0xcf9200);
  setSegCache(cpu, FS, 0x18, 0x100ffff, 0xcf9200);
  cpu.eip = PRIMING_ORG;
  return cpu;
}

let primed = false;

/** Runs the priming program once per process (the first Cpu built calls this). */
export function primeRunLoop(): void {
  if (primed) return;
  primed = true;
  const cpu = primingCpu();
  // V8 collects type feedback for a function only once it has run a few times: single
  // instructions first. Then small budgets, so that blocks are also cut short; then to the end.
  for (let i = 0; i < 12; i++) cpu.run(1);
  for (let i = 0; i < 8 && cpu.run(97) === 'budget'; i++);
  cpu.run(2 ** 40);
}
