/**
 * Every deadline decision asks this clock, never `new Date()` directly, so local mode and tests can
 * stand at any instant of the call (the boundary second of a deadline, a week later) and the same
 * code runs on AWS against real time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

export function now(): Date {
  return current.now();
}

export function useClock(clock: Clock): void {
  current = clock;
}

/**
 * A clock that starts at a chosen instant and then runs forward in real time; `set` jumps it. A
 * frozen clock stays on its instant, so a test can stand on the last second of a deadline however
 * slow the machine is.
 */
/** Where a simulated clock stands, to keep it across restarts (local mode writes it to .local/). */
export interface ClockState {
  offsetMs: number;
  frozenAt?: number;
}

export class SimulatedClock implements Clock {
  private offsetMs: number;
  private frozenAt: number | undefined;

  /** `onSet` hears every move (local mode persists it). */
  constructor(
    start: Date,
    private readonly onSet: (state: ClockState) => void = () => undefined,
  ) {
    this.offsetMs = start.getTime() - Date.now();
  }

  /** Picks up where a saved clock stood: the same offset from real time, or the same frozen instant. */
  restore(state: ClockState): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
  }

  get state(): ClockState {
    return { offsetMs: this.offsetMs, ...(this.frozenAt !== undefined ? { frozenAt: this.frozenAt } : {}) };
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  set(instant: Date, options: { frozen?: boolean } = {}): void {
    this.offsetMs = instant.getTime() - Date.now();
    this.frozenAt = options.frozen ? instant.getTime() : undefined;
    this.onSet(this.state);
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** ISO-8601 in Beijing time, e.g. 2023-09-25T23:59:59.999+08:00: how every date is shown to users. */
export function toBeijingIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString();
  return `${shifted.slice(0, -1)}+08:00`;
}

/** The calendar date (YYYY-MM-DD) in Beijing of an instant. */
export function beijingDate(instant: Date): string {
  return toBeijingIso(instant).slice(0, 10);
}
