; strace [-c] [-o FILE] PROG [ARGS...]: runs PROG with its system calls traced. The kernel
; does the tracing (the teaching call kit_trace; Linux has no such call, so there strace
; says so and exits with status 1): each call is printed when it returns, decoded the way
; strace does, followed by the mechanism it entered the kernel through:
;   write(1, "hi\n", 3) = 3 <int80>
; Children that PROG forks are traced too, as with strace -f. -c prints strace -c's table
; instead of the calls; -o writes to FILE instead of standard error. PROG is looked up in
; PATH as the shell looks it up, and must be an executable regular file (as strace checks,
; so that the trace does not begin with failed execve calls). The exit status is PROG's,
; or 128 + the number of the signal that killed it.
bits 32
%include "libc.inc"

S_IFMT      equ 0o170000
S_IFREG     equ 0o100000
EXEC_BITS   equ 0o111
ST_MODE     equ 8               ; offset in the i386 struct stat
STAT_BYTES  equ 64

section .rodata
options:    db "co:", 0
usage:      db "usage: strace [-c] [-o FILE] PROG [ARGS...]", 10, 0
stat_fmt:   db "strace: Can't stat '%s': %s", 10, 0
open_fmt:   db "strace: Can't fopen '%s': %s", 10, 0
missing_fmt: db "strace: this kernel has no kit_trace system call (%s)", 10, 0
exec_fmt:   db "strace: exec: %s", 10, 0
trace_name: db "strace: kit_trace", 0
fork_name:  db "strace: fork", 0
wait_name:  db "strace: waitpid", 0

section .bss
flags:      resd 1              ; kit_trace's: KIT_TRACE_SUMMARY for -c
out_name:   resd 1              ; -o FILE, or 0
out_fd:     resd 1              ; where the trace goes
wait_status: resd 1
path:       resb PATH_MAX
statbuf:    resb STAT_BYTES

section .text

; int main(int argc, char **argv)                      clobbers eax, ecx, edx
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    mov dword [out_fd], 2
.option:
    ccall getopt, [ebp + 8], [ebp + 12], options
    cmp eax, -1
    je .operands
    cmp eax, 'c'
    jne .not_c
    or dword [flags], KIT_TRACE_SUMMARY
    jmp .option
.not_c:
    cmp eax, 'o'
    jne .usage
    mov eax, [optarg]
    mov [out_name], eax
    jmp .option
.operands:
    mov esi, [optind]
    cmp esi, [ebp + 8]
    jge .usage
    mov eax, [ebp + 12]
    lea esi, [eax + esi * 4]    ; PROG's argv
    ccall find_program, [esi]
    test eax, eax
    jz .not_found
    mov ebx, eax                ; the file to run
    cmp dword [out_name], 0
    je .fork
    ; close-on-exec: PROG never sees the descriptor, and no close() of it appears in the trace
    ccall open, [out_name], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666
    test eax, eax
    js .cannot_open
    mov [out_fd], eax
.fork:
    call fork
    test eax, eax
    js .fork_failed
    jz .child
    mov edi, eax
    cmp dword [out_name], 0
    je .wait
    ccall close, [out_fd]       ; the child's tracer keeps its own reference
.wait:
    ccall waitpid, edi, wait_status, 0
    test eax, eax
    js .wait_failed
    mov eax, [wait_status]
    and eax, 0x7f
    jz .exited
    add eax, 128                ; killed: 128 + the signal, as a shell reports it
    jmp .return
.exited:
    movzx eax, byte [wait_status + 1]
    jmp .return
.child:
    ; From here on every call of this process is traced, starting with the execve.
    ccall kit_trace, [out_fd], [flags]
    test eax, eax
    js .no_trace
    ccall execve, ebx, esi, [environ]
    ccall strerror, [errno]
    ccall fprintf, [stderr], exec_fmt, eax
    ccall exit, 1
.no_trace:
    cmp dword [errno], ENOSYS
    jne .trace_failed
    ccall strerror, ENOSYS
    ccall fprintf, [stderr], missing_fmt, eax
    ccall exit, 1
.trace_failed:
    ccall perror, trace_name
    ccall exit, 1
.not_found:
    ccall strerror, [errno]
    ccall fprintf, [stderr], stat_fmt, [esi], eax
    jmp .status1
.cannot_open:
    ccall strerror, [errno]
    ccall fprintf, [stderr], open_fmt, [out_name], eax
    jmp .status1
.fork_failed:
    ccall perror, fork_name
    jmp .status1
.wait_failed:
    ccall perror, wait_name
.status1:
    mov eax, 1
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; const char *find_program(const char *name)           clobbers eax, ecx, edx
; The file to run for name: name itself when it has a slash and exists, else the first PATH
; candidate (path_search) that is a regular file with an execute bit, kept in path. NULL with
; errno set when there is none.
find_program:
    push ebx
    mov ebx, [esp + 8]
    ccall strchr, ebx, '/'
    test eax, eax
    jz .search
    ccall stat, ebx, statbuf
    test eax, eax
    js .none
    mov eax, ebx
    jmp .done
.search:
    ccall path_search, ebx, path, PATH_MAX, is_program, 0
    test eax, eax
    jnz .done
    mov dword [errno], ENOENT
.none:
    xor eax, eax
.done:
    pop ebx
    ret

; int is_program(const char *path, void *unused)        clobbers eax, ecx, edx
; path_search's test: whether path is a regular file with an execute bit.
is_program:
    mov eax, [esp + 4]
    ccall stat, eax, statbuf
    test eax, eax
    js .no
    movzx eax, word [statbuf + ST_MODE]
    test eax, EXEC_BITS
    jz .no
    and eax, S_IFMT
    cmp eax, S_IFREG
    jne .no
    mov eax, 1
    ret
.no:
    xor eax, eax
    ret
