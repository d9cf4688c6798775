import {
  ASSUMED_SES_RATE_PER_SECOND,
  burstMinutes,
  emailsPerSecondPerShard,
  parseShardSweep,
  REMINDER_LEASE_MS,
  SWEEP_WORKER_BUDGET_MS,
  SWEEP_WORKER_TIMEOUT_SECONDS,
  sweepPlan,
  workerBudgetMs,
} from '@shared/domain/sweep-plan';
import { withSendRate, awaitSendSlot, isSendThrottled } from '@shared/adapters/send-rate';

const at = new Date('2023-09-25T16:01:00.000Z');

describe('the fan-out plan', () => {
  test('a burst on every shard: one worker per shard, every one judging by the run’s instant', () => {
    const plan = sweepPlan([...Array(16).keys()], at);
    expect(plan.map((work) => work.shard)).toEqual([...Array(16).keys()]);
    expect(new Set(plan.map((work) => work.at))).toEqual(new Set([at.toISOString()]));
  });

  test('only the shards with something due get a worker, each one once; a quiet minute starts none', () => {
    expect(sweepPlan([9, 2, 9], at)).toEqual([
      { shard: 2, at: at.toISOString() },
      { shard: 9, at: at.toISOString() },
    ]);
    expect(sweepPlan([], at)).toEqual([]);
  });

  test('a worker stops taking tasks inside a minute, and its timeout leaves room for what it started', () => {
    expect(SWEEP_WORKER_BUDGET_MS).toBeLessThan(60_000);
    // The longest thing it may have started last: a part of the award proposal (35 s).
    expect(SWEEP_WORKER_BUDGET_MS + 35_000).toBeLessThan(SWEEP_WORKER_TIMEOUT_SECONDS * 1000);
    expect(workerBudgetMs(undefined)).toBe(SWEEP_WORKER_BUDGET_MS);
    expect(workerBudgetMs(SWEEP_WORKER_TIMEOUT_SECONDS * 1000)).toBe(SWEEP_WORKER_BUDGET_MS);
    // Started late (Lambda queued it): only what leaves time for the tasks in flight.
    expect(workerBudgetMs(60_000)).toBe(20_000);
    expect(workerBudgetMs(30_000)).toBe(0);
  });

  test('a reminder’s lease outlasts any worker, so a leased task is never due again while its worker may still send', () => {
    expect(REMINDER_LEASE_MS).toBeGreaterThan(SWEEP_WORKER_TIMEOUT_SECONDS * 1000);
  });

  test('the workers together stay under the assumed SES quota, with room left for the workflows’ own emails', () => {
    const perShard = emailsPerSecondPerShard(16);
    expect(perShard).toBe(31.87);
    expect(perShard * 16).toBeLessThan(ASSUMED_SES_RATE_PER_SECOND);
    expect(perShard * 16).toBeGreaterThan(ASSUMED_SES_RATE_PER_SECOND * 0.8);
  });

  test('a burst of 300,000 reminders is sent within 15 minutes at the assumed rate; at 14/s it could not be', () => {
    expect(burstMinutes(300_000, 16)).toBeLessThanOrEqual(15);
    expect(burstMinutes(300_000, 16)).toBe(14);
    expect(burstMinutes(30_000, 16)).toBe(2);
    expect(burstMinutes(300_000, 16, 14)).toBeGreaterThan(300);
    // SES's first quota, shared: each worker sends under one a second, the 16 together under 14/s.
    expect(emailsPerSecondPerShard(16, 14)).toBe(0.74);
    expect(emailsPerSecondPerShard(16, 14) * 16).toBeLessThan(14);
  });

  test('a worker’s event is checked: a shard of the index and an instant', () => {
    expect(parseShardSweep({ shard: 3, at: at.toISOString() }, 16)).toEqual({ shard: 3, at: at.toISOString() });
    for (const event of [
      {},
      { shard: 16, at: at.toISOString() },
      { shard: 1.5, at: '' },
      { shard: 2, at: 'soon' },
      null,
    ])
      expect(() => parseShardSweep(event, 16)).toThrow(/sweep worker needs/);
  });
});

describe('the pace of sends', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Six sends at 50 a second (a slot every 20 ms); answers whether it has finished. */
  const sixSends = () => {
    const state = { done: false };
    void withSendRate(50, async () => {
      for (let i = 0; i < 6; i++) await awaitSendSlot();
    }).then(() => (state.done = true));
    return state;
  };

  test('sends inside withSendRate are spaced by the rate; outside it they are not held', async () => {
    const paced = sixSends();
    await jest.advanceTimersByTimeAsync(90);
    expect(paced.done).toBe(false);
    await jest.advanceTimersByTimeAsync(10); // the sixth slot, at 100 ms
    expect(paced.done).toBe(true);
    const free = Promise.all(Array.from({ length: 6 }, () => awaitSendSlot()));
    await expect(free).resolves.toBeDefined();
  });

  test('two paces (two workers in one process, as local mode runs them) do not slow each other', async () => {
    const first = sixSends();
    const second = sixSends();
    // One shared pace would need 220 ms for the twelve.
    await jest.advanceTimersByTimeAsync(100);
    expect([first.done, second.done]).toEqual([true, true]);
  });

  test('SES’s refusals for its rate or its daily quota are told apart from other faults', () => {
    expect(isSendThrottled(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }))).toBe(
      true,
    );
    expect(isSendThrottled(Object.assign(new Error('x'), { name: 'TooManyRequestsException' }))).toBe(true);
    expect(isSendThrottled(Object.assign(new Error('Daily message quota exceeded.'), { name: 'Throttling' }))).toBe(
      true,
    );
    expect(
      isSendThrottled(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' })),
    ).toBe(false);
  });
});
