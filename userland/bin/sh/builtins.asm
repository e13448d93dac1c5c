; The commands the shell runs itself: cd, exit, help, pwd, wait.
%include "sh.inc"

extern forget_job, status

section .rodata
builtins:
    dd cd_name, builtin_cd
    dd exit_name, builtin_exit
    dd help_name, builtin_help
    dd pwd_name, builtin_pwd
    dd wait_name, builtin_wait
    dd 0
cd_name:    db "cd", 0
exit_name:  db "exit", 0
help_name:  db "help", 0
pwd_name:   db "pwd", 0
wait_name:  db "wait", 0
home_name:  db "HOME", 0
root:       db "/", 0
cd_fmt:     db "sh: cd: %s: %s", 10, 0
cd_args:    db "sh: cd: too many arguments", 10, 0
exit_fmt:   db "sh: exit: %s: numeric argument required", 10, 0
pwd_name_err: db "sh: pwd", 0
help_text:
    db "sh: the shell of syscall-kit", 10
    db "  cmd arg ...      run a program (searched in PATH, /bin when unset)", 10
    db "  a ; b            run a, then b", 10
    db "  a | b            run both, a's output into b's input", 10
    db "  a && b, a || b   run b if a succeeded, if a failed", 10
    db "  a &              run a in the background", 10
    db "  a < in > out     read from in, write to out (>> appends)", 10
    db "  'x y' ", 34, "x $y", 34, "  quoting; \ escapes one character; # starts a comment", 10
    db "  $? $$ $NAME      the last status; the shell's pid; an environment variable", 10
    db "built in:", 10
    db "  cd [DIR]         change directory (to $HOME without DIR)", 10
    db "  exit [N]         leave the shell with status N (else $?)", 10
    db "  help             this text", 10
    db "  pwd              print the current directory", 10
    db "  wait             wait for the background commands", 10, 0

section .bss
cwd:        resb 1024
wait_status: resd 1

section .text

; handler find_builtin(const char *name): the builtin's function (int f(char **argv)) or 0.
global find_builtin
find_builtin:
    ccall lookup_name, builtins, [esp + 4]
    test eax, eax
    jz .done
    mov eax, [eax + 4]
.done:
    ret

builtin_cd:
    mov edx, [esp + 4]
    mov eax, [edx + 4]
    test eax, eax
    jnz .have
    ccall getenv, home_name
    test eax, eax
    jnz .go
    mov eax, root
    jmp .go
.have:
    cmp dword [edx + 8], 0
    je .go
    ccall fputs, cd_args, [stderr]
    mov eax, 1
    ret
.go:
    push eax
    ccall chdir, eax
    pop ecx
    test eax, eax
    jz .done
    push ecx
    ccall strerror, [errno]
    pop ecx
    ccall fprintf, [stderr], cd_fmt, ecx, eax
    mov eax, 1
.done:
    ret

builtin_exit:
    mov edx, [esp + 4]
    mov eax, [edx + 4]
    test eax, eax
    jz .last
    push eax
    push 0                      ; end pointer
    mov ecx, esp
    ccall strtol, eax, ecx, 10
    pop ecx
    pop edx
    cmp byte [edx], 0
    je .bad
    cmp byte [ecx], 0
    jne .bad
    and eax, 0xff
    ccall exit, eax
.bad:
    ccall fprintf, [stderr], exit_fmt, edx
    ccall exit, 2
.last:
    ccall exit, [status]

builtin_help:
    ccall fputs, help_text, [stdout]
    xor eax, eax
    ret

builtin_pwd:
    ccall getcwd, cwd, 1024
    test eax, eax
    jns .print
    ccall perror, pwd_name_err
    mov eax, 1
    ret
.print:
    ccall puts, cwd
    xor eax, eax
    ret

builtin_wait:
    ccall waitpid, -1, wait_status, 0
    test eax, eax
    jle .done
    ccall forget_job, eax
    jmp builtin_wait
.done:
    xor eax, eax
    ret
