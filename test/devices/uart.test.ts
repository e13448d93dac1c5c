import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { VirtualClock } from '../../machine/clock.ts';
import { Uart16550 } from '../../machine/devices/uart16550.ts';

const COM1 = 0x3f8;
const [THR, IER, IIR, LCR, MCR, LSR, MSR, SCR] = [0, 1, 2, 3, 4, 5, 6, 7].map((r) => COM1 + r) as [
  number, number, number, number, number, number, number, number,
];

function setup() {
  const clock = new VirtualClock();
  const bus = new IoBus();
  const sent: number[] = [];
  const irq = { level: false };
  const uart = new Uart16550({
    clock,
    irq: { raise: () => (irq.level = true), lower: () => (irq.level = false) },
    sink: (b) => sent.push(b),
  });
  bus.attach(uart);
  const out = (port: number, value: number) => bus.write(port, 1, value);
  const inb = (port: number) => bus.read(port, 1);
  const later = (ns: number) => clock.advanceTo(clock.now() + ns);
  return { clock, bus, uart, sent, irq, out, inb, later };
}

describe('16550 UART', () => {
  it('programs the baud rate through the divisor latch and times characters by it', () => {
    const { uart, out, inb } = setup();
    out(LCR, 0x80);
    out(THR, 0x0c);
    out(IER, 0x00);
    expect([inb(THR), inb(IER)]).toEqual([0x0c, 0x00]);
    out(LCR, 0x03);
    // 9600 baud, 8N1: 10 bits of 104.17 us.
    expect(uart.characterNs()).toBe(1_041_667);
    out(LCR, 0x80);
    out(THR, 0x01);
    out(LCR, 0x1f);
    // 115200 baud, 8 data, even parity, 2 stop bits: 12 bits.
    expect(uart.characterNs()).toBe(104_167);
  });

  it('transmits at line speed: THRE at once, TEMT and the host byte one character later', () => {
    const { uart, sent, out, inb, later } = setup();
    out(THR, 0x41);
    expect(inb(LSR) & 0x60).toBe(0x20);
    later(uart.characterNs() - 1);
    expect(sent).toEqual([]);
    later(1);
    expect(sent).toEqual([0x41]);
    expect(inb(LSR) & 0x60).toBe(0x60);
  });

  it('queues 16 bytes in the transmit FIFO and drains them one per character time', () => {
    const { uart, sent, out, inb, later } = setup();
    out(IIR, 0x07);
    expect(inb(IIR) & 0xc0).toBe(0xc0);
    for (let i = 0; i < 17; i++) out(THR, 0x30 + i);
    expect(inb(LSR) & 0x20).toBe(0);
    later(16 * uart.characterNs());
    expect(sent).toEqual(Array.from({ length: 16 }, (_, i) => 0x30 + i));
    // The 17th byte found the FIFO full (one byte was in the shift register) and was lost.
    later(uart.characterNs());
    expect(sent).toHaveLength(17);
    expect(inb(LSR) & 0x60).toBe(0x60);
  });

  it('loops transmitted bytes back to the receiver and modem outputs to inputs in loopback mode', () => {
    const { sent, out, inb } = setup();
    // The usual kernel probe: loopback with OUT1/OUT2/RTS, write 0xAE, read it straight back.
    out(MCR, 0x1e);
    out(THR, 0xae);
    expect(inb(THR)).toBe(0xae);
    out(MCR, 0x1f);
    expect(inb(MSR) & 0xf0).toBe(0xf0);
    out(THR, 0x5a);
    expect(sent).toEqual([]);
    expect(inb(LSR) & 0x61).toBe(0x61);
    expect(inb(THR)).toBe(0x5a);
    expect(inb(LSR) & 0x01).toBe(0);
    out(MCR, 0x10);
    // DCTS, DDSR, DDCD set; RI went low: trailing edge.
    expect(inb(MSR)).toBe(0x0f);
    expect(inb(MSR)).toBe(0x00);
  });

  it('refuses host input that is not bytes, queuing none of it', () => {
    const { uart, inb, later } = setup();
    expect(() => uart.receive([0x41, 256])).toThrow(/cannot send 256 on the line/);
    later(5 * uart.characterNs());
    expect(inb(LSR) & 0x01).toBe(0);
  });

  it('keeps host input waiting while in loopback and delivers it afterwards', () => {
    const { uart, out, inb, later } = setup();
    out(MCR, 0x10);
    uart.receive([0x31]);
    later(10 * uart.characterNs());
    expect(inb(LSR) & 0x01).toBe(0);
    out(MCR, 0x0b);
    later(uart.characterNs());
    expect(inb(THR)).toBe(0x31);
  });

  it('receives host bytes at line rate and reports an overrun without FIFOs', () => {
    const { uart, out, inb, later } = setup();
    uart.receive([0x61, 0x62]);
    later(uart.characterNs());
    expect(inb(LSR) & 0x03).toBe(0x01);
    later(uart.characterNs());
    const lsr = inb(LSR);
    expect(lsr & 0x03).toBe(0x03);
    expect(inb(LSR) & 0x02).toBe(0);
    expect(inb(THR)).toBe(0x62);
    out(SCR, 0xa5);
    expect(inb(SCR)).toBe(0xa5);
  });

  it('raises received-data at the FIFO trigger level, and a timeout below it', () => {
    const { uart, out, inb, later } = setup();
    out(IIR, 0x47);
    out(IER, 0x01);
    uart.receive([1, 2, 3, 4, 5, 6]);
    later(3 * uart.characterNs());
    expect(inb(IIR)).toBe(0xc1);
    later(uart.characterNs());
    expect(inb(IIR)).toBe(0xc4);
    for (let i = 1; i <= 4; i++) expect(inb(THR)).toBe(i);
    later(2 * uart.characterNs());
    expect(inb(IIR)).toBe(0xc1);
    later(4 * uart.characterNs());
    expect(inb(IIR)).toBe(0xcc);
    expect([inb(THR), inb(THR)]).toEqual([5, 6]);
    expect(inb(IIR)).toBe(0xc1);
  });

  it('interrupts for more output when the transmit FIFO empties, as interrupt-driven drivers expect', () => {
    const { uart, irq, sent, out, inb, later } = setup();
    out(IIR, 0x07);
    out(MCR, 0x08);
    out(IER, 0x02);
    expect(irq.level).toBe(true);
    // The driver fills the FIFO; writing THR withdraws the request.
    for (let i = 0; i < 16; i++) out(THR, 0x61 + i);
    expect(irq.level).toBe(false);
    // The first byte went straight to the shift register; the FIFO empties after 15 more characters.
    later(15 * uart.characterNs() - 1);
    expect(irq.level).toBe(false);
    later(1);
    expect(irq.level).toBe(true);
    expect(inb(IIR)).toBe(0xc2);
    expect(irq.level).toBe(false);
    expect(inb(LSR) & 0x60).toBe(0x20);
    later(uart.characterNs());
    expect(sent).toHaveLength(16);
    expect(inb(LSR) & 0x60).toBe(0x60);
  });

  it('orders IIR by priority and drives IRQ4 only with OUT2 set', () => {
    const { uart, irq, out, inb, later } = setup();
    out(IER, 0x0f);
    // THR is empty: enabling its interrupt raises it at once.
    expect(inb(IIR)).toBe(0x02);
    expect(irq.level).toBe(false);
    // Reading IIR acknowledged it.
    expect(inb(IIR)).toBe(0x01);
    out(MCR, 0x0b);
    // Raising DTR/RTS does not change CTS/DSR from the host, so no modem status interrupt.
    expect(inb(IIR)).toBe(0x01);
    uart.receive([1]);
    later(uart.characterNs());
    expect(irq.level).toBe(true);
    out(THR, 0x20);
    later(uart.characterNs());
    // Data available outranks THR empty; an overrun outranks both.
    expect(inb(IIR)).toBe(0x04);
    uart.receive([2]);
    later(uart.characterNs());
    expect(inb(IIR)).toBe(0x06);
    inb(LSR);
    expect(inb(IIR)).toBe(0x04);
    inb(THR);
    expect(inb(IIR)).toBe(0x02);
    expect(inb(IIR)).toBe(0x01);
    expect(irq.level).toBe(false);
  });
});
