; The shell's tokenizer: splits line into words and operators, removing quotes and
; expanding $? and $NAME as it goes. It stops after each ; or & so that the expansions of
; a command see the status of the one before it.
%include "sh.inc"

extern line, status

section .rodata
unterminated: db "sh: unterminated quote", 10, 0
too_long:   db "sh: line too long", 10, 0
too_many:   db "sh: too many words", 10, 0
status_fmt: db "%d", 0

section .bss
global tok_type, tok_word, lex_pos
lex_pos:    resd 1              ; where in line the next tokenize starts
tok_type:   resd TOK_MAX
tok_word:   resd TOK_MAX
words:      resb WORDS_MAX
words_end:
saved_esp:  resd 1              ; where an error unwinds to
quoted:     resd 1              ; the current word had quotes (so it counts even when empty)
name:       resb 64
number:     resb 16

section .text

; int tokenize(void): fills tok_type/tok_word from line at lex_pos up to and
; including the next ; or & (or T_END at the end of the line), and moves lex_pos past them.
; 0, or -1 after reporting an error (status becomes 2).
global tokenize
tokenize:
    push ebx
    push esi
    push edi
    mov [saved_esp], esp
    mov esi, [lex_pos]
    mov edi, words
    xor ebx, ebx
.token:
    mov al, [esi]
    cmp al, ' '
    je .blank
    cmp al, 9
    je .blank
    test al, al
    jz .end
    cmp al, '#'
    je .end                     ; a comment runs to the end of the line
    mov edx, T_SEMI
    cmp al, ';'
    je .operator
    cmp al, '|'
    je .bar
    cmp al, '&'
    je .ampersand
    mov edx, T_IN
    cmp al, '<'
    je .operator
    cmp al, '>'
    jne .word
    mov edx, T_OUT
    cmp byte [esi + 1], '>'
    jne .operator
    inc esi
    mov edx, T_APPEND
    jmp .operator
.bar:
    mov edx, T_PIPE
    cmp byte [esi + 1], '|'
    jne .operator
    inc esi
    mov edx, T_OR
    jmp .operator
.ampersand:
    mov edx, T_AMP
    cmp byte [esi + 1], '&'
    jne .operator
    inc esi
    mov edx, T_AND
.operator:
    inc esi
    xor eax, eax
    call emit
    cmp edx, T_SEMI
    je .segment
    cmp edx, T_AMP
    je .segment
    cmp edx, T_AND
    jb .token                   ; | and the redirections stay inside the segment
.segment:
    xor eax, eax
    jmp .done
.blank:
    inc esi
    jmp .token
.end:
    mov edx, T_END
    xor eax, eax
    call emit
    xor eax, eax
    jmp .done
.word:
    push edi                    ; where the word starts
    mov dword [quoted], 0
    call scan_word
    mov al, 0
    call put
    pop eax
    cmp dword [quoted], 0
    jne .emit_word
    cmp byte [eax], 0
    je .token                   ; an expansion to nothing is no word at all
.emit_word:
    mov edx, T_WORD
    call emit
    jmp .token
.done:
    mov [lex_pos], esi
    pop edi
    pop esi
    pop ebx
    ret

; Reports the message in eax and unwinds tokenize with -1.
fail:
    ccall fputs, eax, [stderr]
    mov dword [status], 2
    mov esp, [saved_esp]
    mov eax, -1
    pop edi
    pop esi
    pop ebx
    ret

; Adds token edx (with word eax) as number ebx.
emit:
    cmp ebx, TOK_MAX
    jae .full
    mov [tok_type + ebx * 4], edx
    mov [tok_word + ebx * 4], eax
    inc ebx
    ret
.full:
    mov eax, too_many
    jmp fail

; Stores al at edi in words.
put:
    cmp edi, words_end
    jae .full
    mov [edi], al
    inc edi
    ret
.full:
    mov eax, too_long
    jmp fail

; Copies the NUL-terminated string at eax into words.
put_string:
    push esi
    mov esi, eax
.next:
    mov al, [esi]
    test al, al
    jz .done
    call put
    inc esi
    jmp .next
.done:
    pop esi
    ret

; Reads one word at esi into words (without its NUL).
scan_word:
.next:
    mov al, [esi]
    test al, al
    jz .done
    cmp al, ' '
    je .done
    cmp al, 9
    je .done
    cmp al, ';'
    je .done
    cmp al, '|'
    je .done
    cmp al, '&'
    je .done
    cmp al, '<'
    je .done
    cmp al, '>'
    je .done
    inc esi
    cmp al, "'"
    je .single
    cmp al, '"'
    je .double
    cmp al, '\'
    je .escape
    cmp al, '$'
    je .dollar
    call put
    jmp .next
.escape:
    mov al, [esi]
    test al, al
    jz .next                    ; a backslash at the end of the line stands for nothing
    inc esi
    call put
    jmp .next
.dollar:
    call dollar
    jmp .next
.single:
    mov dword [quoted], 1
.single_next:
    mov al, [esi]
    test al, al
    jz .unterminated
    inc esi
    cmp al, "'"
    je .next
    call put
    jmp .single_next
.double:
    mov dword [quoted], 1
.double_next:
    mov al, [esi]
    test al, al
    jz .unterminated
    inc esi
    cmp al, '"'
    je .next
    cmp al, '$'
    je .double_dollar
    cmp al, '\'
    jne .double_put
    mov ah, [esi]               ; inside "...", \ escapes only " \ $
    cmp ah, '"'
    je .double_escape
    cmp ah, '\'
    je .double_escape
    cmp ah, '$'
    jne .double_put
.double_escape:
    mov al, ah
    inc esi
.double_put:
    call put
    jmp .double_next
.double_dollar:
    call dollar
    jmp .double_next
.unterminated:
    mov eax, unterminated
    jmp fail
.done:
    ret

; Expands what follows a $ at esi: ? gives the last status, $ the shell's process ID, a
; name its environment value; anything else leaves the $ as written.
dollar:
    mov al, [esi]
    cmp al, '?'
    je .status
    cmp al, '$'
    jne .name
    inc esi
    call getpid
    jmp .number
.status:
    inc esi
    mov eax, [status]
.number:
    ccall snprintf, number, 16, status_fmt, eax
    mov eax, number
    jmp put_string
.name:
    push ebx
    xor ebx, ebx
.name_next:
    movzx eax, byte [esi]
    cmp al, '_'
    je .name_char
    cmp al, '0'
    jb .name_end
    cmp al, '9'
    jbe .name_digit
    or al, 0x20
    cmp al, 'a'
    jb .name_end
    cmp al, 'z'
    ja .name_end
    mov al, [esi]
    jmp .name_char
.name_digit:
    test ebx, ebx
    jz .name_end                ; a name does not start with a digit
.name_char:
    cmp ebx, 63
    jae .name_end
    mov [name + ebx], al
    inc ebx
    inc esi
    jmp .name_next
.name_end:
    mov byte [name + ebx], 0
    test ebx, ebx
    pop ebx
    jnz .lookup
    mov al, '$'
    jmp put
.lookup:
    ccall getenv, name
    test eax, eax
    jz .nothing
    jmp put_string
.nothing:
    ret
