import { beijingDate, now, SimulatedClock, systemClock, toBeijingIso, useClock } from '@shared/domain/clock';

describe('Beijing time', () => {
  test('toBeijingIso shows the instant at +08:00 with milliseconds', () => {
    expect(toBeijingIso(new Date('2023-09-25T15:59:59.999Z'))).toBe('2023-09-25T23:59:59.999+08:00');
    expect(toBeijingIso(new Date('2023-09-25T16:00:00.000Z'))).toBe('2023-09-26T00:00:00.000+08:00');
    expect(toBeijingIso(new Date('2024-02-28T20:00:00Z'))).toBe('2024-02-29T04:00:00.000+08:00'); // leap day
    expect(toBeijingIso(new Date('2023-12-31T17:30:00Z'))).toBe('2024-01-01T01:30:00.000+08:00'); // new year
  });

  test('toBeijingIso round-trips: the string parses back to the same instant', () => {
    for (const iso of ['2023-09-25T15:59:59.999Z', '2023-01-01T00:00:00.000Z', '2030-06-15T12:34:56.789Z']) {
      const instant = new Date(iso);
      expect(new Date(toBeijingIso(instant)).getTime()).toBe(instant.getTime());
    }
  });

  test('beijingDate turns over at 16:00 UTC, not at UTC midnight', () => {
    expect(beijingDate(new Date('2023-09-25T15:59:59.999Z'))).toBe('2023-09-25');
    expect(beijingDate(new Date('2023-09-25T16:00:00.000Z'))).toBe('2023-09-26');
    // UTC midnight is already 08:00 in Beijing, the same Beijing day as the hours before it
    expect(beijingDate(new Date('2023-09-25T23:59:59.999Z'))).toBe('2023-09-26');
    expect(beijingDate(new Date('2023-09-26T00:00:00.000Z'))).toBe('2023-09-26');
    expect(beijingDate(new Date('2023-09-25T00:00:00.000+08:00'))).toBe('2023-09-25');
  });
});

describe('SimulatedClock', () => {
  afterEach(() => {
    jest.useRealTimers();
    useClock(systemClock);
  });

  test('starts at the chosen instant and runs forward in real time', () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const clock = new SimulatedClock(new Date('2023-09-01T09:00:00+08:00'));
    expect(clock.now().toISOString()).toBe('2023-09-01T01:00:00.000Z');
    expect(clock.frozen).toBe(false);
    jest.advanceTimersByTime(90_000);
    expect(clock.now().toISOString()).toBe('2023-09-01T01:01:30.000Z');
  });

  test('set jumps the clock; frozen stays on its instant until set again', () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const clock = new SimulatedClock(new Date('2023-09-01T09:00:00+08:00'));
    const lastSecond = new Date('2023-09-25T23:59:59.999+08:00');
    clock.set(lastSecond, { frozen: true });
    expect(clock.frozen).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(clock.now().getTime()).toBe(lastSecond.getTime());

    // Setting without frozen unfreezes and runs on from the new instant.
    clock.set(new Date('2023-09-26T00:00:00+08:00'));
    expect(clock.frozen).toBe(false);
    jest.advanceTimersByTime(1_000);
    expect(toBeijingIso(clock.now())).toBe('2023-09-26T00:00:01.000+08:00');
  });

  test('now() returns a fresh Date, so a caller cannot move a frozen clock by mutating it', () => {
    const clock = new SimulatedClock(new Date('2023-09-01T00:00:00Z'));
    clock.set(new Date('2023-09-10T00:00:00Z'), { frozen: true });
    clock.now().setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2023-09-10T00:00:00.000Z');
  });

  test('useClock makes now() read the simulated clock, and systemClock gives it back', () => {
    const clock = new SimulatedClock(new Date('2023-09-01T00:00:00Z'));
    clock.set(new Date('2023-09-20T12:00:00Z'), { frozen: true });
    useClock(clock);
    expect(now().toISOString()).toBe('2023-09-20T12:00:00.000Z');
    useClock(systemClock);
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
