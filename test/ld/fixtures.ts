// NASM sources of a tiny libc-like library and a program using it, in both ABIs.

/** i386: strlen, a write(2) wrapper through int 0x80, a read-only table, data and bss. */
export const LIB32 = `
section .text
global strlen:function, write:function, table, counter, scratch
strlen:
  mov ecx, [esp+4]
  xor eax, eax
.loop:
  cmp byte [ecx+eax], 0
  je .done
  inc eax
  jmp .loop
.done:
  ret
write:
  push ebx
  mov eax, 4
  mov ebx, [esp+8]
  mov ecx, [esp+12]
  mov edx, [esp+16]
  int 0x80
  pop ebx
  ret
section .rodata
table: dd 1, 2, 3, 4
section .data
counter: dd 5
section .bss
scratch: resb 100
`;

/** i386 program: calls both functions and touches every kind of data, with absolute and relative references. */
export const PROG32 = `
section .text
global _start
extern strlen, write, table, counter, scratch
_start:
  push msg
  call strlen
  add esp, 4
  push eax
  push msg
  push 1
  call write
  mov eax, [table+8]
  inc dword [counter]
  mov byte [scratch+3], 1
  mov eax, 1
  int 0x80
section .data
msg: db "hello", 10, 0
ptrs: dd msg, _start, table, scratch + 4
`;

/** x86-64: strlen and a write(2) wrapper through syscall, with the same data. */
export const LIB64 = `
section .text
global strlen:function, write:function, table, counter, scratch
strlen:
  xor eax, eax
.loop:
  cmp byte [rdi+rax], 0
  je .done
  inc rax
  jmp .loop
.done:
  ret
write:
  mov eax, 1
  syscall
  ret
section .rodata
table: dq 1, 2, 3, 4
section .data
counter: dq 5
section .bss
scratch: resb 100
`;

/** x86-64 program: RIP-relative, 32S and 64-bit absolute references. */
export const PROG64 = `
section .text
global _start
extern strlen, write, table, counter, scratch
_start:
  lea rdi, [rel msg]
  call strlen
  mov rdx, rax
  lea rsi, [rel msg]
  mov edi, 1
  call write
  mov rax, [table+8]
  inc qword [rel counter]
  mov byte [scratch+3], 1
  mov eax, 60
  syscall
section .data
msg: db "hello", 10, 0
ptrs: dq msg, _start, table, scratch + 4
`;

/** Linker-defined names, a weak reference and a weak definition, a common symbol, orphan and aligned sections, odd code sizes. */
export const MIXED = (bits: 32 | 64) => `
bits ${bits}
section .text
global _start
extern etext, edata, end, __executable_start, fallback
extern maybe:weak
_start:
  mov eax, etext
  mov eax, edata
  mov eax, end
  mov eax, __executable_start
  mov eax, maybe
  call fallback
  mov dword [shared], 1
  ret
section .text.extra progbits alloc exec nowrite align=32
  nop
section .mytext progbits alloc exec nowrite align=16
  int3
section .data
  db 1
section .mydata progbits alloc noexec write align=64
  dd 7
section .myrodata progbits alloc noexec nowrite align=8
  dw 3
common shared 16:8
`;

/** A second object: a strong definition overriding the weak one, more common space, a bss tail not a multiple of 8. */
export const MIXED_OTHER = `
section .text
global fallback:function, weakdef:weak
fallback:
  xor eax, eax
  ret
weakdef:
  ret
section .bss
  resb 13
common shared 32:4
`;

/** A third object: the weak definition of `fallback` that loses to the strong one. */
export const MIXED_WEAK = `
section .text
global fallback:weak
fallback:
  ud2
extern maybe:weak
`;

/** Code and data, no read-only data: the data segment follows the code's page. */
export const NO_RODATA = `
section .text
global _start
_start: mov eax, [v]
  ret
section .data
v: dd 1
section .bss
b: resb 8
`;

/** Code and read-only data only: ld's data symbols still get the data segment's address. */
export const NO_DATA = `
section .text
global _start
_start: ret
section .rodata
  db 1
`;

/** Common symbols of several sizes and alignments after a little bss: ld places the largest first. */
export const COMMONS = `
section .text
global _start
_start: mov eax, [c1]
  mov eax, [c2]
  mov eax, [c3]
  mov eax, [c4]
common c1 3:1
common c2 8:8
common c3 2:2
common c4 16:16
section .bss
  resb 1
`;

/** Sections ld's script names by pattern (.text.hot, .rodata.str, .data.rel) and orphans of every kind. */
export const ORPHANS = `
section .text
global _start
_start: mov eax, [nb]
  mov eax, [pg]
section .mybss nobits alloc noexec write align=16
nb: resb 10
section .text.hot progbits alloc exec nowrite align=4
  ret
section .rodata.str progbits alloc noexec nowrite align=1
  db "x", 0
section .data.rel progbits alloc noexec write align=8
  dd 0, 0
section .pagealigned progbits alloc noexec write align=4096
pg: dd 1
section .bss
  resb 5
section .wx progbits alloc exec write align=4
  nop
`;
