; String and memory functions (cdecl: ebx, esi, edi, ebp are preserved by every function).
bits 32
section .text

; size_t strlen(const char *s)                      clobbers eax, ecx, edx
global strlen:function
strlen:
    mov edx, [esp + 4]
    mov eax, edx
.next:
    cmp byte [eax], 0
    je .end
    inc eax
    jmp .next
.end:
    sub eax, edx
    ret

; int strcmp(const char *a, const char *b)          clobbers eax, ecx, edx
; Compares as unsigned char, like C.
global strcmp:function
strcmp:
    mov ecx, [esp + 4]
    mov edx, [esp + 8]
.next:
    movzx eax, byte [ecx]
    cmp al, [edx]
    jne .differ
    test al, al
    jz .equal
    inc ecx
    inc edx
    jmp .next
.differ:
    movzx edx, byte [edx]
    sub eax, edx
    ret
.equal:
    xor eax, eax
    ret

; int strncmp(const char *a, const char *b, size_t n)   clobbers eax, ecx, edx
global strncmp:function
strncmp:
    push ebx
    mov ecx, [esp + 8]
    mov edx, [esp + 12]
    mov ebx, [esp + 16]
.next:
    xor eax, eax
    test ebx, ebx
    jz .done
    movzx eax, byte [ecx]
    cmp al, [edx]
    jne .differ
    test al, al
    jz .equal
    inc ecx
    inc edx
    dec ebx
    jmp .next
.differ:
    movzx edx, byte [edx]
    sub eax, edx
    jmp .done
.equal:
    xor eax, eax
.done:
    pop ebx
    ret

; char *strcpy(char *dst, const char *src)          clobbers eax, ecx, edx
global strcpy:function
strcpy:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
    xor ecx, ecx
.next:
    mov cl, [edx]
    mov [eax], cl
    inc eax
    inc edx
    test cl, cl
    jnz .next
    mov eax, [esp + 4]
    ret

; char *strncpy(char *dst, const char *src, size_t n)   clobbers eax, ecx, edx
; Copies at most n bytes and fills the rest of the n with NULs, like C.
global strncpy:function
strncpy:
    push ebx
    mov eax, [esp + 8]
    mov edx, [esp + 12]
    mov ecx, [esp + 16]
.copy:
    test ecx, ecx
    jz .done
    mov bl, [edx]
    mov [eax], bl
    inc eax
    dec ecx
    test bl, bl
    jz .fill
    inc edx
    jmp .copy
.fill:
    test ecx, ecx
    jz .done
    mov byte [eax], 0
    inc eax
    dec ecx
    jmp .fill
.done:
    mov eax, [esp + 8]
    pop ebx
    ret

; char *strcat(char *dst, const char *src)          clobbers eax, ecx, edx
global strcat:function
strcat:
    mov eax, [esp + 4]
.end:
    cmp byte [eax], 0
    je .copy
    inc eax
    jmp .end
.copy:
    push dword [esp + 8]
    push eax
    call strcpy
    add esp, 8
    mov eax, [esp + 4]
    ret

; char *strchr(const char *s, int c)                clobbers eax, ecx, edx
; Finds the terminating NUL too when c is 0, like C.
global strchr:function
strchr:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
.next:
    mov cl, [eax]
    cmp cl, dl
    je .found
    test cl, cl
    jz .none
    inc eax
    jmp .next
.none:
    xor eax, eax
.found:
    ret

; char *strrchr(const char *s, int c)               clobbers eax, ecx, edx
global strrchr:function
strrchr:
    push ebx
    mov ebx, [esp + 8]
    mov edx, [esp + 12]
    xor eax, eax
.next:
    mov cl, [ebx]
    cmp cl, dl
    jne .other
    mov eax, ebx
.other:
    inc ebx
    test cl, cl
    jnz .next
    pop ebx
    ret

; char *strstr(const char *haystack, const char *needle)   clobbers eax, ecx, edx
; An empty needle matches at the start of haystack, like C.
global strstr:function
strstr:
    push ebx
    push esi
    mov eax, [esp + 12]
    mov esi, [esp + 16]
