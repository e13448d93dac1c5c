; Signals: installing a handler, and the names and descriptions of the signals (Linux i386
; numbering), for reporting how a child process ended.
bits 32
%include "syscalls.inc"

extern snprintf, rt_sigaction

SA_RESTART  equ 0x10000000      ; calls a handler interrupted resume instead of failing with EINTR
SA_RESTORER equ 0x04000000      ; sa_restorer holds the code a handler returns into
SA_SIGINFO  equ 4               ; the rt_sigframe, which rt_sigreturn undoes (Linux builds the
                                ; older frame of sigreturn without it; this kernel has only rt)
SIGSET_BYTES equ 8

section .rodata
%macro SIGNALS 1
  %1 1, "HUP", "Hangup"
  %1 2, "INT", "Interrupt"
  %1 3, "QUIT", "Quit"
  %1 4, "ILL", "Illegal instruction"
  %1 5, "TRAP", "Trace/breakpoint trap"
  %1 6, "ABRT", "Aborted"
  %1 7, "BUS", "Bus error"
  %1 8, "FPE", "Floating point exception"
  %1 9, "KILL", "Killed"
  %1 10, "USR1", "User defined signal 1"
  %1 11, "SEGV", "Segmentation fault"
  %1 12, "USR2", "User defined signal 2"
  %1 13, "PIPE", "Broken pipe"
  %1 14, "ALRM", "Alarm clock"
  %1 15, "TERM", "Terminated"
  %1 16, "STKFLT", "Stack fault"
  %1 17, "CHLD", "Child exited"
  %1 18, "CONT", "Continued"
  %1 19, "STOP", "Stopped (signal)"
  %1 20, "TSTP", "Stopped"
  %1 21, "TTIN", "Stopped (tty input)"
  %1 22, "TTOU", "Stopped (tty output)"
  %1 23, "URG", "Urgent I/O condition"
  %1 24, "XCPU", "CPU time limit exceeded"
  %1 25, "XFSZ", "File size limit exceeded"
  %1 26, "VTALRM", "Virtual timer expired"
  %1 27, "PROF", "Profiling timer expired"
  %1 28, "WINCH", "Window changed"
  %1 29, "IO", "I/O possible"
  %1 30, "PWR", "Power failure"
  %1 31, "SYS", "Bad system call"
%endmacro
NSIG_NAMED equ 31

%macro TEXTS 3
  abbrev_%1: db %2, 0
  descr_%1:  db %3, 0
%endmacro
SIGNALS TEXTS
%macro ABBREV 3
  dd abbrev_%1
%endmacro
%macro DESCR 3
  dd descr_%1
%endmacro
abbrevs:    dd 0
SIGNALS ABBREV
descrs:     dd 0
SIGNALS DESCR
unknown_fmt: db "Unknown signal %d", 0

section .bss
unknown:    resb 32

section .text

; sighandler_t signal(int sig, sighandler_t handler)   clobbers eax, ecx, edx
; Installs handler (or SIG_DFL 0, SIG_IGN 1) for sig with rt_sigaction, BSD style: calls the
; handler interrupts are restarted. The handler is called as void handler(int sig) (it may
; also take the siginfo and ucontext pointers that follow). The previous handler, or
; SIG_ERR (-1) with errno set.
global signal:function
signal:
    sub esp, 40                 ; the new struct sigaction at esp, the old at esp + 20
    mov eax, [esp + 48]
    mov [esp], eax              ; sa_handler
    mov dword [esp + 4], SA_RESTART | SA_RESTORER | SA_SIGINFO
    mov dword [esp + 8], __restore_rt
    mov dword [esp + 12], 0     ; sa_mask: nothing more blocked while the handler runs
    mov dword [esp + 16], 0
    lea eax, [esp + 20]
    mov ecx, esp
    push SIGSET_BYTES
    push eax
    push ecx
    push dword [esp + 56]       ; sig
    call rt_sigaction
    add esp, 16
    test eax, eax
    jnz .done                   ; -1, errno set by the wrapper
    mov eax, [esp + 20]
.done:
    add esp, 40
    ret

; Where a handler returns: the kernel's signal frame is at esp, and rt_sigreturn restores the
; interrupted state from it. Always int 0x80, which touches no stack, whatever the mechanism.
global __restore_rt:function
__restore_rt:
    mov eax, __NR_rt_sigreturn
    int 0x80

; const char *sigabbrev_np(int sig)                 clobbers eax
; The signal's name without "SIG" ("SEGV"), or NULL for a number that is not a signal.
global sigabbrev_np:function
sigabbrev_np:
    mov eax, [esp + 4]
    dec eax
    cmp eax, NSIG_NAMED - 1
    ja .none
    mov eax, [abbrevs + 4 + eax * 4]
    ret
.none:
    xor eax, eax
    ret

; char *strsignal(int sig)                          clobbers eax, ecx, edx
; The description ("Segmentation fault"); "Unknown signal N" in a static buffer otherwise.
global strsignal:function
strsignal:
    mov eax, [esp + 4]
    dec eax
    cmp eax, NSIG_NAMED - 1
    ja .unknown
    mov eax, [descrs + 4 + eax * 4]
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
