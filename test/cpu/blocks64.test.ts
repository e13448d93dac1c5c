// 64-bit blocks keep the run loop's promises: a budget ending inside a block, a fault inside a
// block, a store into the block being run, an interrupt at the boundary a budget left, and
// transfers that leave RIP's 4 GiB (the loop must not run on with the old fetch window).
import { describe, expect, it } from 'vitest';
import { bare64, CODE, HIGH_ALIAS } from './harness64.ts';

describe('64-bit blocks', () => {
  it('a budget that ends inside a block stops after exactly that many instructions', () => {
    const t = bare64('inc rax\ninc rax\ninc rax\ninc rax\ninc rax\ninc rax\nhlt');
    t.setR64(0, 0n);
    const start = t.cpu.instructions;
    expect(t.run(4)).toBe('budget');
    expect(t.cpu.instructions - start).toBe(4);
    expect(t.rip()).toBe(BigInt(CODE + 4 * 3));
    expect(t.r64(0)).toBe(4n);
    expect(t.run(1)).toBe('budget');
    expect(t.r64(0)).toBe(5n);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.instructions - start).toBe(7);
  });

  it('a fault inside a block reports the faulting instruction and the count of those before it', () => {
    // rbx is not canonical: the load is #GP(0), with RIP at the load in the frame.
    const t = bare64(`
      mov edx, 9
      mov eax, 1
      mov rbx, 0x0000800000000000
      add eax, 2
    load:
      mov rcx, [rbx]
      mov edx, 3
      hlt`);
    const start = t.cpu.instructions;
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(13);
    // Four instructions, then the #GP stub's hlt.
    expect(t.cpu.instructions - start).toBe(5);
    expect(t.r64(0)).toBe(3n);
    expect(t.r64(2)).toBe(9n);
    // The frame: error code, then RIP of the load (5 + 5 + 10 + 3 bytes in).
    const rsp = t.cpu.regs[4]! >>> 0;
    expect(t.read64(rsp)).toBe(0n);
    expect(t.read64(rsp + 8)).toBe(BigInt(CODE + 23));
  });

  it('a store to a later instruction of the block being run is seen when that instruction is reached', () => {
    const t = bare64(`
      mov ecx, 3
      mov edx, 7
    again:
      mov [rel target + 1], dl
      add esi, 1
    target:
      mov eax, 1
      add edi, eax
      inc edx
      dec ecx
      jnz again
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(7)).toBe(BigInt(7 + 8 + 9));
  });

  it('an interrupt raised between runs lands at the instruction boundary the budget left', () => {
    const t = bare64('sti\ninc rax\ninc rax\ninc rax\ninc rax\nhlt');
    t.setR64(0, 0n);
    expect(t.run(3)).toBe('budget');
    t.irq.queue.push(0x20);
    t.cpu.pollInterrupts();
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x20);
    expect(t.r64(0)).toBe(2n);
    // The interrupt frame's RIP: after sti and two inc rax.
    expect(t.read64(t.cpu.regs[4]! >>> 0)).toBe(BigInt(CODE + 1 + 2 * 3));
  });

  it('calls into the top 4 GiB and returns from there: RIP changes its high half inside a run', () => {
    // The top 1 GiB of the address space maps physical 0, so the code is also at HIGH_ALIAS + CODE
    // (and `high` at HIGH_ALIAS + high): the ret comes back to the low half.
    const t = bare64(`
      mov rax, ${HIGH_ALIAS} + high
      call rax
      inc rbx
      hlt
    high:
      inc rbx
      inc rbx
      ret`);
    t.setR64(3, 0n);
    expect(t.run()).toBe('hlt');
    expect(t.r64(3)).toBe(3n);
    expect(t.cpu.ripHi).toBe(0);
    expect(t.vector()).toBe(-1);
  });

  it('runs a loop of the common forms to the same state as the table handlers stepped one by one', () => {
    const source = `
      mov ecx, 200
      mov rsi, 0x20000
      xor eax, eax
    again:
      lea rdx, [rcx*8 + 3]
      add rax, rdx
      rol rax, 5
      xor [rsi + rcx*4], eax
      movzx edx, byte [rsi + rcx]
      sub rax, rdx
      push rax
      pop rdi
      dec ecx
      jnz again
      hlt`;
    const blocks = bare64(source);
    const steps = bare64(source);
    expect(blocks.run()).toBe('hlt');
    // step() runs each instruction through the opcode table's handler, outside any block.
    while (!steps.cpu.halted) steps.cpu.step();
    for (let n = 0; n < 16; n++) expect(blocks.r64(n)).toBe(steps.r64(n));
    expect(blocks.cpu.getEflags()).toBe(steps.cpu.getEflags());
    expect(blocks.mem.readBytes(0x20000, 0x1000)).toEqual(steps.mem.readBytes(0x20000, 0x1000));
  });
});