.start:
    xor ecx, ecx
.compare:
    mov dl, [esi + ecx]
    test dl, dl
    jz .found
    mov bl, [eax + ecx]
    cmp bl, dl
    jne .advance
    inc ecx
    jmp .compare
.advance:
    cmp byte [eax], 0
    je .none
    inc eax
    jmp .start
.none:
    xor eax, eax
.found:
    pop esi
    pop ebx
    ret

; void *memcpy(void *dst, const void *src, size_t n)   clobbers eax, ecx, edx
global memcpy:function
memcpy:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    mov eax, edi
    cld
    rep movsb
    pop edi
    pop esi
    ret

; void *memmove(void *dst, const void *src, size_t n)  clobbers eax, ecx, edx
; Copies backwards when dst overlaps the end of src, so overlapping moves are safe.
global memmove:function
memmove:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    mov eax, edi
    mov edx, edi
    sub edx, esi
    cmp edx, ecx
    jb .backward
    cld
    rep movsb
    jmp .done
.backward:
    lea esi, [esi + ecx - 1]
    lea edi, [edi + ecx - 1]
    std
    rep movsb
    cld
.done:
    pop edi
    pop esi
    ret

; void *memset(void *dst, int c, size_t n)         clobbers eax, ecx, edx
global memset:function
memset:
    push edi
    mov edi, [esp + 8]
    mov eax, [esp + 12]
    mov ecx, [esp + 16]
    mov edx, edi
    cld
    rep stosb
    mov eax, edx
    pop edi
    ret

; int memcmp(const void *a, const void *b, size_t n)   clobbers eax, ecx, edx
global memcmp:function
memcmp:
    push ebx
    push esi
    mov esi, [esp + 12]
    mov edx, [esp + 16]
    mov ecx, [esp + 20]
    xor eax, eax
.next:
    test ecx, ecx
    jz .done
    movzx eax, byte [esi]
    movzx ebx, byte [edx]
    sub eax, ebx
    jnz .done
    inc esi
    inc edx
    dec ecx
    jmp .next
.done:
    pop esi
    pop ebx
    ret

; const struct { const char *name; void *value; } *lookup_name(table, const char *name)
;                                                   clobbers eax, ecx, edx
; The entry of `table` (pairs of dwords, ended by a null name) whose name equals `name`, or 0.
global lookup_name:function
lookup_name:
    push ebx
    mov ebx, [esp + 8]
.next:
    mov eax, [ebx]
    test eax, eax
    jz .done
    push dword [esp + 12]
    push eax
    call strcmp
    add esp, 8
    test eax, eax
    jz .found
    add ebx, 8
    jmp .next
.found:
    mov eax, ebx
.done:
    pop ebx
    ret

; int run_named(const struct { const char *name; void *value; } *table, int argc,
;               char **argv, void (*fn)(const void *entry))        clobbers eax, ecx, edx
; Calls fn with every entry of `table` when argv names none, else with the entry of each
; name in argv[1..argc-1], in order, once all the names are known (a typo runs nothing).
; 0, or the index in argv of the first unknown name.
global run_named:function
run_named:
    push ebx
    push esi
    mov esi, 1
    cmp dword [esp + 16], 1
    jg .check
    mov ebx, [esp + 12]
.all:
    cmp dword [ebx], 0
    je .done
    push ebx
    call [esp + 28]
    add esp, 4
    add ebx, 8
    jmp .all
.check:
    call .lookup
    test eax, eax
    jz .unknown
    inc esi
    cmp esi, [esp + 16]
    jl .check
    mov esi, 1
.each:
    call .lookup
    push eax
    call [esp + 28]
    add esp, 4
    inc esi
    cmp esi, [esp + 16]
    jl .each
.done:
    xor eax, eax
    jmp .return
.unknown:
    mov eax, esi
.return:
    pop esi
    pop ebx
    ret
; the entry for argv[esi] (esp + 4 more than in the body: this call's return address)
.lookup:
    mov eax, [esp + 24]
    push dword [eax + esi * 4]
    push dword [esp + 20]
    call lookup_name
    add esp, 8
    ret
