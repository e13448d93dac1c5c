; Number parsing and process exit.
bits 32
%include "errno.inc"

extern errno, fflush, _exit

section .text

; long strtol(const char *s, char **end, int base)  clobbers eax, ecx, edx
; Skips leading white space, takes a sign, then digits of base (2..36; 0 picks 16 for 0x,
; 8 for a leading 0, else 10; 16 accepts a 0x prefix). *end (if end is not NULL) gets the
; first unparsed character, or s when there were no digits. Overflow gives LONG_MAX or
; LONG_MIN and errno = ERANGE; a bad base gives 0 and errno = EINVAL.
global strtol:function
strtol:
    push 0
    jmp strto32

; unsigned long strtoul(const char *s, char **end, int base)   clobbers eax, ecx, edx
; As strtol, for the range 0..ULONG_MAX: overflow gives ULONG_MAX and errno = ERANGE, and
; a minus sign negates the value modulo 2^32, like C.
global strtoul:function
strtoul:
    push 1

; The two above, entered with the flag (1: unsigned) pushed above their return address;
; it drops the flag on return.
%define S     [esp + 24]
%define END   [esp + 28]
%define BASE  [esp + 32]
%define UNSIGNED dword [esp + 16]
strto32:
    push ebx
    push esi
    push edi
    push ebp
    mov esi, S
    mov ebx, BASE
    xor ebp, ebp                ; 1 when negative
    xor edi, edi                ; accumulated magnitude
    cmp ebx, 1
    je .badbase
    cmp ebx, 36
    ja .badbase
.space:
    movzx eax, byte [esi]
    cmp al, ' '
    je .skip
    cmp al, 9
    jb .sign
    cmp al, 13
    ja .sign
.skip:
    inc esi
    jmp .space
.sign:
    cmp al, '-'
    jne .plus
    inc ebp
    inc esi
    jmp .prefix
.plus:
    cmp al, '+'
    jne .prefix
    inc esi
.prefix:
    cmp byte [esi], '0'
    jne .nozero
    mov al, [esi + 1]
    or al, 0x20
    cmp al, 'x'
    jne .octal
    test ebx, ebx
    jz .hex
    cmp ebx, 16
    jne .digits
.hex:
    movzx eax, byte [esi + 2]   ; "0x" counts as a prefix only when a hex digit follows
    call digit_value
    cmp eax, 16
    jae .digits
    add esi, 2
    mov ebx, 16
    jmp .digits
.octal:
    test ebx, ebx
    jnz .digits
    mov ebx, 8
    jmp .digits
.nozero:
    test ebx, ebx
    jnz .digits
    mov ebx, 10
.digits:
    test ebx, ebx
    jnz .start
    mov ebx, 10
.start:
    mov ecx, esi                ; where the digits start
    push ecx
    xor ecx, ecx                ; 1 once overflowed
.loop:
    movzx eax, byte [esi]
    call digit_value
    cmp eax, ebx
    jae .stop
    inc esi
    test ecx, ecx
    jnz .loop
    push eax
    mov eax, edi
    mul ebx
    pop edi
    jc .over
    test edx, edx
    jnz .over
    add edi, eax
    jc .over
    jmp .loop
.over:
    mov ecx, 1
    jmp .loop
.stop:
    pop eax                     ; start of digits
    cmp eax, esi
    jne .had_digits
    mov esi, S                  ; no digits: nothing was parsed
    xor eax, eax
    jmp .store_end
.had_digits:
    test ecx, ecx
    jnz .range
    cmp UNSIGNED, 0
    je .signed
    mov eax, edi
    test ebp, ebp
    jz .store_end
    neg eax
    jmp .store_end
.signed:
    test ebp, ebp
    jnz .negative
    cmp edi, 0x7fffffff
    ja .range
    mov eax, edi
    jmp .store_end
.negative:
    cmp edi, 0x80000000
    ja .range
    mov eax, edi
    neg eax
    jmp .store_end
.range:
    mov dword [errno], ERANGE
    mov eax, 0xffffffff
    cmp UNSIGNED, 0
    jne .store_end
    mov eax, 0x7fffffff
    add eax, ebp                ; LONG_MIN when negative
    jmp .store_end
.badbase:
    mov dword [errno], EINVAL
    xor eax, eax
    mov esi, S
.store_end:
    mov edx, END
    test edx, edx
    jz .done
    mov [edx], esi
.done:
    pop ebp
    pop edi
    pop esi
    pop ebx
    add esp, 4                  ; the flag
    ret
%undef S
%undef END
%undef BASE
%undef UNSIGNED

; The value of the digit character in eax (0..35), or 99 when it is not a digit.
digit_value:
    cmp eax, '0'
    jb .no
    cmp eax, '9'
    jbe .dec
    or eax, 0x20
    cmp eax, 'a'
    jb .no
    cmp eax, 'z'
    ja .no
    sub eax, 'a' - 10
    ret
.dec:
    sub eax, '0'
    ret
.no:
    mov eax, 99
    ret

; int atoi(const char *s)                           clobbers eax, ecx, edx
global atoi:function
atoi:
    push 10
    push 0
    push dword [esp + 12]
    call strtol
    add esp, 12
    ret

; void exit(int status)                             does not return
; Flushes stdout and stderr before the process ends, so buffered output is never lost.
global exit:function
exit:
    push 0
    call fflush
    add esp, 4
    push dword [esp + 4]
    call _exit
    hlt                         ; _exit does not return; a fault here would show that it did

extern environ

; char *getenv(const char *name)                    clobbers eax, ecx, edx
; The value of name in the environment, or NULL.
global getenv:function
getenv:
    push ebx
    push esi
    push edi
    mov ebx, [environ]
    test ebx, ebx
    jz .none
.entry:
    mov esi, [ebx]
    test esi, esi
    jz .none
    mov edi, [esp + 16]
.compare:
    mov al, [edi]
    test al, al
    jz .name_end
    cmp al, [esi]
    jne .other
    inc esi
    inc edi
    jmp .compare
.name_end:
    cmp byte [esi], '='
    jne .other
    lea eax, [esi + 1]
    jmp .done
.other:
    add ebx, 4
    jmp .entry
.none:
    xor eax, eax
.done:
    pop edi
    pop esi
    pop ebx
    ret
