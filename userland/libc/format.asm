; The printf engine: formats into any sink. Conversions %d %i %u %x %X %o %c %s %p %%,
; flags - 0 + space #, a width and a precision (digits or *), and the length letters l h z
; (accepted and ignored: int, long and pointers are all 32 bits here).
bits 32
%include "format.inc"

section .rodata
null_str:   db "(null)", 0
nil_str:    db "(nil)", 0
hex_prefix: db "0x", 0
hex_prefix_upper: db "0X", 0
digits_lo:  db "0123456789abcdef"
digits_hi:  db "0123456789ABCDEF"

LEFT        equ 1
ZERO        equ 2
PLUS        equ 4
SPACE       equ 8
ALT         equ 16

; The frame of __vformat.
%define FLAGS   dword [ebp - 16]
%define WIDTH   dword [ebp - 20]
%define PREC    dword [ebp - 24]
%define SIGN    dword [ebp - 28]       ; the sign character, or 0
%define PREFIX  dword [ebp - 32]       ; "0x" for %p, or 0
%define BODY    dword [ebp - 36]       ; the digits or the string
%define LEN     dword [ebp - 40]
%define ZEROS   dword [ebp - 44]
%define DIGITS  dword [ebp - 48]       ; the digit table for this conversion
%define CONV    dword [ebp - 100]      ; the conversion letter
NUMEND      equ -52                     ; the number is built backwards, ending here
LOCALS      equ 96                      ; down to ebp - 108

section .text

; int __vformat(struct out *o, const char *fmt, va_list ap)   clobbers eax, ecx, edx
; Sends the formatted bytes to o->put one at a time and returns how many there were.
global __vformat:function
__vformat:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    sub esp, LOCALS
    mov ebx, [ebp + 8]
    mov esi, [ebp + 12]
    mov edi, [ebp + 16]
.next:
    movzx eax, byte [esi]
    inc esi
    test eax, eax
    jz .finish
    cmp al, '%'
    je .conversion
    call [ebx + OUT_PUT]
    jmp .next

.conversion:
    xor eax, eax
    mov FLAGS, eax
    mov WIDTH, eax
    mov SIGN, eax
    mov PREFIX, eax
    mov ZEROS, eax
    mov PREC, -1
    mov DIGITS, digits_lo
.flag:
    movzx eax, byte [esi]
    mov ecx, LEFT
    cmp al, '-'
    je .setflag
    mov ecx, ZERO
    cmp al, '0'
    je .setflag
    mov ecx, PLUS
    cmp al, '+'
    je .setflag
    mov ecx, SPACE
    cmp al, ' '
    je .setflag
    mov ecx, ALT
    cmp al, '#'
    je .setflag
    jmp .width
.setflag:
    or FLAGS, ecx
    inc esi
    jmp .flag

.width:
    cmp al, '*'
    jne .width_digits
    inc esi
    mov eax, [edi]
    add edi, 4
    test eax, eax
    jns .width_set
    or FLAGS, LEFT              ; a negative * width means left-justified, like C
    neg eax
.width_set:
    mov WIDTH, eax
    jmp .precision
.width_digits:
    call .number_in_format
    mov WIDTH, eax

.precision:
    cmp byte [esi], '.'
    jne .length
    inc esi
    cmp byte [esi], '*'
    jne .prec_digits
    inc esi
    mov eax, [edi]
    add edi, 4
    test eax, eax
    jns .prec_set
    mov eax, -1                 ; a negative * precision counts as none
.prec_set:
    mov PREC, eax
    jmp .length
.prec_digits:
    call .number_in_format
    mov PREC, eax

.length:
    movzx eax, byte [esi]
    cmp al, 'l'
    je .skip_length
    cmp al, 'h'
    je .skip_length
    cmp al, 'z'
    jne .convert
.skip_length:
    inc esi
    jmp .length

.convert:
    inc esi
    mov CONV, eax
    cmp al, 'd'
    je .signed
    cmp al, 'i'
    je .signed
    cmp al, 'u'
    je .decimal
    cmp al, 'x'
    je .hex
    cmp al, 'X'
    je .hex_upper
    cmp al, 'o'
    je .octal
    cmp al, 'p'
    je .pointer
    cmp al, 'c'
    je .char
    cmp al, 's'
    je .string
    cmp al, '%'
    je .literal
    test al, al
    jz .truncated
    ; an unknown conversion is printed as written
    push eax
    mov eax, '%'
    call [ebx + OUT_PUT]
    pop eax
.literal:
    call [ebx + OUT_PUT]
    jmp .next
.truncated:
    dec esi
    jmp .next

.signed:
    mov eax, [edi]
    add edi, 4
    mov ecx, 10
    test eax, eax
    jns .positive
    neg eax
    mov SIGN, '-'
    jmp .number
.positive:
    test FLAGS, PLUS
    jz .maybe_space
    mov SIGN, '+'
    jmp .number
.maybe_space:
    test FLAGS, SPACE
    jz .number
    mov SIGN, ' '
    jmp .number
.decimal:
    mov ecx, 10
    jmp .fetch_unsigned
.hex_upper:
    mov DIGITS, digits_hi
.hex:
    mov ecx, 16
    mov eax, [edi]
    add edi, 4
    test FLAGS, ALT
    jz .number
    test eax, eax
    jz .number                  ; %#x of 0 is plain 0, like C
    mov PREFIX, hex_prefix
    cmp CONV, 'X'
    jne .number
    mov PREFIX, hex_prefix_upper
    jmp .number
