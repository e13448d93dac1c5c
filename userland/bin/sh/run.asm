; Running a line: each pipeline in turn, its commands in child processes joined by pipes
; (fork, dup2, execve), the shell waiting for the last one unless it ends with &.
%include "sh.inc"

extern exec_path, status, interactive, job_control, shell_pgrp, tokenize, line, lex_pos, tok_type, tok_word, find_builtin

section .rodata
syntax_fmt: db "sh: syntax error near '%s'", 10, 0
too_many:   db "sh: pipeline too long", 10, 0
bg_fmt:     db "[%d]", 10, 0
exec_fmt:   db "sh: %s: %s", 10, 0
signal_fmt: db "%s", 10, 0
core_fmt:   db "%s (core dumped)", 10, 0
fork_name:  db "sh: fork", 0
pipe_name:  db "sh: pipe", 0
; The signals an interactive shell ignores while it does job control (a 0 ends the list).
global job_signals
job_signals: db SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, 0
tok_names:  dd newline_name, 0, semi_name, pipe_sym, amp_name, lt_name, gt_name, gtgt_name, and_name, or_name
newline_name: db "newline", 0
semi_name:  db ";", 0
pipe_sym:   db "|", 0
amp_name:   db "&", 0
lt_name:    db "<", 0
gt_name:    db ">", 0
gtgt_name:  db ">>", 0
and_name:   db "&&", 0
or_name:    db "||", 0

