; The heap: malloc, free, calloc, realloc on memory from brk().
; Blocks lie end to end from heap_start to heap_end; each starts with an 8-byte header
; {size of the whole block, a multiple of 8; USED or FREE} and hands out 8-aligned memory.
; malloc is first fit, merging runs of free blocks as it walks and splitting what it takes.
bits 32
%include "errno.inc"

extern brk, errno, memcpy, memset, write, _exit

USED        equ 0xa110c8ed
FREE        equ 0xf7eeb10c
HDR         equ 8
GROW        equ 16384           ; the heap grows by at least this much, to save brk calls

section .bss
heap_start: resd 1
heap_end:   resd 1

section .rodata
bad_free:   db "free(): invalid pointer", 10
BAD_FREE_LEN equ $ - bad_free

section .text

; Merges the free blocks that follow the free block at esi into it. Clobbers eax, edx.
merge_following:
    mov eax, [esi]
.next:
    lea edx, [esi + eax]
    cmp edx, [heap_end]
    jae .done
    cmp dword [edx + 4], FREE
    jne .done
    add eax, [edx]
    mov [esi], eax
    jmp .next
.done:
    ret

; Cuts the block at esi down to ecx bytes when the rest makes a block of its own. Clobbers eax, edx.
split:
    mov eax, [esi]
    sub eax, ecx
    cmp eax, 2 * HDR
    jb .keep
    lea edx, [esi + ecx]
    mov [edx], eax
    mov dword [edx + 4], FREE
    mov [esi], ecx
.keep:
    ret

; The block size for a request of eax bytes, in ecx; CF set when it is too large.
block_size:
    cmp eax, 0x7ffffff0
    ja .too_big
    lea ecx, [eax + HDR + 7]
    and ecx, -8
    cmp ecx, 2 * HDR
    jae .ok
    mov ecx, 2 * HDR
.ok:
    clc
    ret
.too_big:
    stc
    ret

; void *malloc(size_t n)                            clobbers eax, ecx, edx
; NULL with errno = ENOMEM when the heap cannot grow; malloc(0) gives a unique pointer.
global malloc:function
malloc:
    push ebx
    push esi
    mov eax, [esp + 12]
    call block_size
    jc .nomem
    mov ebx, ecx                ; the block size needed
    cmp dword [heap_start], 0
    jne .scan
    push 0
    call brk                    ; brk(0) answers the current break
    add esp, 4
    add eax, 7
    and eax, -8
    mov [heap_start], eax
    mov [heap_end], eax
.scan:
    mov esi, [heap_start]
.walk:
    cmp esi, [heap_end]
    jae .grow
    cmp dword [esi + 4], FREE
    jne .skip
    call merge_following
    cmp eax, ebx
    jae .take
.skip:
    add esi, [esi]
    jmp .walk
.take:
    mov ecx, ebx
    call split
    mov dword [esi + 4], USED
    lea eax, [esi + HDR]
    jmp .done
.grow:
    mov eax, ebx
    cmp eax, GROW
    jae .grow_by
    mov eax, GROW
.grow_by:
    mov esi, [heap_end]
    add eax, esi
    jc .nomem
    push eax
    push eax
    call brk                    ; the new break, or the old one when refused
    add esp, 4
    pop ecx
    cmp eax, ecx
    jb .nomem
    mov eax, ecx
    sub eax, esi
    mov [esi], eax
    mov dword [esi + 4], FREE
    mov [heap_end], ecx
    jmp .scan
.nomem:
    mov dword [errno], ENOMEM
    xor eax, eax
.done:
    pop esi
    pop ebx
    ret

; The header of the block handed out at eax, in eax; a pointer malloc did not give ends
; the process with a message (exit status 134, what a shell shows for an abort).
header_of:
    sub eax, HDR
    cmp dword [eax + 4], USED
    jne .bad
    ret
.bad:
    push BAD_FREE_LEN
    push bad_free
    push 2
    call write
    push 134
    call _exit

; void free(void *p)                                clobbers eax, ecx, edx
global free:function
free:
    mov eax, [esp + 4]
    test eax, eax
    jz .done
    call header_of
    mov dword [eax + 4], FREE
.done:
    ret

; void *calloc(size_t count, size_t size)           clobbers eax, ecx, edx
; Zeroed memory; NULL with errno = ENOMEM when count * size overflows.
global calloc:function
calloc:
    mov eax, [esp + 4]
    mul dword [esp + 8]
    jc .nomem
    push eax
    push eax
    call malloc
    add esp, 4
    pop ecx
    test eax, eax
    jz .done
    push ecx
    push 0
    push eax
    call memset
    add esp, 12
.done:
    ret
.nomem:
    mov dword [errno], ENOMEM
    xor eax, eax
    ret

; void *realloc(void *p, size_t n)                  clobbers eax, ecx, edx
; Grows in place when the following blocks are free; otherwise moves the contents. On
; failure p is left as it was and NULL returned; realloc(p, 0) frees p and gives NULL.
global realloc:function
realloc:
    push ebx
    push esi
    push edi
    mov edi, [esp + 16]         ; p
    test edi, edi
    jnz .have
    push dword [esp + 20]
    call malloc
    add esp, 4
    jmp .done
.have:
    mov eax, [esp + 20]
    test eax, eax
    jnz .resize
    push edi
    call free
    add esp, 4
    xor eax, eax
    jmp .done
.resize:
    call block_size
    jc .nomem
    mov ebx, ecx
    mov eax, edi
    call header_of
    mov esi, eax
    mov dword [esi + 4], FREE   ; lets merge_following treat it as the head of a free run
    call merge_following
    mov dword [esi + 4], USED
    cmp eax, ebx
    jb .move
    mov ecx, ebx
    call split
    mov eax, edi
    jmp .done
.move:
    push dword [esp + 20]
    call malloc
    add esp, 4
    test eax, eax
    jz .done
    mov ecx, [esi]
    sub ecx, HDR
    push eax
    push ecx
    push edi
    push eax
    call memcpy
    add esp, 12
    push edi
    call free
    add esp, 4
    pop eax
    jmp .done
.nomem:
    mov dword [errno], ENOMEM
    xor eax, eax
.done:
    pop edi
    pop esi
    pop ebx
    ret
