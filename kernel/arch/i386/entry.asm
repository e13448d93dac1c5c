; Entry and exit stubs. Every way into the kernel (exception, hardware interrupt, a system
; call through int 0x80, 0x81, 0x82, the call gate or sysenter) ends in the same frame on the
; kernel stack, Linux's struct pt_regs, lowest address first:
;   ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip cs eflags [esp ss]
; The CPU pushed eip..ss (esp and ss only when it came from ring 3, after switching to SS0:ESP0
; from the TSS); the stub pushes orig_eax and the rest (SAVE_ALL), loads the kernel data
; segments and calls the TypeScript kernel through the bridge (vmcall) with
;   EAX = service (BRIDGE_...), EBX = the frame's address, ECX = the vector (for a system call,
;   its entry path: where the CPU found the stub, the vector, the call gate's selector or the
;   SYSENTER_EIP MSR's number), EDX = CR2 for #PF.
; On the way out it restores from whatever frame the kernel left in cpu_area.return_esp: the
; same one, or another process's (a context switch), then iret, or sysexit when the kernel says
; the frame allows it.

; The kernel's own EFLAGS on every entry: TF, NT, DF, AC and IOPL cleared (KERNEL_CLEARS_EFLAGS,
; eflags.ts), whatever ring 3 left in them and whichever gate it came through. IF is kept.
%macro ENTRY_EFLAGS 0
        pushfd
        and dword [esp], ~KERNEL_CLEARS_EFLAGS
        popfd
%endmacro

; The bridge call of every stub, with interrupts off from here to the iret or sysexit (which
; give back the interrupted IF): the kernel's choice of stack waits in cpu_area.return_esp until
; ret_from_bridge loads it, and an IRQ taken in between would replace it with the IRQ's own
; frame, to which ret_from_bridge would then return for ever. System calls come here with IF on
; (trap gates and the call gate leave it), but for sysenter, which cleared it.
%macro BRIDGE 0
        cli
        vmcall                          ; the TypeScript kernel; it may switch processes
%endmacro

%macro SAVE_ALL 0
        ENTRY_EFLAGS
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

; A system call through `int n` (a trap gate with DPL 3: interrupts stay on). The CPU's frame is
; the same for every such vector; ECX tells the bridge which entry path it was, and so how to
; find the number, the arguments and where the result goes (entry-paths.ts).
%macro SYSCALL_TRAP 1
        push eax                        ; pt_regs.orig_eax: the number (in eax for int 0x80 and the stack ABI), kept when eax becomes the result
        SAVE_ALL
        mov ecx, %1                     ; the entry path: the vector
        mov eax, BRIDGE_SYSCALL
        jmp bridge_call
%endmacro

; int 0x80: Linux's registers, number in eax, arguments in ebx ecx edx esi edi ebp.
vector_syscall:
        SYSCALL_TRAP SYSCALL_VECTOR

; int 0x81: the stack ABI (seed 004), number in eax, arguments on the user stack at esp+4.
vector_stack_syscall:
        SYSCALL_TRAP STACK_SYSCALL_VECTOR

; int 0x82: the argument block (seed 000); the number and arguments are in user memory, which
; only the TypeScript side reads (with checks): the stub touches nothing of the user's.
vector_argblock_syscall:
        SYSCALL_TRAP ARGBLOCK_VECTOR

