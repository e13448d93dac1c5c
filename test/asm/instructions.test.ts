// The front end's share of instructions: operand syntax (sizes, STRICT, segment overrides,
// effective addresses, REL/ABS, far pointers), BITS, branch sizing over passes, and TIMES.
// Expected bytes were produced by NASM 2.16 from the same sources.
import { describe, expect, it } from 'vitest';
import { asm, hexOf } from './helpers.ts';

const CASES: Array<[string, string, string]> = [
  ["segment overrides inside brackets and as prefixes", "bits 32\nmov eax, [es:edi]\nmov al, [cs:bx]\nes lodsb\nmov ax, fs:[bx]\n", "268b072e678a0726ac6466678b07"],
  ["REL and ABS in 64-bit memory operands, DEFAULT REL", "bits 64\nmov rax, [rel x]\nmov rax, [x]\ndefault rel\nmov rax, [x]\nmov rax, [abs x]\ndefault abs\nmov rax, [x]\nx: dq 0\n", "488b051f000000488b042526000000488b0510000000488b042526000000488b0425260000000000000000000000"],
  ["far jumps and calls", "bits 16\njmp 0x1234:0x5678\ncall 0x10:0x20\njmp dword 0x08:x\nx: call far [x]\njmp far [bx]\nbits 32\njmp 0x10:0x20\njmp word 0x10:0x20\ncall far [ebx]\n", "ea785634129a2000100066ea120000000800ff1e1200ff2fea20000000100066ea20001000ff1b"],
  ["size keywords and STRICT", "bits 32\nmov eax, strict dword 1\nadd eax, strict byte 1\nadd eax, 1\npush word 1\npush strict dword 5\nmov byte [eax], 1\nmov dword [eax], 1\nadd ecx, byte -1\n", "b80100000083c00183c001666a016805000000c60001c7000100000083c1ff"],
  ["effective addresses: scale, split and swaps", "bits 32\nmov eax, [ebx+ecx*4+8]\nmov eax, [esp]\nmov eax, [ebp]\nmov eax, [eax*2]\nmov eax, [eax*3]\nlea eax, [ebx+esi]\nmov eax, [esi+ebx*1]\nmov eax, [4*ecx+ebx-4]\nmov eax, [byte ebx+0]\nmov eax, [dword ebx+1]\n", "8b448b088b04248b45008b04008b04408d04338b041e8b448bfc8b43008b8301000000"],
  ["16-bit effective addresses", "bits 16\nmov ax, [bp+si]\nmov ax, [si+bp]\nmov ax, [bx+di+0x10]\nmov ax, [bp]\nmov ax, [0x1234]\n", "8b028b028b41108b4600a13412"],
  ["forward branches start short and grow", "bits 32\njmp a\njz a\ntimes 120 nop\na: jmp b\ntimes 200 nop\nb: jz c\nc: ret\n", "eb7a7478909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090e9c800000090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090907400c3"],
  ["SHORT, NEAR and backward branches", "bits 16\nx: jmp short y\njmp near y\ncall y\nloop x\njcxz x\ny: jmp x\n", "eb0ae90700e80400e2f6e3f4ebf2"],
  ["TIMES repeats an instruction at each address while $ stays the line start", "times 3 jmp $\ntimes 2 jmp short $+4\n", "ebfeebfcebfaeb02eb00"],
  ["macros building instructions", "%macro pushall 1-*\n%rep %0\n push %1\n%rotate 1\n%endrep\n%endmacro\nbits 32\npushall eax, ebx, ecx\n", "505351"],
  ["64-bit immediates and registers", "bits 64\nmov rax, 0x123456789abcdef0\nmov eax, -1\nmov rax, -1\npush -1\nmov r9, [r12+r13*8+0x7f]\nmov qword [rax], 1\n", "48b8f0debc9a78563412b8ffffffff48c7c0ffffffff6aff4f8b4cec7f48c70001000000"],
  ["system instructions", "bits 32\nmov eax, cr0\nmov cr3, eax\nlgdt [gdtr]\nlidt [gdtr]\nltr ax\nin al, 0x60\nout 0x20, al\nint 0x80\niretd\nsysenter\nsysexit\ngdtr: dw 0\ndd 0\n", "0f20c00f22d80f0115220000000f011d220000000f00d8e460e620cd80cf0f340f35000000000000"],
  ["BITS switches mode mid-file and [bits]/use32 forms", "bits 16\nmov ax, 1\n[bits 32]\nmov ax, 1\nuse64\nmov ax, 1\nuse16\nmov eax, 1\n", "b8010066b8010066b8010066b801000000"],
  ["labels get full-size fields in flat binaries, like NASM", "bits 32\npush x\nmov eax, [ebx+x]\nadd eax, x\ncmp eax, x\nimul eax, ebx, x\npush x - $$\nx: dd x - $$\n", "681d0000008b831d000000051d0000003d1d00000069c31d0000006a1d1d000000"],
  ["branches to another section are near in flat binaries", "bits 32\nsection .text\njmp y\ncall y\njz y\nsection .d\ny: ret\n", "e90b000000e8060000000f8400000000c3"],
  ["a label minus a position in the current section, and a negated label", "org 0x7c00\nbits 16\ndw -x\nmov ax, x - $$\nsection .d\ny: dd x - y\ndd x - $\nsection .text\nx: dw 0\n", "fb83b80500000000fdfffffff9ffffff"],
];

describe('instructions through the front end (bin)', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(hexOf(asm(source))).toBe(expected);
  });
});
