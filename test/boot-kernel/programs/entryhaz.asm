; entryhaz: the system-call entries used from ring 3 in states a kernel must survive. The first
; letter of argv[1] picks the case; each ends the process one way, which the test reads from the
; shell. Through the call gate (0x33:0, six parameters copied):
;   s  esp at an unmapped page: the CPU faults reading the parameters, still in ring 3 (SIGSEGV)
;   e  esp 8 bytes below the top of user space: the copy runs into the kernel half (SIGSEGV)
;   j  jmp instead of call through the gate: #GP in ring 3 (SIGSEGV)
;   t  TF set: the single-step trap lands on the gate's first instruction, in ring 0; the
;      program gets its TF back and traps after the call (SIGTRAP), the kernel goes on
;   f  NT, DF and AC set: getpid still answers, and the three come back as they were (exit 0;
;      else bits: 1 the pid, 2 DF, 4 AC, 16 NT)
; Through int 0x81 (the stack ABI) and int 0x82 (the argument block):
;   S  int 0x81 write(...) with esp at an unmapped page: -1 and EFAULT in edx (exit 14)
;   N  int 0x81 with number 0xffffffff: -1 and ENOSYS in edx (exit 38)
;   F  int 0x81 getpid with NT, DF, AC set: the pid, edx 0, the three kept (exit 0; else bits
;      as for f, and 8 for edx)
;   B  int 0x82 with function 9999 in the block: -ENOSYS in its result field (exit 38)
bits 32

NR_EXIT equ 1
NR_WRITE equ 4
NR_GETPID equ 20
GATE equ 0x33
ARG_BLOCK equ 0x8000
TF equ 0x100
DF equ 0x400
NT equ 0x4000
AC equ 0x40000

section .text
global _start
_start:
        mov esi, [esp + 8]              ; argv[1]
        test esi, esi
        jz usage
        movzx eax, byte [esi]
        mov ecx, cases
.next:
        cmp byte [ecx], 0
        je usage
        cmp al, [ecx]
        je .found
        add ecx, 5
        jmp .next
.found:
        jmp [ecx + 1]
usage:
        mov ebx, 2
        jmp exit

bad_stack:
        mov esp, 0x1000
        mov eax, NR_GETPID
        call GATE:0
        mov ebx, 1                      ; not reached
        jmp exit

stack_end:
        mov esp, 0xbffffff8
        mov eax, NR_GETPID
        call GATE:0
        mov ebx, 1
        jmp exit

jump:
        mov eax, NR_GETPID
        jmp GATE:0

single_step:
        sub esp, 24                     ; the six dwords the gate copies
        mov eax, NR_GETPID
        pushfd
        or dword [esp], TF
        popfd
        call GATE:0
        nop                             ; the trap comes after one instruction back in ring 3
        mov ebx, 1
        jmp exit

flags:
        mov ebp, gate_getpid
        jmp getpid_with_flags

gate_getpid:                            ; getpid through the call gate: eax = the pid
        sub esp, 24                     ; the six dwords the gate copies
        mov eax, NR_GETPID
        call GATE:0
        add esp, 24
        ret

vec_getpid:                             ; getpid through int 0x81: eax = the pid, edx = 0
        mov eax, NR_GETPID
        int 0x81
        ret

; getpid through the entry at ebp with NT, DF and AC set; the exit status says what came back.
getpid_with_flags:
        mov eax, NR_GETPID
        int 0x80
        mov edi, eax                    ; the pid, through int 0x80
        xor edx, edx
        pushfd
        or dword [esp], NT | DF | AC
        popfd
        call ebp
        pushfd
        pop ecx
        cld
        xor ebx, ebx
        cmp eax, edi
        je .pid_ok
        or ebx, 1
.pid_ok:
        test ecx, DF
        jnz .df_ok
        or ebx, 2
.df_ok:
        test ecx, AC
        jnz .ac_ok
        or ebx, 4
.ac_ok:
        test edx, edx
        jz .edx_ok
        or ebx, 8
.edx_ok:
        test ecx, NT
        jnz exit
        or ebx, 16
        jmp exit

vec_bad_stack:
        mov esp, 0x1000
        mov eax, NR_WRITE
        int 0x81
        mov ebx, edx                    ; the errno
        cmp eax, -1
        je exit
        mov ebx, 1
        jmp exit

vec_bad_number:
        mov eax, -1
        int 0x81
        mov ebx, edx
        cmp eax, -1
        je exit
        mov ebx, 1
        jmp exit

vec_flags:
        mov ebp, vec_getpid
        jmp getpid_with_flags

vec_block:
        mov dword [ARG_BLOCK], 9999     ; function
        int 0x82
        mov ebx, [ARG_BLOCK + 16]       ; result
        neg ebx
        jmp exit

exit:
        mov eax, NR_EXIT
        int 0x80

section .rodata
; The cases: a letter and where it starts.
cases:
        db 's'
        dd bad_stack
        db 'e'
        dd stack_end
        db 'j'
        dd jump
        db 't'
        dd single_step
        db 'f'
        dd flags
        db 'S'
        dd vec_bad_stack
        db 'N'
        dd vec_bad_number
        db 'F'
        dd vec_flags
        db 'B'
        dd vec_block
        db 0
