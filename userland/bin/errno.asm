; errno: shows the error path of the system-call wrappers. Each call below is made to fail;
; the kernel answers -errno, the wrapper returns -1 and stores the number in errno, and
; strerror turns it into words. Each line says whether the error is the one expected.
; Exit status 0 when every call failed as expected, 1 otherwise.
bits 32
%include "libc.inc"

section .rodata
line_fmt:   db "%-32s = %d, errno %2d: %-26s %s", 10, 0
ok:         db "ok", 0
wrong:      db "UNEXPECTED", 0
usage:      db "usage: errno", 10, 0
missing:    db "/no/such/file", 0
root:       db "/", 0
text:       db "hello", 10
s_open:     db 'open("/no/such/file", O_RDONLY)', 0
s_close:    db "close(-1)", 0
s_write:    db "write(1, (void *)16, 6)", 0
s_mkdir:    db 'mkdir("/", 0755)', 0
s_chdir:    db 'chdir("/no/such/file")', 0
s_kill:     db "kill(2147483647, SIGTERM)", 0
s_waitpid:  db "waitpid(-1, NULL, 0)", 0
s_dup2:     db "dup2(1, -1)", 0
s_syscall:  db "syscall(9999)", 0
s_lseek:    db "lseek(pipe, 0, SEEK_SET)", 0
s_perror:   db "perror after close(-1)", 0

section .bss
status:     resd 1
pipe_fds:   resd 2

section .text
; Reports the call just made: %1 its description, %2 the errno expected.
%macro REPORT 2
    push %2
    push %1
    call report
    add esp, 8
%endmacro

global main
main:
    push ebp
    mov ebp, esp
    cmp dword [ebp + 8], 1
    jne .usage
    ccall pipe, pipe_fds
    ccall open, missing, O_RDONLY, 0
    REPORT s_open, ENOENT
    ccall close, -1
    REPORT s_close, EBADF
    ccall write, 1, 16, 6
    REPORT s_write, EFAULT
    ccall mkdir, root, 0o755
    REPORT s_mkdir, EEXIST
    ccall chdir, missing
    REPORT s_chdir, ENOENT
    ccall kill, 2147483647, SIGTERM
    REPORT s_kill, ESRCH
    ccall waitpid, -1, 0, 0
    REPORT s_waitpid, ECHILD
    ccall dup2, 1, -1
    REPORT s_dup2, EBADF
    ccall syscall, 9999
    REPORT s_syscall, ENOSYS
    ccall lseek, [pipe_fds], 0, 0
    REPORT s_lseek, ESPIPE
    ccall fflush, [stdout]
    ccall close, -1
    ccall perror, s_perror
    mov eax, [status]
    pop ebp
    ret
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    pop ebp
    ret

; void report(const char *call, int expected), with the call's result in eax.
report:
    push ebx
    mov ebx, wrong
    cmp eax, -1
    jne .judged
    mov ecx, [errno]
    cmp ecx, [esp + 12]
    jne .judged
    mov ebx, ok
.judged:
    cmp ebx, ok
    je .print
    mov dword [status], 1
.print:
    push eax
    ccall strerror, [errno]
    pop ecx
    mov edx, [esp + 8]
    ccall printf, line_fmt, edx, ecx, [errno], eax, ebx
    pop ebx
    ret
