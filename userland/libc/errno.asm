; errno, strerror and perror; the messages come from ERRNO_LIST in errno.inc.
bits 32
%include "errno.inc"

extern stderr, fprintf, snprintf

section .bss
; int errno
global errno:data
errno:      resd 1
unknown:    resb 32

section .rodata
; Each message once, then a table of {number, message} pairs ending with a NULL message.
%macro MESSAGE 2
  errmsg_%1: db %2, 0
%endmacro
%macro PAIR 2
  dd %1, errmsg_%1
%endmacro
ERRNO_LIST MESSAGE
success:    db "Success", 0

messages:
    dd 0, success
ERRNO_LIST PAIR
    dd -1, 0

unknown_fmt: db "Unknown error %d", 0
perror_fmt:  db "%s: %s", 10, 0
bare_fmt:    db "%s", 10, 0

section .text

; char *strerror(int n)                             clobbers eax, ecx, edx
; The message for error n; "Unknown error N" (in a static buffer) for numbers without one.
global strerror:function
strerror:
    mov edx, [esp + 4]
    mov ecx, messages
.next:
    mov eax, [ecx + 4]
    test eax, eax
    jz .unknown
    cmp [ecx], edx
    je .found
    add ecx, 8
    jmp .next
.found:
    ret
.unknown:
    push dword [esp + 4]
    push unknown_fmt
    push 32
    push unknown
    call snprintf
    add esp, 16
    mov eax, unknown
    ret

; void perror(const char *s)                        clobbers eax, ecx, edx
; Writes "s: message\n" (just the message when s is NULL or empty) for errno to stderr.
global perror:function
perror:
    push dword [errno]
    call strerror
    add esp, 4
    mov ecx, [esp + 4]
    test ecx, ecx
    jz .bare
    cmp byte [ecx], 0
    je .bare
    push eax
    push ecx
    push perror_fmt
    push dword [stderr]
    call fprintf
    add esp, 16
    ret
.bare:
    push eax
    push bare_fmt
    push dword [stderr]
    call fprintf
    add esp, 12
    ret
