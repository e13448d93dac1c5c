; nosys: every number the kernel's table does not have must answer ENOSYS, through the mechanism
; the libc was built for (its syscall(nr, ...) function): each hole below the end of the table,
; the table's size and the number one past it, and numbers far outside it. Prints the table size,
; one line per number that answered anything else, and a count.
bits 32
%include "libc.inc"

%macro KNOWN 5
    dd %3
%endmacro

section .rodata
known:      SYSCALL_LIST KNOWN
known_end:
; Far outside the table: the largest unsigned and signed values, the most negative, -1..-2 and
; -4095 (which a careless kernel could mistake for an error value), and 2^16.
outside:    dd 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xfffff001, 0x10000
outside_end:
size_fmt:   db "nosys: table size %u", 10, 0
bad_fmt:    db "nosys: number %u answered %d, errno %d", 10, 0
done_fmt:   db "nosys: %u unknown numbers, %u answered ENOSYS", 10, 0

section .bss
is_known:   resb SYSCALL_TABLE_SIZE
checked:    resd 1
passed:     resd 1

section .text
global main
main:
    push ebx
    mov ebx, known
.mark:
    mov eax, [ebx]
    mov byte [is_known + eax], 1
    add ebx, 4
    cmp ebx, known_end
    jb .mark
    ccall printf, size_fmt, SYSCALL_TABLE_SIZE
    xor ebx, ebx                ; every hole, then the table's size and one past it
.holes:
    cmp ebx, SYSCALL_TABLE_SIZE
    jae .unknown
    cmp byte [is_known + ebx], 0
    jne .next
.unknown:
    push ebx
    call check
    add esp, 4
.next:
    inc ebx
    cmp ebx, SYSCALL_TABLE_SIZE + 2
    jb .holes
    mov ebx, outside
.outside:
    push dword [ebx]
    call check
    add esp, 4
    add ebx, 4
    cmp ebx, outside_end
    jb .outside
    ccall printf, done_fmt, [checked], [passed]
    mov eax, [checked]
    sub eax, [passed]           ; exit status: how many failed
    pop ebx
    ret

; void check(unsigned nr): makes call nr with hostile arguments; counts it, and whether it
; answered -1 with errno ENOSYS.
check:
    push esi
    mov esi, [esp + 8]
    inc dword [checked]
    mov dword [errno], 0
    ccall syscall, esi, 0, -1, 0xc0000000, 0x7fffffff, 0x80000000, 1
    cmp eax, -1
    jne .bad
    cmp dword [errno], ENOSYS
    jne .bad
    inc dword [passed]
    pop esi
    ret
.bad:
    ccall printf, bad_fmt, esi, eax, [errno]
    pop esi
    ret
