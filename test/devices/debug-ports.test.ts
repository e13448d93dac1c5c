import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { DebugConsole } from '../../machine/devices/debug-console.ts';
import { DebugExit } from '../../machine/devices/debug-exit.ts';
import { PostCodes } from '../../machine/devices/post-codes.ts';

describe('debug ports', () => {
  it('sends bytes written to 0xE9 to the host and reads back 0xE9', () => {
    const bus = new IoBus();
    const out: number[] = [];
    bus.attach(new DebugConsole((b) => out.push(b)));
    for (const ch of 'hi\n') bus.write(0xe9, 1, ch.charCodeAt(0));
    expect(Buffer.from(out).toString()).toBe('hi\n');
    expect(bus.read(0xe9, 1)).toBe(0xe9);
  });

  it('records POST codes at 0x80 in order and reads back the last one', () => {
    const bus = new IoBus();
    const post = new PostCodes();
    bus.attach(post);
    for (const code of [0x01, 0x10, 0xaa]) bus.write(0x80, 1, code);
    expect(post.codes()).toEqual([0x01, 0x10, 0xaa]);
    expect(bus.read(0x80, 1)).toBe(0xaa);
    for (let i = 0; i < 5000; i++) bus.write(0x80, 1, i & 0xff);
    expect(post.count).toBe(5003);
    expect(post.codes()).toHaveLength(4096);
    expect(post.codes().at(-1)).toBe(4999 & 0xff);
  });

  it('requests exit with status (v << 1) | 1 on a write to 0xF4 of any width', () => {
    const bus = new IoBus();
    const statuses: number[] = [];
    bus.attach(new DebugExit((s) => statuses.push(s)));
    bus.write(0xf4, 1, 0x10);
    bus.write(0xf4, 4, 0);
    bus.write(0xf4, 2, 0x31);
    expect(statuses).toEqual([0x21, 1, 0x63]);
  });
});
