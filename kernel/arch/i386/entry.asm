; Entry and exit stubs. Every way into the kernel (exception, hardware interrupt, int 0x80,
; sysenter) ends in the same frame on the kernel stack, Linux's struct pt_regs, lowest address first:
;   ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip cs eflags [esp ss]
; The CPU pushed eip..ss (esp and ss only when it came from ring 3, after switching to SS0:ESP0
; from the TSS); the stub pushes orig_eax and the rest (SAVE_ALL), loads the kernel data
; segments and calls the TypeScript kernel through the bridge (vmcall) with
;   EAX = service (BRIDGE_...), EBX = the frame's address, ECX = the vector, EDX = CR2 for #PF.
; On the way out it restores from whatever frame the kernel left in cpu_area.return_esp: the
; same one, or another process's (a context switch), then iret, or sysexit when the kernel says
; the frame allows it.

%macro SAVE_ALL 0
        cld                             ; the kernel never runs with the user's direction flag
        push gs                         ; pt_regs.gs
        push fs                         ; pt_regs.fs
        push es                         ; pt_regs.es
        push ds                         ; pt_regs.ds
        push eax                        ; pt_regs.eax
        push ebp                        ; pt_regs.ebp
        push edi                        ; pt_regs.edi
        push esi                        ; pt_regs.esi
        push edx                        ; pt_regs.edx
        push ecx                        ; pt_regs.ecx
        push ebx                        ; pt_regs.ebx
        mov eax, KERNEL_DS
        mov ds, eax                     ; the user's DS/ES may be anything: use the kernel's
        mov es, eax
%endmacro

; An exception the CPU pushes no error code for: push 0 in its place, so every exception frame
; has the error code in the orig_eax slot.
%macro EXCEPTION 1
vector_%1:
        push dword 0                    ; pt_regs.orig_eax: no error code
        SAVE_ALL
        mov ecx, %1
        jmp exception_common
%endmacro

; An exception with an error code: the CPU pushed it, where orig_eax belongs.
%macro EXCEPTION_ERR 1
vector_%1:
        SAVE_ALL
        mov ecx, %1
        jmp exception_common
%endmacro

; A hardware interrupt: orig_eax is -1 (no system call), as on Linux.
%macro IRQ 1
vector_%1:
        push dword -1                   ; pt_regs.orig_eax
        SAVE_ALL
        mov ecx, %1
        mov eax, BRIDGE_IRQ
        jmp bridge_call
%endmacro

; Vectors 0-31: the CPU's exceptions. 8, 10-14 and 17 push an error code.
%assign v 0
%rep 32
  %if v == 8 || (v >= 10 && v <= 14) || v == 17
        EXCEPTION_ERR v
  %else
        EXCEPTION v
  %endif
  %assign v v + 1
%endrep

; Vectors IRQ_BASE..IRQ_BASE+15: the two PICs, remapped above the exceptions.
%assign v IRQ_BASE
%rep 16
        IRQ v
  %assign v v + 1
%endrep

; int 0x80 (a trap gate with DPL 3): the system-call number arrives in eax.
vector_syscall:
        push eax                        ; pt_regs.orig_eax: the number, kept when eax becomes the result
        SAVE_ALL
        mov ecx, SYSCALL_VECTOR
        mov eax, BRIDGE_SYSCALL
        jmp bridge_call

; sysenter (its MSRs are programmed at boot when the CPU has SEP): the CPU loaded CS = KERNEL_CS,
; SS = KERNEL_DS, ESP = SYSENTER_ESP, EIP = here, cleared IF, VM and RF, and saved nothing: no
; return address, no user stack pointer. __kernel_vsyscall pushed ecx, edx and ebp and left its
; esp in ebp; from that the stub builds the same pt_regs as int 0x80's, but for eip, which the
; kernel sets to the vDSO's landing pad, and ebp, which it loads with the sixth argument.
sysenter_entry:
        mov esp, [tss + 4]              ; TSS.esp0: this process's kernel stack (switchTo keeps it)
        push dword USER_DS              ; pt_regs.ss
        push ebp                        ; pt_regs.esp: the user stack, as __kernel_vsyscall left it
        pushfd                          ; pt_regs.eflags: the user's, but IF (the kernel sets it back)
        push dword 2
        popfd                           ; sysenter kept NT, AC, DF, TF: the kernel runs without them
        push dword USER_CS              ; pt_regs.cs
        push dword 0                    ; pt_regs.eip: filled in by the kernel
        push eax                        ; pt_regs.orig_eax: the number
        SAVE_ALL
        mov eax, BRIDGE_SYSENTER
        jmp bridge_call

