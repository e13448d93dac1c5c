; sysenter MODE: the kernel's sysenter path, from a program without the libc. Exit status 0
; when the mode's checks hold (otherwise a bit per failed check), or death by a signal where
; the mode says so.
;   regs    every register but eax comes back unchanged, on success and on error, through a
;           sysenter of the program's own and through the vDSO's __kernel_vsyscall
;   badebp  sysenter with ebp = 0 (no user stack): dies of SIGSEGV at the vDSO's landing pad
;   trap    sysenter with TF set: #DB on the kernel's first instruction is not the kernel's
;           fault; the program gets its SIGTRAP one instruction after the return
;   nt      sysenter with NT set: the kernel's own iret is not a task return
;   signal  a child blocked in nanosleep through sysenter gets a handled signal: EINTR
;   fork    fork, execve (of /bin/echo) and waitpid, each through sysenter
bits 32

SYS_exit        equ 1
SYS_fork        equ 2
SYS_close       equ 6
SYS_waitpid     equ 7
SYS_execve      equ 11
SYS_getpid      equ 20
SYS_kill        equ 37
SYS_sched_yield equ 158
SYS_nanosleep   equ 162
SYS_rt_sigreturn equ 173
SYS_rt_sigaction equ 174
SIGUSR1         equ 10
EBADF           equ 9
EINTR           equ 4
AT_SYSINFO      equ 32
SA_RESTORER     equ 0x04000000
SA_SIGINFO      equ 4

section .data
echo_path:  db "/bin/echo", 0
echo_arg0:  db "echo", 0
echo_arg1:  db "exec through sysenter", 0
echo_argv:  dd echo_arg0, echo_arg1, 0
envp:       dd 0
sleep_time: dd 5, 0             ; struct timespec: long enough to be interrupted
action:     dd on_signal, SA_RESTORER | SA_SIGINFO, restorer, 0, 0

section .bss
vsyscall:   resd 1              ; __kernel_vsyscall, from AT_SYSINFO
trap:       resd 1              ; the way check_regs enters the kernel
caught:     resd 1
wait_status: resd 1

section .text
global _start

; The entry half of __kernel_vsyscall: eax = number, ebx..edi = arguments. sysenter saves no
; return address; the kernel comes back to the vDSO's landing pad, whose ret returns here.
enter:
        push ecx
        push edx
        push ebp
        mov ebp, esp
        sysenter

_start:
        lea edx, [esp + 4]              ; argv
        mov eax, [esp]
        lea edx, [edx + eax * 4 + 4]    ; envp
.env:   add edx, 4
        cmp dword [edx - 4], 0
        jne .env
.aux:   cmp dword [edx], AT_SYSINFO
        jne .next
        mov ecx, [edx + 4]
        mov [vsyscall], ecx
.next:  add edx, 8
        cmp dword [edx - 8], 0
        jne .aux
        mov ebx, 2
        cmp dword [esp], 2
        jne exit
        mov esi, [esp + 8]
        movzx eax, byte [esi]
        cmp al, 'r'
        je regs
        cmp al, 'b'
        je badebp
        cmp al, 't'
        je single_step
        cmp al, 'n'
        je nested_task
        cmp al, 's'
        je interrupted
        cmp al, 'f'
        je fork_exec
        jmp exit

; exit(ebx)
exit:
        mov eax, SYS_exit
        int 0x80

regs:
        mov dword [trap], enter
        call check_regs
        mov edi, eax
        mov eax, [vsyscall]
        mov [trap], eax
        call check_regs
        shl eax, 8
        or eax, edi
        mov ebx, eax
        jmp exit

; Loads every register with a distinct value, makes close(-1) (fails) and getpid (succeeds)
; through [trap]: eax = a bit per register that came back changed, 0x80 for a wrong result.
check_regs:
        push ebp
        mov ebx, -1
        mov ecx, 0x11111111
        mov edx, 0x22222222
        mov esi, 0x33333333
        mov edi, 0x44444444
        mov ebp, 0x55555555
        mov eax, SYS_close
        call [trap]
        push eax
        xor eax, eax
        cmp dword [esp], -EBADF
        je .result_ok
        or al, 0x80
