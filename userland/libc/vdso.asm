; Finding a function in the vDSO, the ELF shared object the kernel maps into every process
; (its address comes from AT_SYSINFO_EHDR, kept by crt0).
bits 32

extern __vdso_ehdr, strcmp

PT_DYNAMIC  equ 2
DT_NULL     equ 0
DT_HASH     equ 4
DT_STRTAB   equ 5
DT_SYMTAB   equ 6

section .text

; void *vdso_sym(const char *name)                  clobbers eax, ecx, edx
; The address of the vDSO's defined symbol name, or NULL (no vDSO, or no such symbol). The
; image's addresses count from its start, as Linux links it; symbol versions are not checked.
global vdso_sym:function
vdso_sym:
    push ebx
    push esi
    push edi
    push ebp
    mov ebx, [__vdso_ehdr]
    test ebx, ebx
    jz .none
    cmp dword [ebx], 0x464c457f ; "\x7fELF"
    jne .none
    ; the dynamic segment, from the program headers
    mov esi, [ebx + 28]         ; e_phoff
    add esi, ebx
    movzx ecx, word [ebx + 44]  ; e_phnum
.phdr:
    test ecx, ecx
    jz .none
    cmp dword [esi], PT_DYNAMIC
    je .dynamic
    movzx eax, word [ebx + 42]  ; e_phentsize
    add esi, eax
    dec ecx
    jmp .phdr
.dynamic:
    mov esi, [esi + 8]          ; p_vaddr
    add esi, ebx
    xor edi, edi                ; the symbol table
    xor ebp, ebp                ; the string table
    xor edx, edx                ; the hash table (for the number of symbols)
.tag:
    mov eax, [esi]
    cmp eax, DT_NULL
    je .tables
    mov ecx, [esi + 4]
    add ecx, ebx
    cmp eax, DT_SYMTAB
    jne .not_symtab
    mov edi, ecx
.not_symtab:
    cmp eax, DT_STRTAB
    jne .not_strtab
    mov ebp, ecx
.not_strtab:
    cmp eax, DT_HASH
    jne .next_tag
    mov edx, ecx
.next_tag:
    add esi, 8
    jmp .tag
.tables:
    test edi, edi
    jz .none
    test ebp, ebp
    jz .none
    test edx, edx
    jz .none
    mov esi, [edx + 4]          ; nchain: how many symbols there are
.symbol:
    test esi, esi
    jz .none
    cmp word [edi + 14], 0      ; st_shndx: undefined symbols do not count
    je .next_symbol
    mov eax, [edi]              ; st_name
    add eax, ebp
    push dword [esp + 20]       ; name
    push eax
    call strcmp
    add esp, 8
    test eax, eax
    jnz .next_symbol
    mov eax, [edi + 4]          ; st_value
    add eax, ebx
    jmp .done
.next_symbol:
    add edi, 16
    dec esi
    jmp .symbol
.none:
    xor eax, eax
.done:
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret
