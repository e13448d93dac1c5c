; usertests: the heap. A long pseudo-random mix of malloc, free, realloc and calloc over a
; set of slots; every block is filled with its own byte and checked before it is freed or
; after it moves, so overlapping blocks or lost contents show up.
%include "ut.inc"

SLOTS       equ 64
ROUNDS      equ 3000

section .bss
ptrs:       resd SLOTS
sizes:      resd SLOTS
seed:       resd 1

section .text

; The next pseudo-random number (a 32-bit LCG, top bits), in eax; clobbers edx.
random:
    imul eax, [seed], 1103515245
    add eax, 12345
    mov [seed], eax
    shr eax, 8
    ret

; eax = 0 when the block of slot ebx holds its fill byte in every byte, else nonzero.
check_slot:
    push ecx
    push edi
    mov edi, [ptrs + ebx * 4]
    mov ecx, [sizes + ebx * 4]
    lea eax, [ebx + 1]
    cld
    repe scasb
    setne al
    movzx eax, al
    pop edi
    pop ecx
    ret

; Fills the block of slot ebx with its byte.
fill_slot:
    push ecx
    push edi
    mov edi, [ptrs + ebx * 4]
    mov ecx, [sizes + ebx * 4]
    lea eax, [ebx + 1]
    cld
    rep stosb
    pop edi
    pop ecx
    ret

; A size in eax: mostly small, sometimes up to 64 KiB.
random_size:
    call random
    test eax, 0xf
    jnz .small
    call random
    and eax, 0xffff
    inc eax
    ret
.small:
    call random
    and eax, 0x1ff
    inc eax
    ret

TEST_BEGIN test_malloc
    mov dword [seed], 2024
    xor esi, esi                ; the round
.round:
    call random
    xor edx, edx
    mov ecx, SLOTS
    div ecx
    mov ebx, edx                ; the slot
    cmp dword [ptrs + ebx * 4], 0
    jne .used
    call random_size
    mov [sizes + ebx * 4], eax
    test esi, 7
    jz .calloc
    ccall malloc, eax
    test eax, eax
    FAIL_UNLESS "malloc returned NULL", nz
    jmp .allocated
.calloc:
    ccall calloc, eax, 1
    test eax, eax
    FAIL_UNLESS "calloc returned NULL", nz
    mov edi, eax
    mov ecx, [sizes + ebx * 4]
    push eax
    xor eax, eax
    repe scasb
    pop eax
    FAIL_UNLESS "calloc memory is not zero", e
.allocated:
    test eax, 7
    FAIL_UNLESS "malloc memory is not 8-aligned", z
    mov [ptrs + ebx * 4], eax
    call fill_slot
    jmp .next
.used:
    call check_slot
    test eax, eax
    FAIL_UNLESS "a block's contents changed while it was allocated", z
    call random
    test eax, 1
    jz .realloc
    ccall free, [ptrs + ebx * 4]
    mov dword [ptrs + ebx * 4], 0
    jmp .next
.realloc:
    call random_size
    mov edi, eax
    ccall realloc, [ptrs + ebx * 4], edi
    test eax, eax
    FAIL_UNLESS "realloc returned NULL", nz
    mov [ptrs + ebx * 4], eax
    mov ecx, [sizes + ebx * 4]  ; what survives is the smaller of the two sizes
    cmp ecx, edi
    jbe .kept
    mov [sizes + ebx * 4], edi
.kept:
    call check_slot
    test eax, eax
    FAIL_UNLESS "realloc lost the contents", z
    mov [sizes + ebx * 4], edi
    call fill_slot
.next:
    inc esi
    cmp esi, ROUNDS
    jb .round
    xor ebx, ebx                ; check and free what is left
.final:
    cmp dword [ptrs + ebx * 4], 0
    je .final_next
    call check_slot
    test eax, eax
    FAIL_UNLESS "a block's contents changed", z
    ccall free, [ptrs + ebx * 4]
    mov dword [ptrs + ebx * 4], 0
.final_next:
    inc ebx
    cmp ebx, SLOTS
    jb .final
    mov dword [errno], 0
    ccall malloc, 0xfffffff0
    EXPECT_EQ eax, 0, "malloc of nearly 4 GiB succeeded"
    EXPECT_EQ dword [errno], ENOMEM, "malloc failure sets ENOMEM"
    ccall calloc, 0x10000, 0x10001
    EXPECT_EQ eax, 0, "calloc with an overflowing size succeeded"
    ccall malloc, 100               ; the freed heap is reused, not grown without end
    mov esi, eax
    ccall free, esi
    ccall malloc, 100
    EXPECT_EQ eax, esi, "a freed block is not reused"
    ccall free, eax
TEST_END