; The call gate (GDT slot CALL_GATE, DPL 3, CALL_GATE_PARAMS parameters): `call 0x33:0` in ring 3.
; The CPU checks the gate, loads SS0:ESP0 from the TSS, copies CALL_GATE_PARAMS dwords from the
; user stack and pushes ss, esp, the copies, cs, eip. It pushes no EFLAGS and clears no flag:
; IF stays on up to the bridge call (as under int 0x80's trap gate; the stub never keeps anything
; below esp, so an IRQ nesting here is harmless and its work is deferred), and TF, NT, DF, AC are
; whatever ring 3 had.
; The stub rebuilds the pt_regs every other entry leaves at the top of the kernel stack, with the
; copied dwords just below it for the argument fetcher, and leaves through ret_from_bridge's iret
; like the others: fork, signals, execve and the context switch never see a different frame.
;   at entry     esp -> eip cs p0 p1 p2 p3 p4 p5 esp ss                       (the CPU's 40 bytes)
;   at the call  esp -> p0 p1 p2 p3 p4 p5 | ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip cs eflags esp ss
; Both end at the top of the stack, so user esp and ss are already in place. The moves below are
; ordered so that nothing is overwritten before it is read, for this parameter count.
%if CALL_GATE_PARAMS != 6
  %error the call gate stub's moves are ordered for six parameters
%endif
GATE_ARGS       equ 4 * CALL_GATE_PARAMS        ; the copies, at esp once the stub has made room
GATE_REGS       equ GATE_ARGS                   ; pt_regs, just above them
GATE_CPU        equ PT_SS + 4 - 16              ; the CPU's eip (then cs, p0..p5): its frame ends where pt_regs ends
callgate_entry:
        pushfd                          ; the user's EFLAGS, for pt_regs.eflags
        ENTRY_EFLAGS
        sub esp, GATE_CPU - 4           ; room: esp = the copies' new place; the EFLAGS just saved is at GATE_CPU - 4
        mov [esp + GATE_REGS + PT_EBX], ebx     ; pt_regs.ebx (ebx..ebp lie below the CPU's frame: free)
        mov [esp + GATE_REGS + PT_ECX], ecx     ; pt_regs.ecx
        mov [esp + GATE_REGS + PT_EDX], edx     ; pt_regs.edx
        mov [esp + GATE_REGS + PT_ESI], esi     ; pt_regs.esi
        mov [esp + GATE_REGS + PT_EDI], edi     ; pt_regs.edi
        mov [esp + GATE_REGS + PT_EBP], ebp     ; pt_regs.ebp
%assign i 0
%rep CALL_GATE_PARAMS
        mov ebx, [esp + GATE_CPU + 8 + 4 * i]   ; parameter i as the CPU copied it ...
        mov [esp + 4 * i], ebx                  ; ... below pt_regs, where the argument fetcher reads it
  %assign i i + 1
%endrep
        mov ebx, [esp + GATE_CPU]               ; the CPU's eip
        mov ecx, [esp + GATE_CPU + 4]           ; the CPU's cs
        mov edx, [esp + GATE_CPU - 4]           ; the EFLAGS saved above
        mov [esp + GATE_REGS + PT_EIP], ebx     ; pt_regs.eip
        mov [esp + GATE_REGS + PT_CS], ecx      ; pt_regs.cs
        mov [esp + GATE_REGS + PT_EFLAGS], edx  ; pt_regs.eflags
        mov [esp + GATE_REGS + PT_ORIG_EAX], eax ; pt_regs.orig_eax: the number
        mov [esp + GATE_REGS + PT_EAX], eax     ; pt_regs.eax
        xor ebx, ebx
        mov bx, ds
        mov [esp + GATE_REGS + PT_DS], ebx      ; pt_regs.ds
        mov bx, es
        mov [esp + GATE_REGS + PT_ES], ebx      ; pt_regs.es
        mov bx, fs
        mov [esp + GATE_REGS + PT_FS], ebx      ; pt_regs.fs
        mov bx, gs
        mov [esp + GATE_REGS + PT_GS], ebx      ; pt_regs.gs
        mov eax, KERNEL_DS
        mov ds, eax
        mov es, eax
        lea ebx, [esp + GATE_REGS]      ; the frame (the copies stay below it, above esp)
        mov ecx, CALL_GATE              ; the entry path: the gate's selector
        mov eax, BRIDGE_SYSCALL
        BRIDGE
        jmp ret_from_bridge

; sysenter (its MSRs are programmed at boot when the CPU has SEP): the CPU loaded CS = KERNEL_CS,
; SS = KERNEL_DS, ESP = SYSENTER_ESP, EIP = here, cleared IF, VM and RF, and saved nothing: no
; return address, no user stack pointer. __kernel_vsyscall pushed ecx, edx and ebp and left its
; esp in ebp; from that the stub builds the same pt_regs as int 0x80's, but for eip, which the
; kernel sets to the vDSO's landing pad, and ebp, which it loads with the sixth argument.
; sysenter kept NT, AC, DF and TF: SAVE_ALL's ENTRY_EFLAGS clears them for the kernel (a TF has
; already trapped on the first instruction here, see system.ts).
sysenter_entry:
        mov esp, [tss + 4]              ; TSS.esp0: this process's kernel stack (switchTo keeps it)
        push dword USER_DS              ; pt_regs.ss
        push ebp                        ; pt_regs.esp: the user stack, as __kernel_vsyscall left it
        pushfd                          ; pt_regs.eflags: the user's, but IF (the kernel sets it back)
        push dword USER_CS              ; pt_regs.cs
        push dword 0                    ; pt_regs.eip: filled in by the kernel
        push eax                        ; pt_regs.orig_eax: the number
        SAVE_ALL
        mov ecx, MSR_SYSENTER_EIP       ; the entry path: the MSR that holds this stub's address
        mov eax, BRIDGE_SYSCALL
        jmp bridge_call

exception_common:
        mov edx, cr2                    ; the faulting address, meaningful for #PF
        mov eax, BRIDGE_EXCEPTION
bridge_call:
        mov ebx, esp                    ; the frame
        BRIDGE

; Every return from the kernel, with interrupts off (BRIDGE). The kernel chose the stack (the
; frame of the process to resume), the page directory, and whether to idle or stop.
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

; The stubs' addresses of the exceptions and IRQs, for the IDT the TypeScript kernel builds (the
; system-call stubs it finds by name, from entry-paths.ts).
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
