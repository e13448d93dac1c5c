; spin: loops forever in ring 3 without a system call, so only the timer can take the CPU away.
bits 32
section .text
global _start
_start:
        inc eax
        jmp _start
