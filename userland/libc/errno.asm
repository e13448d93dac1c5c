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
; Each message once, then a table indexed by the error number (0 where there is none).
%macro MESSAGE 2
  errmsg_%1: db %2, 0
  %define HAVE_ERRMSG_%1
%endmacro
errmsg_0:   db "Success", 0
%define HAVE_ERRMSG_0
ERRNO_LIST MESSAGE

messages:
%assign i 0
%rep ERRNO_MAX + 1
  %ifdef HAVE_ERRMSG_%[i]
    dd errmsg_%[i]
  %else
    dd 0
  %endif
  %assign i i + 1
%endrep

unknown_fmt: db "Unknown error %d", 0
perror_fmt:  db "%s: %s", 10, 0
bare_fmt:    db "%s", 10, 0

section .text

; char *strerror(int n)                             clobbers eax, ecx, edx
; The message for error n; "Unknown error N" (in a static buffer) for numbers without one.
global strerror:function
strerror:
    mov eax, [esp + 4]
    cmp eax, ERRNO_MAX
    ja .unknown
    mov eax, [messages + eax * 4]
    test eax, eax
    jz .unknown
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
