; fuzz [SEED [CALLS [WORKERS]]]: a seeded system-call fuzzer in the manner of trinity. WORKERS
; processes (3; at most 8) make CALLS calls in all (2000), each a random row of the kernel's table
; (or, one time in 16, a number it does not have) with arguments drawn by the argument's kind:
; boundary integers (0, -1, 0x7fffffff, 0x80000000, page sizes), descriptors, signals, paths,
; kernel and unmapped addresses, the last bytes before an unmapped page, and valid buffers.
; The same SEED makes the same calls. Each worker makes a slice of calls and exits; the parent
; starts another until the budget is spent. A worker that dies (a signal handler at a random
; address, a garbage rt_sigreturn frame, its own kill) or stops making progress (a sleep, a read
; nobody will answer, a stop signal) is replaced; the parent's watchdog kills a stuck worker
; with SIGKILL after WATCHDOG_POLLS polls without a call. Prints one line: the calls made, how
; many workers died and how many the watchdog killed.
; Not fuzzed, because they would end or replace the worker rather than test a call: exit,
; exit_group, execve; nor rt_sigreturn outside a handler, which resumes wherever the stack says
; (anywhere in the fuzzer's own code, with any registers: a worker could then do anything at
; all, kill(-1, SIGKILL) included). kill is aimed only at the worker itself or at a pid no
; process has (a signal to the worker's group would also hit the parent), and no pool holds an
; address of code or of memory holding one, so a handler the fuzzer installs always faults. The
; parent ignores the signals it can, bar Ctrl-C's and Ctrl-\'s. Workers read and write
; /dev/null instead of the console. It refuses to run on a kernel without this kit's kit_ps
; call, so that it never fuzzes the host it was copied to.
bits 32
%include "libc.inc"
%include "syscall-args.inc"

PAGE        equ 4096
MAX_WORKERS equ 8
SLICE       equ 200                 ; calls per worker before it exits and the next starts
WATCHDOG_POLLS equ 10               ; polls (10 ms apart) without progress before SIGKILL
COUNTER_FD  equ 60                  ; the worker's progress file: out of reach of the fd pool
SEEK_SET    equ 0
NOT_A_PID   equ 0x400000            ; above any pid (Linux's PID_MAX_LIMIT is 4194304)
SIG_DFL     equ 0
SIG_IGN     equ 1
SIGCHLD     equ 17
SIGSTOP     equ 19
LAST_SIGNAL equ 31

SYSCALL_ARGS_TABLE rows

section .rodata
usage:      db "usage: fuzz [SEED [CALLS [WORKERS]]]", 10, 0
refuse:     db "fuzz: this kernel has no kit_ps call: not the syscall kit's, so not fuzzed", 10, 0
start_fmt:  db "fuzz: seed %u, %u calls, %u workers", 10, 0
done_fmt:   db "fuzz: %u calls made; %u workers: %u killed by a signal, %u by the watchdog", 10, 0
dir:        db "/tmp/fuzz", 0
counter_fmt: db "/tmp/fuzz/count.%u", 0
dev_null:   db "/dev/null", 0
tick:       dd 0, 10000000          ; 10 ms

; Scalars every integer kind draws from.
ints:       dd 0, 1, 2, 3, 8, 16, 64, 4095, 4096, 4097, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff
            dd 0xfffffffe, 0xfffff000, 0xc0000000, O_RDWR | O_CREAT, O_DIRECTORY, O_WRONLY | O_CREAT | O_TRUNC
            dd O_WRONLY | O_APPEND, 0o777, 0x5401, 0x5402, 0x540f, 0x5410, 0x5413
ints_end:
fds:        dd 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, 64, 1000, 0x7fffffff, 0x80000000
fds_end:
signals:    dd 0, 1, SIGKILL, SIGSEGV, SIGUSR1, SIGPIPE, 17, 18, 19, 20, 21, 31, 32, 64, 65, -1, 0x80000000
signals_end:
; Unknown numbers: past the table, the extremes.
unknown:    dd SYSCALL_TABLE_SIZE, SYSCALL_TABLE_SIZE + 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xfffff001
unknown_end:
; Paths: in the fuzzer's own directory, the file system's roots, nonsense.
s_a:        db "/tmp/fuzz/a", 0
s_b:        db "/tmp/fuzz/b", 0
s_bc:       db "/tmp/fuzz/b/c", 0
s_slash:    db "/tmp/fuzz/a/", 0
s_tmp:      db "/tmp", 0
s_root:     db "/", 0
s_dot:      db ".", 0
s_dotdot:   db "..", 0
s_empty:    db 0
s_none:     db "/nonexistent/x", 0
long_path:  db "/"                      ; longer than a path may be
            times 318 db 'a'
            db 0
paths:      dd s_a, s_b, s_bc, s_slash, s_tmp, s_root, s_dot, s_dotdot, s_empty, s_none, dev_null, long_path
paths_end:

section .bss
number_end: resd 1                      ; where strtoul stopped in an argument
seed:       resd 1
calls:      resd 1
workers:    resd 1
remaining:  resd 1
made:       resd 1
started:    resd 1
deaths:     resd 1
watchdog:   resd 1
pid:        resd MAX_WORKERS            ; per slot: the worker (0: none), its slice, progress
budget:     resd MAX_WORKERS
last:       resd MAX_WORKERS
stalls:     resd MAX_WORKERS
counter:    resd MAX_WORKERS            ; the parent's descriptor of each slot's progress file
status:     resd 1
number:     resd 1
path:       resb 32
rng:        resd 1
self:       resd 1
args:       resd 6
pointers:   resd 15                     ; the worker's pools of values known at run time
pointers_end:
pids:       resd 6
pids_end:
area:       resd 1                      ; two pages from brk, the page after them unmapped

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    mov dword [seed], 1
    mov dword [calls], 2000
    mov dword [workers], 3
    mov esi, 1
.arg:
    cmp esi, [ebp + 8]
    jge .parsed
    cmp esi, 3
    ja .usage
    mov eax, [ebp + 12]
    mov ebx, [eax + esi * 4]
    ccall strtoul, ebx, number_end, 0
    mov ecx, [number_end]
    cmp ecx, ebx
    je .usage                   ; no digits
    cmp byte [ecx], 0
    jne .usage                  ; something after them
    mov [seed + esi * 4 - 4], eax
    inc esi
    jmp .arg
.parsed:
    mov eax, [workers]
    dec eax
    cmp eax, MAX_WORKERS
    jae .usage
    mov dword [errno], 0
    ccall syscall, __NR_kit_ps, 0, 0
    cmp eax, -1
    jne .ours
    cmp dword [errno], ENOSYS
    jne .ours
    ccall fputs, refuse, [stderr]
    mov eax, 1
    jmp .return
.ours:
    ccall dispositions, SIG_IGN
    call setup
    ccall printf, start_fmt, [seed], [calls], [workers]
    ccall fflush, [stdout]
    mov eax, [calls]
    mov [remaining], eax
.round:
    call start_workers
    test eax, eax
    jz .finished
    ccall nanosleep, tick, 0
    xor ebx, ebx
.poll:
    cmp ebx, [workers]
    jae .round
    cmp dword [pid + ebx * 4], 0
    je .next
    push ebx
    call poll_worker
    add esp, 4
.next:
    inc ebx
    jmp .poll
.finished:
    ccall printf, done_fmt, [made], [started], [deaths], [watchdog]
    xor eax, eax
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; void setup(void): the fuzzer's directory, one progress file per slot.
setup:
    push ebx
    ccall mkdir, dir, 0o755
    xor ebx, ebx
.slot:
    ccall sprintf, path, counter_fmt, ebx
    ccall open, path, O_RDWR | O_CREAT | O_TRUNC, 0o644
    mov [counter + ebx * 4], eax
    inc ebx
    cmp ebx, [workers]
    jb .slot
    pop ebx
    ret

; int start_workers(void): fills the free slots while calls remain; answers how many run.
start_workers:
    push ebx
    push esi
    xor ebx, ebx
    xor esi, esi
.slot:
    cmp ebx, [workers]
    jae .done
    cmp dword [pid + ebx * 4], 0
    jne .running
    mov eax, [remaining]
    test eax, eax
    jz .next
    cmp eax, SLICE
    jbe .slice
    mov eax, SLICE
.slice:
    sub [remaining], eax
    mov [budget + ebx * 4], eax
    mov dword [last + ebx * 4], 0
    mov dword [stalls + ebx * 4], 0
    ccall lseek, [counter + ebx * 4], 0, SEEK_SET
    mov dword [number], 0
    ccall write, [counter + ebx * 4], number, 4
    ccall fflush, [stdout]
    call fork
    test eax, eax
    jz .child
    jns .forked
    mov eax, [budget + ebx * 4] ; no process slot free now: try again next round
    add [remaining], eax
    jmp .next
.forked:
    mov [pid + ebx * 4], eax
    inc dword [started]
.running:
    inc esi
.next:
    inc ebx
    jmp .slot
.child:
    push ebx
    call worker                 ; does not return
.done:
    mov eax, esi
    pop esi
    pop ebx
    ret

; void poll_worker(int slot): collects an ended worker, or kills one that stopped making progress.
poll_worker:
    push ebx
    push esi
    mov ebx, [esp + 12]
    ccall waitpid, [pid + ebx * 4], status, WNOHANG
    mov esi, eax
    ccall lseek, [counter + ebx * 4], 0, SEEK_SET
    mov dword [number], 0
    ccall read, [counter + ebx * 4], number, 4
    mov eax, [number]
    cmp esi, [pid + ebx * 4]
    je .ended
    cmp eax, [last + ebx * 4]
    je .stalled
    mov [last + ebx * 4], eax
    mov dword [stalls + ebx * 4], 0
    jmp .done
.stalled:
    inc dword [stalls + ebx * 4]
    cmp dword [stalls + ebx * 4], WATCHDOG_POLLS
    jne .done
    ccall kill, [pid + ebx * 4], SIGKILL
    inc dword [watchdog]
    jmp .done
.ended:
    add [made], eax
    test eax, eax               ; calls it did not make go back to the budget (unless it made none)
    jz .collected
    mov ecx, [budget + ebx * 4]
    sub ecx, eax
    add [remaining], ecx
.collected:
    mov dword [pid + ebx * 4], 0
    test dword [status], 0x7f
    jz .done
    inc dword [deaths]
.done:
    pop esi
    pop ebx
    ret

; void worker(int slot): the child's life: its progress file at COUNTER_FD, /dev/null for
; stdio and no other descriptor, the pools, then its slice of calls.
worker:
    mov ebx, [esp + 4]
    mov eax, [started]          ; its own stream: the seed and how many workers came before
    imul eax, eax, 0x85ebca6b
    mov ecx, [seed]
    imul ecx, ecx, 0x9e3779b1
    xor eax, ecx
    or eax, 1
    mov [rng], eax
    ccall getpid
    mov [self], eax
    ccall dispositions, SIG_DFL
    ccall sprintf, path, counter_fmt, ebx
    ccall open, path, O_WRONLY, 0
    ccall dup2, eax, COUNTER_FD
    xor esi, esi                ; nothing else of the parent's: its progress files, the console
.close:
    ccall close, esi
    inc esi
    cmp esi, COUNTER_FD
    jb .close
    ccall open, dev_null, O_RDWR, 0
    ccall dup2, 0, 1
    ccall dup2, 0, 2
    call make_pools
    mov esi, [budget + ebx * 4]
    xor edi, edi
.call:
    cmp edi, esi
    jae .reap
    inc edi
    mov [number], edi
    ccall lseek, COUNTER_FD, 0, SEEK_SET
    ccall write, COUNTER_FD, number, 4
    call fuzz_one
    jmp .call
.reap:
    ccall waitpid, -1, 0, WNOHANG
    test eax, eax
    jg .reap
    ccall _exit, 0

; void dispositions(handler): sets SIG_IGN or SIG_DFL for every signal from 1 to 31 but SIGINT and
; SIGQUIT (the keyboard's), SIGKILL and SIGSTOP (which no one may set) and SIGCHLD (ignoring it
; would reap the workers before the parent sees how they ended).
dispositions:
    push ebx
    mov ebx, 1
.signal:
    cmp ebx, SIGINT
    je .next
    cmp ebx, SIGQUIT
    je .next
    cmp ebx, SIGKILL
    je .next
    cmp ebx, SIGSTOP
    je .next
    cmp ebx, SIGCHLD
    je .next
    ccall signal, ebx, [esp + 8]
.next:
    inc ebx
    cmp ebx, LAST_SIGNAL
    jbe .signal
    pop ebx
    ret

; void make_pools(void): the pools known only at run time: process ids (the worker's own, -1,
; 0, one nobody has, the extremes), and two pages from brk with an unmapped page after them for
; the pointers: NULL, into the pages, their last bytes, unmapped, kernel, the top of memory, code
; and read-only data. The pages are the only memory a fuzzed call may write: the fuzzer's own
; state lies elsewhere.
make_pools:
    mov eax, [self]
    mov [pids], eax
    mov dword [pids + 4], -1
    mov dword [pids + 8], 0
    mov dword [pids + 12], NOT_A_PID
    mov dword [pids + 16], 0x7fffffff
    mov dword [pids + 20], 0x80000000
    ccall brk, 0
    add eax, PAGE - 1
    and eax, -PAGE
    mov [area], eax
    add eax, 2 * PAGE
    ccall brk, eax
    mov eax, [area]
    lea ecx, [eax + 2 * PAGE]
    mov dword [pointers], 0
    mov [pointers + 4], eax
    lea edx, [eax + PAGE - 8]   ; straddling the two pages
    mov [pointers + 8], edx
    lea edx, [ecx - 1]
    mov [pointers + 12], edx
    lea edx, [ecx - 4]
    mov [pointers + 16], edx
    mov [pointers + 20], ecx    ; the unmapped page itself
    mov dword [pointers + 24], 0x30000000
    mov dword [pointers + 28], 0xc0000000
    mov dword [pointers + 32], 0xc0100000
    mov dword [pointers + 36], 0xfffffffc
    mov dword [pointers + 40], 0xffffffff
    mov dword [pointers + 44], main     ; read-only; its first word is no mapped address
    mov dword [pointers + 48], s_a
    mov dword [pointers + 52], long_path
    mov dword [pointers + 56], tick
    ccall memset, [area], 0x41, 2 * PAGE
    ret

; void fuzz_one(void): one random call with random arguments.
fuzz_one:
    push ebx
    push esi
    call random
    test al, 15
    jnz .table
    test al, 16                 ; a number the table does not have, or any number at all
    jz .any
    push unknown_end
    push unknown
    call pick
    add esp, 8
.any:
    ccall syscall, eax, 0, -1, 0xc0000000, 0, 0, 0
    jmp .done
.table:
    call random
    xor edx, edx
    mov ecx, (rows_end - rows) / SA_ROW
    div ecx
    imul esi, edx, SA_ROW
    add esi, rows
    mov eax, [esi + SA_NR]
    cmp eax, __NR_exit
    je .table
    cmp eax, __NR_exit_group
    je .table
    cmp eax, __NR_execve
    je .table
    cmp eax, __NR_rt_sigreturn
    je .table
    xor ebx, ebx
.arg:
    xor eax, eax
    cmp ebx, [esi + SA_NARGS]
    jae .store
    push dword [esi + SA_ARGS + ebx * 8 + 4]
    push dword [esi + SA_ARGS + ebx * 8]
    call draw
    add esp, 8
.store:
    mov [args + ebx * 4], eax
    inc ebx
    cmp ebx, 6
    jb .arg
    cmp dword [esi + SA_NR], __NR_kill
    jne .call
    call random                 ; kill: the worker itself (one time in 8: most signals end it) or nobody
    test al, 7
    mov eax, [self]
    jz .target
    mov eax, NOT_A_PID
.target:
    mov [args], eax
.call:
    ccall syscall, [esi + SA_NR], [args], [args + 4], [args + 8], [args + 12], [args + 16], [args + 20]
    test eax, eax
    jnz .done
    cmp dword [esi + SA_NR], __NR_fork
    jne .done
    ccall _exit, 0              ; a fuzzed fork's child leaves at once
.done:
    pop esi
    pop ebx
    ret

; unsigned draw(int kind, unsigned detail): a value for an argument of that kind.
draw:
    mov eax, [esp + 4]
    and eax, ARG_KIND_MASK
    cmp eax, ARG_FD
    je .fd
    cmp eax, ARG_SIGNAL
    je .signal
    cmp eax, ARG_PID
    je .pid
    cmp eax, ARG_UINT
    je .uint
    cmp eax, ARG_STRING
    je .string
    cmp eax, ARG_POINTER
    jae .pointer
.int:
    call random                 ; one time in 8 anything at all
    test al, 7
    jz .done
    push ints_end
    push ints
    jmp .pick
.fd:
    push fds_end
    push fds
    jmp .pick
.signal:
    push signals_end
    push signals
    jmp .pick
.pid:
    push pids_end
    push pids
    jmp .pick
.uint:
    mov eax, [esp + 8]          ; a required value (a structure's size) half the time
    test eax, eax
    jz .int
    call random
    test al, 1
    jz .int
    mov eax, [esp + 8]
    jmp .done
.string:
    call random
    test al, 1
    jz .pointer
    push paths_end
    push paths
    jmp .pick
.pointer:
    call random
    test al, 7
    jz .done
    push pointers_end
    push pointers
.pick:
    call pick
    add esp, 8
.done:
    ret

; unsigned pick(const unsigned *from, const unsigned *end): a random element.
pick:
    call random
    mov ecx, [esp + 8]
    sub ecx, [esp + 4]
    shr ecx, 2
    xor edx, edx
    div ecx
    mov eax, [esp + 4]
    mov eax, [eax + edx * 4]
    ret

; unsigned random(void): the next value of the worker's xorshift32 stream.   clobbers ecx
random:
    mov eax, [rng]
    mov ecx, eax
    shl ecx, 13
    xor eax, ecx
    mov ecx, eax
    shr ecx, 17
    xor eax, ecx
    mov ecx, eax
    shl ecx, 5
    xor eax, ecx
    mov [rng], eax
    ret
