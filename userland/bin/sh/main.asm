; sh [-i] [-c COMMAND]: the shell. Reads commands from standard input one line at a time
; (or runs COMMAND), with a "$ " prompt when the input is a terminal or -i is given.
; Words may be quoted ('...' literally, "..." with $ expansion, \ escapes one character);
; $? is the status of the last command, $$ the shell's process ID and $NAME an environment
; variable. Commands are separated by ; (or && and ||, which run the next one after a
; success, after a failure) and ended by & to run in the background; | joins them into a
; pipeline; < > >> redirect. Programs are found in the PATH directories (/bin when it is unset).
; Built in: cd, exit, help, pwd, wait.
%include "sh.inc"

extern run_line, job_signals, forget_job

TCGETS      equ 0x5401
TIOCGPGRP   equ 0x540f

section .rodata
options:    db "ic:", 0
usage:      db "usage: sh [-i] [-c COMMAND]", 10, 0
prompt:     db "$ ", 0
too_long:   db "sh: line too long", 10, 0
done_fmt:   db "[%d] Done", 10, 0
exit_fmt:   db "[%d] Exit %d", 10, 0
signal_fmt: db "[%d] %s", 10, 0

section .bss
global line, status, interactive, job_control, shell_pgrp
line:       resb LINE_MAX + 1
status:     resd 1              ; $?
interactive: resd 1
job_control: resd 1             ; 1: each job gets its own process group and the terminal
shell_pgrp: resd 1
command:    resd 1              ; the -c argument
termios:    resb 64
byte_in:    resb 1
wait_status: resd 1

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
.option:
    ccall getopt, [ebp + 8], [ebp + 12], options
    cmp eax, -1
    je .options_done
    cmp eax, 'i'
    jne .not_i
    mov dword [interactive], 1
    jmp .option
.not_i:
    cmp eax, 'c'
    jne .usage
    mov eax, [optarg]
    mov [command], eax
    jmp .option
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    jmp .return
.options_done:
    mov eax, [optind]
    cmp eax, [ebp + 8]
    jl .usage
    mov eax, [command]
    test eax, eax
    jz .loop_start
    ccall strlen, eax
    cmp eax, LINE_MAX
    ja .command_too_long
    ccall strcpy, line, [command]
    call run_line
    jmp .exit
.command_too_long:
    ccall fputs, too_long, [stderr]
    mov dword [status], 2
    jmp .exit
.loop_start:
    ccall ioctl, 0, TCGETS, termios
    test eax, eax
    jnz .loop
    mov dword [interactive], 1
    call job_control_setup
.loop:
    call reap
    cmp dword [interactive], 0
    je .read
    ccall fputs, prompt, [stdout]
    ccall fflush, [stdout]
.read:
    call read_line
    cmp eax, 0
    jl .end_of_input
    jg .overlong
    call run_line
    jmp .loop
.overlong:
    ccall fputs, too_long, [stderr]
    mov dword [status], 2
    jmp .loop
.end_of_input:
    cmp dword [interactive], 0
    je .exit
    ccall putchar, 10
.exit:
    ccall exit, [status]
.return:
    pop ebx
    pop ebp
    ret

; Turns job control on for an interactive shell in the terminal's foreground group: each job
; then runs in a process group of its own, made the foreground group while it runs, so Ctrl-C
; reaches the job and not the shell or the background jobs. The shell ignores the keyboard
; and terminal-access signals itself (children get them back before execve), as shells do;
; where signals cannot be ignored (no rt_sigaction) there is no job control.
job_control_setup:
    push ebx
    ccall ioctl, 0, TIOCGPGRP, shell_pgrp
    test eax, eax
    jnz .off
    call getpgrp
    cmp eax, [shell_pgrp]
    jne .off                    ; started in the background: leave the terminal alone
    xor ebx, ebx
.ignore:
    movzx eax, byte [job_signals + ebx]
    test eax, eax
    jz .on
    ccall signal, eax, SIG_IGN
    cmp eax, -1
    je .off
    inc ebx
    jmp .ignore
.on:
    mov dword [job_control], 1
.off:
    pop ebx
    ret

; int read_line(void): reads one line into line (without its newline), one byte at a time
; so that a command run afterwards reads standard input from just after it. 0 for a
; line, -1 at end of input, 1 for a line longer than LINE_MAX (skipped).
read_line:
    push ebx
    push esi
    xor ebx, ebx                ; bytes stored
    xor esi, esi                ; 1 once the line is too long
.next:
    ccall read, 0, byte_in, 1
    cmp eax, 1
    jne .eof
    mov al, [byte_in]
    cmp al, 10
    je .end
    cmp ebx, LINE_MAX
    jb .store
    mov esi, 1
    jmp .next
.store:
    mov [line + ebx], al
    inc ebx
    jmp .next
.eof:
    test ebx, ebx
    jnz .end                    ; a last line without a newline still counts
    test esi, esi
    jnz .end
    mov eax, -1
    jmp .done
.end:
    mov byte [line + ebx], 0
    mov eax, esi
.done:
    pop esi
    pop ebx
    ret

; Collects the children that have ended; an interactive shell says how each background
; command it started ended.
reap:
    push ebx
.next:
    ccall waitpid, -1, wait_status, WNOHANG
    test eax, eax
    jle .done
    mov ebx, eax
    ccall forget_job, ebx
    test eax, eax
    jz .next                    ; not one of ours: an orphan the shell adopted as init
    cmp dword [interactive], 0
    je .next
    mov eax, [wait_status]
    and eax, 0x7f
    jnz .signaled
    movzx eax, byte [wait_status + 1]
    test eax, eax
    jnz .exit_code
    ccall printf, done_fmt, ebx
    jmp .next
.exit_code:
    ccall printf, exit_fmt, ebx, eax
    jmp .next
.signaled:
    ccall strsignal, eax
    ccall printf, signal_fmt, ebx, eax
    jmp .next
.done:
    pop ebx
    ret