.result_ok:
        add esp, 4
        cmp ebx, -1
        je .ebx_ok
        or al, 0x20
.ebx_ok:
        cmp ecx, 0x11111111
        je .ecx_ok
        or al, 0x01
.ecx_ok:
        cmp edx, 0x22222222
        je .edx_ok
        or al, 0x02
.edx_ok:
        cmp esi, 0x33333333
        je .esi_ok
        or al, 0x04
.esi_ok:
        cmp edi, 0x44444444
        je .edi_ok
        or al, 0x08
.edi_ok:
        cmp ebp, 0x55555555
        je .ebp_ok
        or al, 0x10
.ebp_ok:
        mov edi, eax
        mov eax, SYS_getpid
        call [trap]
        test eax, eax
        jg .pid_ok
        or edi, 0x40
.pid_ok:
        mov eax, edi
        pop ebp
        ret

badebp:
        xor ebp, ebp                    ; no stack to take the sixth argument from, or to return on
        mov eax, SYS_getpid
        sysenter

single_step:
        mov eax, SYS_getpid
        call .traced
        xor ebx, ebx                    ; not reached: the trap after the return kills the program
        jmp exit
.traced:
        push ecx
        push edx
        push ebp
        mov ebp, esp
        pushfd
        or dword [esp], 0x100           ; TF, from the instruction after popfd on: the sysenter
        popfd
        sysenter

nested_task:
        pushfd
        or dword [esp], 0x4000          ; NT: an iret in the kernel would return to a previous task
        popfd
        mov eax, SYS_getpid
        call enter
        mov ebx, 1
        test eax, eax
        jle exit
        pushfd
        pop ecx
        test ecx, 0x4000
        jz exit                         ; the program's NT should be as it left it
        and ecx, ~0x4000
        push ecx
        popfd
        xor ebx, ebx
        jmp exit

; void on_signal(int sig)
on_signal:
        inc dword [caught]
        ret

restorer:
        mov eax, SYS_rt_sigreturn
        int 0x80

interrupted:
        mov eax, SYS_rt_sigaction
        mov ebx, SIGUSR1
        mov ecx, action
        xor edx, edx
        mov esi, 8
        call enter
        mov eax, SYS_fork
        call enter
        test eax, eax
        jz .child
        mov edi, eax                    ; the child's pid
        mov eax, SYS_sched_yield        ; let the child reach its nanosleep
        call enter
        mov eax, SYS_kill
        mov ebx, edi
        mov ecx, SIGUSR1
        call enter
        jmp wait_child
.child:
        mov eax, SYS_nanosleep
        mov ebx, sleep_time
        xor ecx, ecx
        mov esi, 0x33333333
        mov edi, 0x44444444
        call enter
        xor ebx, ebx
        cmp eax, -EINTR
        je .eintr
        or ebx, 1
.eintr:
        cmp dword [caught], 1
        je .caught
        or ebx, 2
.caught:
        cmp esi, 0x33333333
        jne .clobbered
        cmp edi, 0x44444444
        je exit
.clobbered:
        or ebx, 4
        jmp exit

fork_exec:
        mov esi, 0x33333333
        mov eax, SYS_fork
        call enter
        test eax, eax
        jz .child
        mov ebx, 8
        cmp esi, 0x33333333
        jne exit
        mov ebx, eax
        jmp wait_child
.child:
        mov ebx, 16
        cmp esi, 0x33333333
        jne exit
        mov eax, SYS_execve
        mov ebx, echo_path
        mov ecx, echo_argv
        mov edx, envp
        call enter
        mov ebx, 32                     ; execve came back: it failed
        jmp exit

; waitpid(ebx) and exit with the child's exit status, or 64 when it did not exit normally.
wait_child:
        mov eax, SYS_waitpid
        mov ecx, wait_status
        xor edx, edx
        call enter
        mov eax, [wait_status]
        mov ebx, 64
        test eax, 0x7f
        jnz exit
        movzx ebx, ah
        jmp exit