section .bss
tpos:       resd 1              ; the next token
ncmds:      resd 1
argvs:      resd ARGV_MAX
cmd_argv:   resd CMD_MAX        ; each command's argv, inside argvs
cmd_in:     resd CMD_MAX        ; < file, or 0
cmd_out:    resd CMD_MAX        ; > or >> file, or 0
cmd_append: resd CMD_MAX
pids:       resd CMD_MAX
jobs:       resd JOBS_MAX       ; the background commands not yet reaped: pids, 0 for a free slot
pipe_fds:   resd 2
job_pgrp:   resd 1              ; the process group of the pipeline (its first command's pid)
wait_status: resd 1

section .text

; void run_line(void): runs the commands of line one pipeline at a time; status gets the
; last one's status. After && the next pipeline runs only if the status is 0, after || only
; if it is not; a pipeline skipped leaves the status as it was, as in sh.
global run_line
run_line:
    push ebx
    push esi
    mov dword [lex_pos], line
    xor ebx, ebx                ; the separator before this pipeline (T_END: none)
    xor esi, esi                ; 1: skip this pipeline
.pipeline:
    call tokenize
    test eax, eax
    jnz .done
    mov dword [tpos], 0
    call parse_pipeline
    cmp eax, -1
    je .done
    cmp dword [ncmds], 0
    jne .command
    cmp ebx, T_AND              ; "a &&" and "a ||" need a command after them
    je .dangling
    cmp ebx, T_OR
    je .dangling
    jmp .done                   ; an empty line, or "a;" and "a &" at its end
.command:
    mov ebx, eax
    test esi, esi
    jnz .decide
    xor eax, eax
    cmp ebx, T_AMP
    sete al
    push eax
    call run_pipeline
    add esp, 4
.decide:
    xor esi, esi
    cmp dword [status], 0
    je .succeeded
    cmp ebx, T_AND
    sete al
    jmp .skip
.succeeded:
    cmp ebx, T_OR
    sete al
.skip:
    movzx esi, al
    cmp ebx, T_END
    jne .pipeline
.done:
    pop esi
    pop ebx
    ret
.dangling:
    ccall fprintf, [stderr], syntax_fmt, newline_name
    mov dword [status], 2
    jmp .done

; int parse_pipeline(void): fills ncmds and the cmd_* arrays from the tokens at tpos, up
; to a ; & or the end (whose type it returns, tpos left on it); -1 after a syntax error.
parse_pipeline:
    push ebx
    push esi
    push edi
    xor ebx, ebx                ; commands so far
    xor edi, edi                ; pointers used in argvs
.command:
    cmp ebx, CMD_MAX
    jae .too_many
    lea eax, [argvs + edi * 4]
    mov [cmd_argv + ebx * 4], eax
    xor eax, eax
    mov [cmd_in + ebx * 4], eax
    mov [cmd_out + ebx * 4], eax
    mov [cmd_append + ebx * 4], eax
    xor esi, esi                ; words in this command
.token:
    mov ecx, [tpos]
    mov eax, [tok_type + ecx * 4]
    cmp eax, T_WORD
    je .word
    cmp eax, T_IN
    jb .not_redirect
    cmp eax, T_APPEND
    jbe .redirect
.not_redirect:
    cmp eax, T_PIPE
    je .pipe
    ; T_END, T_SEMI, T_AMP, T_AND, T_OR end the pipeline
    test esi, esi
    jnz .last
    test ebx, ebx
    jnz .syntax                 ; "a |" then nothing
    cmp eax, T_END
    jne .syntax                 ; a separator with no command before it
    mov [ncmds], ebx
    jmp .done
.last:
    push eax
    call end_command
    pop eax
    mov [ncmds], ebx
    jmp .done
.word:
    cmp edi, ARGV_MAX - CMD_MAX - 1
    jae .too_many
    mov edx, [tok_word + ecx * 4]
    mov [argvs + edi * 4], edx
    inc edi
    inc esi
    inc dword [tpos]
    jmp .token
.redirect:
    cmp dword [tok_type + ecx * 4 + 4], T_WORD
    jne .syntax_next
    mov edx, [tok_word + ecx * 4 + 4]
    cmp eax, T_IN
    jne .output
    mov [cmd_in + ebx * 4], edx
    jmp .redirected
.output:
    mov [cmd_out + ebx * 4], edx
    cmp eax, T_APPEND
    sete al
    movzx eax, al
    mov [cmd_append + ebx * 4], eax
.redirected:
    add dword [tpos], 2
    jmp .token
.pipe:
    test esi, esi
    jz .syntax
    call end_command
    inc dword [tpos]
    jmp .command
.syntax_next:
    inc ecx                     ; the complaint is about what follows the redirection
    mov [tpos], ecx
.syntax:
    mov ecx, [tpos]
    mov eax, [tok_type + ecx * 4]
    mov edx, [tok_names + eax * 4]
    ccall fprintf, [stderr], syntax_fmt, edx
    jmp .failed
.too_many:
    ccall fputs, too_many, [stderr]
.failed:
    mov dword [status], 2
    mov eax, -1
.done:
    pop edi
    pop esi
    pop ebx
    ret
; ends the argv of command ebx with NULL and counts it
end_command:
    mov dword [argvs + edi * 4], 0
    inc edi
    inc ebx
    ret

; void run_pipeline(int background)
run_pipeline:
    push ebx
    push esi
    push edi
    ; one command without redirections that is a builtin runs in the shell itself,
    ; so that cd and exit act on it
    cmp dword [ncmds], 1
    jne .fork_all
    cmp dword [esp + 16], 0
    jne .fork_all
    cmp dword [cmd_in], 0
    jne .fork_all
    cmp dword [cmd_out], 0
    jne .fork_all
    mov eax, [cmd_argv]
    ccall find_builtin, [eax]
    test eax, eax
    jz .fork_all
    push dword [cmd_argv]
    call eax
    add esp, 4
    mov [status], eax
    jmp .done
.fork_all:
    ccall fflush, 0             ; or the children would write the shell's pending output again
    mov dword [job_pgrp], 0
    xor ebx, ebx                ; the command
    mov esi, -1                 ; the read end of the previous pipe
.each:
    mov eax, [ncmds]
    dec eax
    cmp ebx, eax
    jae .forking
    ccall pipe, pipe_fds
    test eax, eax
    jns .forking
    ccall perror, pipe_name
    jmp .cleanup
.forking:
    call fork
    test eax, eax
    js .fork_failed
    jz child
    mov [pids + ebx * 4], eax
    cmp dword [job_control], 0
    je .grouped
    ; the parent sets the group too, so it exists whichever of the two runs first
    cmp dword [job_pgrp], 0
    jne .join
    mov [job_pgrp], eax
.join:
    ccall setpgid, eax, [job_pgrp]
    test ebx, ebx
    jnz .grouped
    cmp dword [esp + 16], 0
    jne .grouped
    ccall ioctl, 0, TIOCSPGRP, job_pgrp
.grouped:
    cmp esi, -1
    je .no_previous
    ccall close, esi
.no_previous:
    mov esi, -1
    mov eax, [ncmds]
    dec eax
    cmp ebx, eax
    jae .next
    ccall close, [pipe_fds + 4]
    mov esi, [pipe_fds]
.next:
    inc ebx
    cmp ebx, [ncmds]
    jb .each
    cmp dword [esp + 16], 0
    je .wait
    cmp dword [interactive], 0
    je .background
    mov eax, [ncmds]
    ccall printf, bg_fmt, [pids + eax * 4 - 4]
.background:
    mov eax, [ncmds]
    ccall remember_job, [pids + eax * 4 - 4]
    mov dword [status], 0
    jmp .done
.wait:
    xor edi, edi
.wait_next:
    ccall waitpid, [pids + edi * 4], wait_status, 0
    inc edi
    cmp edi, [ncmds]
    jb .wait_next
    cmp dword [job_control], 0
    je .status
    ccall ioctl, 0, TIOCSPGRP, shell_pgrp
.status:
    mov eax, [wait_status]      ; the pipeline's status is its last command's
    and eax, 0x7f
    jnz .signaled
    movzx eax, byte [wait_status + 1]
    mov [status], eax
    jmp .done
.signaled:
    add eax, 128
    mov [status], eax
    push dword [wait_status]
    call report_signal
    add esp, 4
    jmp .done
.fork_failed:
    ccall perror, fork_name
    mov eax, [ncmds]
    dec eax
    cmp ebx, eax
    jae .cleanup
    ccall close, [pipe_fds]
    ccall close, [pipe_fds + 4]
.cleanup:
    cmp esi, -1
    je .reap_started
    ccall close, esi
.reap_started:
    xor edi, edi                ; wait for the commands already started
.reap_next:
    cmp edi, ebx
    jae .reaped
    ccall waitpid, [pids + edi * 4], wait_status, 0
    inc edi
    jmp .reap_next
.reaped:
    mov dword [status], 1
.done:
    pop edi
    pop esi
    pop ebx
    ret

; void remember_job(int pid): notes a background command, whose end reap reports (with the
; table full it goes unreported).                   clobbers eax, ecx
remember_job:
    xor ecx, ecx
.slot:
    cmp dword [jobs + ecx * 4], 0
    je .store
    inc ecx
    cmp ecx, JOBS_MAX
    jb .slot
    ret
.store:
    mov eax, [esp + 4]
    mov [jobs + ecx * 4], eax
    ret

; int forget_job(int pid): 1 when pid was a background command (it is forgotten), else 0: a
; process the shell did not start, such as an orphan adopted by a shell that is init.
;                                                   clobbers eax, ecx, edx
global forget_job
forget_job:
    mov edx, [esp + 4]
    xor ecx, ecx
.slot:
    cmp [jobs + ecx * 4], edx
    je .found
    inc ecx
    cmp ecx, JOBS_MAX
    jb .slot
    xor eax, eax
    ret
.found:
    mov dword [jobs + ecx * 4], 0
    mov eax, 1
    ret

; void report_signal(int wait_status): says how a command killed by a signal ended, as
; shells do, except for SIGINT and SIGPIPE whose cause the user already knows.
global report_signal
report_signal:
    mov eax, [esp + 4]
    and eax, 0x7f
    cmp eax, SIGINT
    je .quiet
    cmp eax, SIGPIPE
    je .quiet
    ccall strsignal, eax
    mov ecx, signal_fmt
    test dword [esp + 4], 0x80
    jz .print
    mov ecx, core_fmt
.print:
    ccall fprintf, [stderr], ecx, eax
.quiet:
    ret

; In the child for command ebx, with esi the previous pipe's read end: connects standard
; input and output, applies the redirections and runs the command. Does not return.
child:
    cmp dword [job_control], 0
    je .connect
    ccall setpgid, 0, [job_pgrp]    ; 0 for the first command: a group of its own
    test ebx, ebx
    jnz .signals
    cmp dword [esp + 16], 0         ; run_pipeline's background argument
    jne .signals
    ; the first command of a foreground job takes the terminal too, so it holds it before
    ; execve whichever of it and the parent runs first (SIGTTOU is still ignored here)
    call getpgrp
    mov [job_pgrp], eax
    ccall ioctl, 0, TIOCSPGRP, job_pgrp
.signals:
    xor edi, edi                    ; the signals the shell ignores come back to the job
.default:
    movzx eax, byte [job_signals + edi]
    test eax, eax
    jz .connect
    ccall signal, eax, SIG_DFL
    inc edi
    jmp .default
.connect:
    cmp esi, -1
    je .output
    ccall dup2, esi, 0
    ccall close, esi
.output:
    mov eax, [ncmds]
    dec eax
    cmp ebx, eax
    jae .redirect_in
    ccall close, [pipe_fds]
    ccall dup2, [pipe_fds + 4], 1
    ccall close, [pipe_fds + 4]
.redirect_in:
    mov edi, [cmd_in + ebx * 4]
    test edi, edi
    jz .redirect_out
    ccall open, edi, O_RDONLY, 0
    test eax, eax
    js .cannot_open
    push eax
    ccall dup2, eax, 0
    call close
    add esp, 4
.redirect_out:
    mov edi, [cmd_out + ebx * 4]
    test edi, edi
    jz .run
    mov eax, O_WRONLY | O_CREAT | O_TRUNC
    cmp dword [cmd_append + ebx * 4], 0
    je .open_out
    mov eax, O_WRONLY | O_CREAT | O_APPEND
.open_out:
    ccall open, edi, eax, 0o644
    test eax, eax
    js .cannot_open
    push eax
    ccall dup2, eax, 1
    call close
    add esp, 4
.run:
    mov esi, [cmd_argv + ebx * 4]
    ccall find_builtin, [esi]
    test eax, eax
    jz .program
    push esi
    call eax
    add esp, 4
    ccall exit, eax
.program:
    push esi
    call exec_path
.cannot_open:
    ccall strerror, [errno]
    ccall fprintf, [stderr], exec_fmt, edi, eax
    ccall exit, 1
