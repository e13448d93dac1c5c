import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../machine/clock.ts';

describe('virtual clock', () => {
  it('fires due events in time order, ties in scheduling order, and reports the next one', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.at(300, () => fired.push('c@' + clock.now()));
    clock.at(100, () => fired.push('a@' + clock.now()));
    clock.at(100, () => fired.push('b@' + clock.now()));
    clock.at(500, () => fired.push('late'));
    expect(clock.nextEventAt()).toBe(100);
    clock.advanceTo(400);
    expect(fired).toEqual(['a@100', 'b@100', 'c@300']);
    expect(clock.now()).toBe(400);
    expect(clock.nextEventAt()).toBe(500);
  });

  it('fires events scheduled by a callback within the same advance, and skips cancelled ones', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const cancelled = clock.at(150, () => fired.push(-1));
    clock.at(100, () => {
      fired.push(clock.now());
      clock.at(120, () => fired.push(clock.now()));
    });
    cancelled.cancel();
    clock.advanceTo(200);
    expect(fired).toEqual([100, 120]);
    expect(clock.nextEventAt()).toBe(Infinity);
  });

  it('runs an event scheduled in the past at the current time, and never goes backwards', () => {
    const clock = new VirtualClock();
    clock.advanceTo(1000);
    let at = -1;
    clock.at(10, () => (at = clock.now()));
    expect(clock.nextEventAt()).toBe(1000);
    clock.advanceTo(500);
    expect(at).toBe(1000);
    expect(clock.now()).toBe(1000);
  });

  it('follows a time source lazily without passing the next event', () => {
    const clock = new VirtualClock();
    let source = 0;
    clock.setTimeSource(() => source);
    clock.at(1000, () => {});
    source = 400;
    expect(clock.now()).toBe(400);
    source = 5000;
    expect(clock.now()).toBe(1000);
    clock.advanceTo(5000);
    expect(clock.now()).toBe(5000);
  });

  it('rejects a non-finite event time with a clear error', () => {
    expect(() => new VirtualClock().at(NaN, () => {})).toThrow(/cannot schedule/);
  });
});
