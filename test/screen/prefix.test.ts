import { describe, expect, it } from 'vitest';
import { KeyDecoder, keyEvent } from '../../tools/screen/input/keys.ts';
import { EscapePrefix, type PrefixResult } from '../../tools/screen/input/prefix.ts';

function run(input: string): string[] {
  const decoder = new KeyDecoder();
  const prefix = new EscapePrefix();
  return decoder.feed(input).map((key) => describeResult(prefix.feed(key)));
}

function describeResult(result: PrefixResult): string {
  switch (result.kind) {
    case 'key':
      return `${result.key.ctrl ? 'C-' : ''}${result.key.key}`;
    case 'command':
      return `<${result.command}>`;
    case 'unknown':
      return `<unknown ${result.key.key}>`;
    case 'prefix':
      return '<prefix>';
  }
}

describe('Ctrl-A prefix', () => {
  it('passes ordinary keys through', () => {
    expect(run('ls\r')).toEqual(['l', 's', 'Enter']);
  });

  it('turns Ctrl-A X, S and H into commands, with or without Shift or Ctrl', () => {
    expect(run('\x01x\x01s\x01h')).toEqual(['<prefix>', '<quit>', '<prefix>', '<screenshot>', '<prefix>', '<help>']);
    expect(run('\x01X\x01\x18\x01S\x01?')).toEqual(['<prefix>', '<quit>', '<prefix>', '<quit>', '<prefix>', '<screenshot>', '<prefix>', '<help>']);
  });

  it('sends a literal Ctrl-A for Ctrl-A Ctrl-A or Ctrl-A a, and then starts afresh', () => {
    expect(run('\x01\x01x')).toEqual(['<prefix>', 'C-a', 'x']);
    expect(run('\x01ax')).toEqual(['<prefix>', 'C-a', 'x']);
  });

  it('reports an unknown command and does not send its key to the guest', () => {
    expect(run('\x01zq')).toEqual(['<prefix>', '<unknown z>', 'q']);
  });

  it('waits across reads', () => {
    const prefix = new EscapePrefix();
    expect(prefix.feed(keyEvent('a', { ctrl: true }))).toEqual({ kind: 'prefix' });
    expect(prefix.waiting).toBe(true);
    expect(prefix.feed(keyEvent('x'))).toEqual({ kind: 'command', command: 'quit' });
    expect(prefix.waiting).toBe(false);
  });

  it('ignores Alt with the prefix letters', () => {
    expect(run('\x01\x1bx')).toEqual(['<prefix>', '<unknown x>']);
  });
});
