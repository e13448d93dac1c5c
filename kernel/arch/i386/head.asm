; Protected-mode startup, entered from the boot ROM at the image's first byte with paging off,
; flat 4 GiB segments and interrupts disabled. Until paging is on, addresses are physical:
; every reference to the image subtracts KERNEL_BASE.

startup_32:
        mov esp, boot_stack_top - KERNEL_BASE
        xor eax, eax
        cpuid                           ; leaf 0: the vendor string in EBX, EDX, ECX
        mov [cpu_area.cpu_vendor - KERNEL_BASE], ebx
        mov [cpu_area.cpu_vendor + 4 - KERNEL_BASE], edx
        mov [cpu_area.cpu_vendor + 8 - KERNEL_BASE], ecx
        mov eax, 1
        cpuid                           ; leaf 1: EAX = family/model/stepping, EDX = features (PSE, PGE, SEP...)
        mov [cpu_area.cpu_signature - KERNEL_BASE], eax
        mov ebx, edx
        mov eax, BRIDGE_BOOT
        vmcall                          ; TS builds the tables: EAX = CR3, EBX = CR4 bits
        cmp dword [cpu_area.halt - KERNEL_BASE], 0
        jne .boot_failed                ; the kernel could not set up (its message is on the screen)
        mov ecx, cr4
        or ecx, ebx                     ; PSE for the kernel's 4 MiB pages, PGE for global ones
        mov cr4, ecx
        mov cr3, eax                    ; the kernel directory, with the low 4 MiB identity-mapped too
        mov eax, cr0
        or eax, 0x80010000              ; CR0.PG, and CR0.WP so ring 0 honours read-only pages
        mov cr0, eax
        mov eax, .higher_half           ; still running from the identity map:
        jmp eax                         ; continue at the same code's higher-half address

.higher_half:
        lgdt [cpu_area.gdtr]            ; the GDT TS wrote, at its virtual address
        jmp KERNEL_CS:.reload_cs        ; a far jump loads CS from the new table
.reload_cs:
        mov eax, KERNEL_DS
        mov ds, eax
        mov es, eax
        mov ss, eax
        xor eax, eax
        mov fs, eax                     ; null: user code gets no use of FS and GS
        mov gs, eax
        mov esp, boot_stack_top
        lidt [cpu_area.idtr]
        mov eax, TSS
        ltr ax                          ; marks the TSS descriptor busy; ring 3 -> 0 reads SS0:ESP0
        cmp dword [cpu_area.sysenter], 0
        je .no_sysenter                 ; the kernel found no usable SEP: int 0x80 only
        xor edx, edx                    ; the high halves: 32-bit addresses
        mov ecx, MSR_SYSENTER_CS
        mov eax, KERNEL_CS              ; CS; SS = CS + 8, and sysexit's CS + 16, SS + 24 (RPL 3)
        wrmsr
        mov ecx, MSR_SYSENTER_ESP
        mov eax, sysenter_stack_top     ; the same for every process: the stub loads TSS.esp0
        wrmsr
        mov ecx, MSR_SYSENTER_EIP
        mov eax, sysenter_entry
        wrmsr
.no_sysenter:
        mov eax, BRIDGE_START
        vmcall                          ; TS drops the identity map, starts devices and init
        jmp ret_from_bridge

.boot_failed:
        cli
        hlt
        jmp .boot_failed
