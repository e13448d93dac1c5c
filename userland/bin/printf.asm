; printf FORMAT [ARGUMENT]...: prints the arguments under the control of FORMAT, like the
; printf command: backslash escapes (\n \t \\ \a \b \f \r \v \" \NNN octal), the libc's
; conversions (%d %i %u %x %X %o with numbers written in decimal, 0x hex or 0 octal; %c
; prints the first character of its argument; %s; %%), and FORMAT used again while
; arguments remain. Missing arguments count as 0 or "".
bits 32
%include "libc.inc"

MAXVALUES   equ 64              ; values passed to vprintf per use of the format

section .rodata
usage:      db "usage: printf FORMAT [ARGUMENT]...", 10, 0
not_number: db "printf: '%s': expected a numeric value", 10, 0
bad_conv:   db "printf: %%%c: invalid conversion", 10, 0
empty:      db 0

section .bss
format:     resb 4096           ; FORMAT with its escapes decoded
values:     resd MAXVALUES
status:     resd 1
next_arg:   resd 1              ; index in argv of the next argument to use
argc:       resd 1
argv:       resd 1

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    mov eax, [ebp + 8]
    mov [argc], eax
    mov eax, [ebp + 12]
    mov [argv], eax
    cmp dword [argc], 2
    jl .usage
    mov eax, [argv]
    ccall decode, [eax + 4], format
    mov dword [next_arg], 2
.pass:
    mov ebx, [next_arg]         ; to see whether this pass used any argument
    call collect
    test eax, eax
    jnz .failed
    ccall vprintf, format, values
    mov eax, [next_arg]
    cmp eax, [argc]
    jge .done
    cmp eax, ebx
    jne .pass                   ; arguments remain and the format uses some: again
.done:
    mov eax, [status]
.return:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    jmp .return
.failed:
    mov eax, 1
    jmp .return

; Takes the next argument as a string in eax ("" when none is left).
take:
    mov eax, [next_arg]
    cmp eax, [argc]
    jge .none
    inc dword [next_arg]
    mov ecx, [argv]
    mov eax, [ecx + eax * 4]
    ret
.none:
    mov eax, empty
    ret

; Takes the next argument as a number in eax, complaining (status 1) when it is not one.
; take_unsigned reads it as unsigned, so the whole 32-bit range fits.
take_unsigned:
    mov edx, strtoul
    jmp take_any
take_number:
    mov edx, strtol
take_any:
    push ebx
    push esi
    push edx
    call take
    pop edx
    mov ebx, eax
    push 0                      ; end pointer
    mov eax, esp
    ccall edx, ebx, eax, 0
    pop ecx
    mov esi, eax
    cmp byte [ebx], 0
    je .ok                      ; a missing argument is 0 without complaint
    cmp byte [ecx], 0
    je .ok
    ccall fprintf, [stderr], not_number, ebx
    mov dword [status], 1
.ok:
    mov eax, esi
    pop esi
    pop ebx
    ret

; int collect(void): walks the format and fills values with one word per conversion
; (and per *); 0, or 1 after reporting a conversion this printf does not know.
collect:
    push ebx
    push esi
    push edi
    mov esi, format
    mov edi, values
.scan:
    mov al, [esi]
    inc esi
    test al, al
    jz .ok
    cmp al, '%'
    jne .scan
.flags:
    mov al, [esi]
    cmp al, '-'
    je .flag
    cmp al, '0'
    je .flag
    cmp al, '+'
    je .flag
    cmp al, ' '
    je .flag
    cmp al, '#'
    je .flag
    jmp .width
.flag:
    inc esi
    jmp .flags
.width:
    call .star_or_digits
    cmp byte [esi], '.'
    jne .conversion
    inc esi
    call .star_or_digits
.conversion:
    movzx eax, byte [esi]
    inc esi
    cmp al, '%'
    je .scan
    cmp al, 's'
    je .string
    cmp al, 'c'
    je .char
    cmp al, 'd'
    je .number
    cmp al, 'i'
    je .number
    cmp al, 'u'
    je .unsigned
    cmp al, 'x'
    je .unsigned
    cmp al, 'X'
    je .unsigned
    cmp al, 'o'
    je .unsigned
    ccall fprintf, [stderr], bad_conv, eax
    mov eax, 1
    jmp .done
.string:
    call take
    jmp .store
.char:
    call take
    movzx eax, byte [eax]
    jmp .store
.number:
    call take_number
    jmp .store
.unsigned:
    call take_unsigned
.store:
    cmp edi, values + 4 * MAXVALUES
    jae .scan
    mov [edi], eax
    add edi, 4
    jmp .scan
.ok:
    xor eax, eax
.done:
    pop edi
    pop esi
    pop ebx
    ret
; a * takes a number argument; digits are skipped
.star_or_digits:
    cmp byte [esi], '*'
    jne .digits
    inc esi
    call take_number
    cmp edi, values + 4 * MAXVALUES
    jae .digits
    mov [edi], eax
    add edi, 4
    ret
.digits:
    mov al, [esi]
    sub al, '0'
    cmp al, 9
    ja .digits_done
    inc esi
    jmp .digits
.digits_done:
    ret

; void decode(const char *src, char *dst): copies src with its backslash escapes decoded.
decode:
    push esi
    push edi
    mov esi, [esp + 12]
    mov edi, [esp + 16]
.next:
    mov al, [esi]
    inc esi
    cmp al, '\'
    je .escape
.store:
    mov [edi], al
    inc edi
    test al, al
    jnz .next
    pop edi
    pop esi
    ret
.escape:
    mov al, [esi]
    inc esi
    mov ah, 10
    cmp al, 'n'
    je .mapped
    mov ah, 9
    cmp al, 't'
    je .mapped
    mov ah, 7
    cmp al, 'a'
    je .mapped
    mov ah, 8
    cmp al, 'b'
    je .mapped
    mov ah, 12
    cmp al, 'f'
    je .mapped
    mov ah, 13
    cmp al, 'r'
    je .mapped
    mov ah, 11
    cmp al, 'v'
    je .mapped
    mov ah, al
    cmp al, '\'
    je .mapped
    cmp al, '"'
    je .mapped
    sub al, '0'
    cmp al, 7
    jbe .octal
    dec esi                     ; not an escape: the backslash stays as written
    mov al, '\'
    jmp .store
.mapped:
    mov al, ah
    jmp .store
.octal:
    ; up to three octal digits
    movzx edx, al
    mov ecx, 2
.octal_next:
    mov al, [esi]
    sub al, '0'
    cmp al, 7
    ja .octal_done
    shl edx, 3
    or dl, al
    inc esi
    dec ecx
    jnz .octal_next
.octal_done:
    mov al, dl
    test al, al
    jz .nul                     ; \0 ends the output, like C strings do
    jmp .store
.nul:
    mov byte [edi], 0
    pop edi
    pop esi
    ret