exception_common:
        mov edx, cr2                    ; the faulting address, meaningful for #PF
        mov eax, BRIDGE_EXCEPTION
bridge_call:
        mov ebx, esp                    ; the frame
        cli                             ; until the iret (int 0x80's trap gate left IF set): an
                                        ; interrupt on the way out would make its own bridge
                                        ; call, which points return_esp at its nested frame
        vmcall                          ; the TypeScript kernel; it may switch processes

; Every return from the kernel, with interrupts off. The kernel chose the stack (the frame of
; the process to resume), the page directory, and whether to idle or stop.
ret_from_bridge:
        mov esp, [cpu_area.return_esp]
        cmp dword [cpu_area.halt], 0
        jne halt_forever
        cmp dword [cpu_area.idle], 0
        jne idle_loop
        mov eax, [cpu_area.cr3]
        mov ecx, cr3
        cmp eax, ecx
        jne .load_cr3
        cmp dword [cpu_area.flush], 0
        je .invlpg
.load_cr3:
        mov cr3, eax                    ; a new address space; non-global TLB entries go
        mov dword [cpu_area.flush], 0
        mov dword [cpu_area.invlpg_count], 0
.invlpg:
        mov ecx, [cpu_area.invlpg_count]
        test ecx, ecx
        jz restore_all
.next_page:
        mov eax, [cpu_area.invlpg + ecx * 4 - 4]
        invlpg [eax]                    ; one changed mapping of the current space
        dec ecx
        jnz .next_page
        mov [cpu_area.invlpg_count], ecx

restore_all:
        pop ebx
        pop ecx
        pop edx
        pop esi
        pop edi
        pop ebp
        pop eax
        pop ds
        pop es
        pop fs
        pop gs
        add esp, 4                      ; orig_eax / error code
        cmp dword [ss:cpu_area.sysexit], 0  ; ss: ds is the user's now, perhaps null
        jne sysexit_to_user
        iret                            ; back to the interrupted code (ring 3: its stack too)

; The fast way back for a process that entered with sysenter and whose frame the kernel left as
; it was (the kernel checked it and set cpu_area.sysexit): sysexit takes EIP from EDX and ESP
; from ECX and derives CS and SS from SYSENTER_CS, so the landing pad restores the user's ecx
; and edx from the user stack, where __kernel_vsyscall saved them.
sysexit_to_user:
        pop edx                         ; eip: where sysexit returns (the landing pad)
        add esp, 4                      ; cs: sysexit loads SYSENTER_CS + 16 | 3
        and dword [esp], ~0x200         ; no interrupt until sysexit: IF comes back with sti
        popfd                           ; the user's flags (never TF: that frame returns with iret)
        pop ecx                         ; esp: the user stack sysexit loads
        sti                             ; its one-instruction shadow covers sysexit
        sysexit

; Nothing is runnable: wait for an interrupt with the kernel's own directory loaded (the last
; process's may have been freed). The interrupt's stub calls the kernel, which either resumes a
; process through ret_from_bridge or comes back here.
idle_loop:
        mov esp, boot_stack_top
        mov eax, [cpu_area.cr3]
        mov cr3, eax
        mov dword [cpu_area.flush], 0
        mov dword [cpu_area.invlpg_count], 0
        sti
        hlt                             ; sti's one-instruction shadow: no interrupt before the hlt
        cli
        jmp idle_loop

; A panic: wait, with interrupts on, until COM1 has sent the whole report (its transmitter and
; the timer wake the hlt; their stubs come back here through ret_from_bridge), then stop for good.
halt_forever:
        mov esp, boot_stack_top         ; each wake-up starts afresh: the drain never fills a stack
        mov eax, BRIDGE_FLUSH
        vmcall
        test eax, eax
        jz .stop
        sti
        hlt
        jmp halt_forever
.stop:
        cli
        hlt
        jmp .stop

; The stubs' addresses by vector, for the IDT the TypeScript kernel builds.
align 4
vector_table:
%assign v 0
%rep 32
        dd vector_ %+ v
  %assign v v + 1
%endrep
%assign v IRQ_BASE
%rep 16
        dd vector_ %+ v
  %assign v v + 1
%endrep
        dd vector_syscall
