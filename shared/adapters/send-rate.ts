import { AsyncLocalStorage } from 'node:async_hooks';
import { readEnv } from '@shared/adapters/env';

/** The account's SES quota, emails a second (the deployment's `sesSendRate`). */
export const sesSendRate = (): number => Number(readEnv(['SES_SEND_RATE']).SES_SEND_RATE);

/**
 * A pace of SES sends for one piece of work (a sweep worker): each send waits for its slot, spaced
 * evenly. Scoped with AsyncLocalStorage rather than held by the process, because locally all of a
 * sweep's workers share one process and each keeps its own shard's pace, as each Lambda does on AWS.
 */
class SendPace {
  private nextAt = 0;

  constructor(private readonly gapMs: number) {}

  async take(): Promise<void> {
    const slot = Math.max(Date.now(), this.nextAt);
    this.nextAt = slot + this.gapMs;
    const wait = slot - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** SES said we are too fast: no send for a while, whatever the pace allows. */
  holdOff(ms: number): void {
    this.nextAt = Math.max(this.nextAt, Date.now() + ms);
  }
}

const pace = new AsyncLocalStorage<SendPace>();

/** Runs `work` sending at most `perSecond` emails a second (every send inside it, however deep). */
export function withSendRate<T>(perSecond: number, work: () => Promise<T>): Promise<T> {
  return pace.run(new SendPace(1000 / Math.max(perSecond, 0.001)), work);
}

/** Waits for the next send's slot; outside withSendRate, at once. */
export async function awaitSendSlot(): Promise<void> {
  await pace.getStore()?.take();
}

/** How long a pace holds off after SES throttled a send. */
const THROTTLED_HOLD_OFF_MS = 1000;

/** After SES refused a send for its rate: the pace holds off. */
export function slowDownSending(): void {
  pace.getStore()?.holdOff(THROTTLED_HOLD_OFF_MS);
}

/** SES's answers to a sender over its quota (per second, or per day), in SES v1 and v2. */
export const isSendThrottled = (error: unknown): boolean => {
  const { name = '', message = '' } = (error ?? {}) as { name?: string; message?: string };
  return (
    ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceededException'].includes(name) ||
    /maximum sending rate|daily message quota/i.test(message)
  );
};