.octal:
    mov ecx, 8
.fetch_unsigned:
    mov eax, [edi]
    add edi, 4
    jmp .number
.pointer:
    mov eax, [edi]
    add edi, 4
    test eax, eax
    jnz .pointer_hex
    mov BODY, nil_str
    mov LEN, 5
    jmp .pad
.pointer_hex:
    mov PREFIX, hex_prefix
    mov ecx, 16

    ; eax = magnitude, ecx = base
.number:
    push edi
    lea edi, [ebp + NUMEND]
    mov BODY, edi
    cmp PREC, 0
    jne .divide
    test eax, eax
    jz .digits_done             ; precision 0 prints no digits for the value 0, like C
.divide:
    xor edx, edx
    div ecx
    push ebx
    mov ebx, DIGITS
    mov dl, [ebx + edx]
    pop ebx
    dec edi
    mov [edi], dl
    test eax, eax
    jnz .divide
.digits_done:
    mov BODY, edi
    lea eax, [ebp + NUMEND]
    sub eax, edi
    mov LEN, eax
    pop edi
    call .octal_alt
    mov ecx, PREC
    test ecx, ecx
    js .zero_flag
    sub ecx, eax
    jle .pad
    mov ZEROS, ecx
    jmp .pad
.zero_flag:
    test FLAGS, ZERO
    jz .pad
    test FLAGS, LEFT
    jnz .pad
    mov ecx, WIDTH
    sub ecx, eax
    call .prefix_length
    sub ecx, eax
    jle .pad
    mov ZEROS, ecx
    jmp .pad

.char:
    mov eax, [edi]
    add edi, 4
    mov [ebp + NUMEND], al
    lea eax, [ebp + NUMEND]
    mov BODY, eax
    mov LEN, 1
    jmp .pad

.string:
    mov eax, [edi]
    add edi, 4
    test eax, eax
    jnz .string_set
    mov eax, null_str
.string_set:
    mov BODY, eax
    xor ecx, ecx                ; length, at most the precision
.string_len:
    cmp ecx, PREC
    je .string_done             ; PREC is -1 (never reached) when there is none
    cmp byte [eax + ecx], 0
    je .string_done
    inc ecx
    jmp .string_len
.string_done:
    mov LEN, ecx

    ; spaces, sign, prefix, zeros, body, then spaces when left-justified
.pad:
    mov ecx, WIDTH
    sub ecx, LEN
    sub ecx, ZEROS
    call .prefix_length
    sub ecx, eax
    jg .have_padding
    xor ecx, ecx
.have_padding:
    push ecx                    ; spaces owed
    test FLAGS, LEFT
    jnz .sign
    call .spaces
.sign:
    mov eax, SIGN
    test eax, eax
    jz .prefix
    call [ebx + OUT_PUT]
.prefix:
    mov ecx, PREFIX
    test ecx, ecx
    jz .zeros
    push esi
    mov esi, ecx
.prefix_next:
    movzx eax, byte [esi]
    test eax, eax
    jz .prefix_done
    call [ebx + OUT_PUT]
    inc esi
    jmp .prefix_next
.prefix_done:
    pop esi
.zeros:
    cmp ZEROS, 0
    jle .body
    mov eax, '0'
    call [ebx + OUT_PUT]
    dec ZEROS
    jmp .zeros
.body:
    push esi
    push edi
    mov esi, BODY
    mov edi, LEN
.body_next:
    test edi, edi
    jz .body_done
    movzx eax, byte [esi]
    call [ebx + OUT_PUT]
    inc esi
    dec edi
    jmp .body_next
.body_done:
    pop edi
    pop esi
    test FLAGS, LEFT
    jz .padded
    mov ecx, [esp]
    call .spaces
.padded:
    add esp, 4
    jmp .next

.finish:
    mov eax, [ebx + OUT_COUNT]
    add esp, LOCALS
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; Sends ecx spaces (ecx >= 0); the owed count stays on the caller's stack.
.spaces:
    push esi
    mov esi, ecx
.spaces_next:
    test esi, esi
    jz .spaces_done
    mov eax, ' '
    call [ebx + OUT_PUT]
    dec esi
    jmp .spaces_next
.spaces_done:
    pop esi
    ret

; %#o: the precision grows so the first digit is 0 (eax = LEN, kept).
.octal_alt:
    cmp CONV, 'o'
    jne .octal_alt_done
    test FLAGS, ALT
    jz .octal_alt_done
    mov ecx, BODY
    test eax, eax
    jz .octal_alt_zero
    cmp byte [ecx], '0'
    je .octal_alt_done
.octal_alt_zero:
    lea ecx, [eax + 1]
    cmp PREC, ecx
    jge .octal_alt_done
    mov PREC, ecx
.octal_alt_done:
    ret

; eax = the length of the sign and the prefix; keeps ecx.
.prefix_length:
    xor eax, eax
    cmp SIGN, 0
    je .no_sign
    inc eax
.no_sign:
    cmp PREFIX, 0
    je .no_prefix
    add eax, 2
.no_prefix:
    ret

; Reads decimal digits at esi into eax (0 when there are none), advancing esi.
.number_in_format:
    xor eax, eax
.nif_next:
    movzx edx, byte [esi]
    sub edx, '0'
    cmp edx, 9
    ja .nif_done
    imul eax, eax, 10
    add eax, edx
    inc esi
    jmp .nif_next
.nif_done:
    ret
