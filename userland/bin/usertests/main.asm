; usertests [NAME]...: a battery of tests of the libc and the kernel, like xv6's usertests.
; Each test runs in a child process, so one that crashes is reported (with the signal) and
; the others still run. One line per test, PASS or FAIL with the reason, then a summary;
; exit status 0 when all pass, 1 otherwise. Without NAME, every test runs.
%include "ut.inc"

; Each test: the suffix of its function test_NAME, and NAME as the string to print.
%macro TESTS 1
  %1 strings, "strings"
  %1 sprintf, "sprintf"
  %1 strtol, "strtol"
  %1 getopt, "getopt"
  %1 stdin, "stdin"
  %1 malloc, "malloc"
  %1 errno, "errno"
  %1 fork_wait, "fork_wait"
  %1 pipe, "pipe"
  %1 exec_missing, "exec_missing"
  %1 brk, "brk"
  %1 dup2, "dup2"
  %1 syscall, "syscall"
  %1 signals, "signals"
  %1 vdso, "vdso"
%endmacro

%macro DECLARE 2
  extern test_%1
%endmacro
TESTS DECLARE

section .rodata
%macro NAME 2
  name_%1: db %2, 0
%endmacro
TESTS NAME
%macro ENTRY 2
  dd name_%1, test_%1
%endmacro
tests:
TESTS ENTRY
    dd 0
pass_fmt:   db "PASS %s", 10, 0
fail_fmt:   db "FAIL %s: %s", 10, 0
killed_fmt: db "FAIL %s: killed by SIG%s (%s)", 10, 0
fork_name:  db "usertests: fork", 0
summary_fmt: db "usertests: %d passed, %d failed", 10, 0
unknown_fmt: db "usertests: no test named %s", 10, 0
usage:      db "usage: usertests [NAME]...", 10, 0

section .bss
passed:     resd 1
failed:     resd 1
wait_status: resd 1

section .text
global main
main:
    push ebp
    mov ebp, esp
    ccall run_named, tests, [ebp + 8], [ebp + 12], run_test
    test eax, eax
    jnz .unknown
    ccall printf, summary_fmt, [passed], [failed]
    xor eax, eax
    cmp dword [failed], 0
    setne al
    jmp .return
.unknown:
    mov ecx, [ebp + 12]
    ccall fprintf, [stderr], unknown_fmt, [ecx + eax * 4]
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop ebp
    ret

; Runs one test entry in a child and counts the outcome. Output is flushed before the
; fork so the child does not print earlier lines again.
run_test:
    push ebx
    push esi
    mov ebx, [esp + 12]
    ccall fflush, [stdout]
    call fork
    test eax, eax
    js .fork_failed
    jnz .parent
    call [ebx + 4]
    test eax, eax
    jnz .child_failed
    ccall printf, pass_fmt, [ebx]
    ccall exit, 0
.child_failed:
    ccall printf, fail_fmt, [ebx], eax
    ccall exit, 1
.parent:
    ccall waitpid, eax, wait_status, 0
    mov eax, [wait_status]
    and eax, 0x7f
    jnz .killed
    cmp dword [wait_status], 0
    jne .failed
    inc dword [passed]
    jmp .done
.killed:
    mov esi, eax
    ccall strsignal, esi
    push eax
    ccall sigabbrev_np, esi
    pop ecx
    ccall printf, killed_fmt, [ebx], eax, ecx
.failed:
    inc dword [failed]
    jmp .done
.fork_failed:
    ccall perror, fork_name
    jmp .failed
.done:
    pop esi
    pop ebx
    ret
