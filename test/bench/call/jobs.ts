/**
 * A call-level request (the round, the proposal, the confirmation's decisions), as it answers today
 * (201 or 200 with its result, the rest finished by the sweep) or as a job (202
 * `{jobId, state, done, total, …}` with `Location: /jobs/{jobId}`, then `GET /jobs/{jobId}` until
 * `state` is DONE or FAILED). The driver accepts both, so it runs before and after that change.
 */
import type { Api, ApiAnswer } from './support';

export interface JobFigure {
  jobId: string;
  state: string;
  done?: number;
  total?: number;
  polls: number;
  body: unknown;
}

export interface CallLevelAnswer {
  /** the first answer (201/200 with the result, or 202 with the job) */
  answer: ApiAnswer;
  /** the job, followed to its end, when the answer was one */
  job?: JobFigure;
  /** gateway errors answered before it (the request ran past the API's time): each retried as staff would */
  failures: { status: number; code?: string; afterMs: number }[];
}

/** What a request that outlived the API's 29 s answers (locally 502 from the handler's timeout). */
const GATEWAY_FAILURES = new Set([502, 503, 504]);
const RETRIES = 5;
const RETRY_AFTER_MS = 10_000;
/** How often a job is read (the API asks for every few seconds; a job moves on at each sweep, every 5 s locally). */
const POLL_EVERY_MS = 1_000;
/** Gateway errors a job's reads may meet before the driver gives up on it. */
const MAX_POLL_ERRORS = 30;

/** An answer that may be a job: an API answer, or a task link's (which has no headers). */
type JobAnswer = { status: number; body: any; headers?: Headers };

/** Where the job is read: `Location` (absolute or not), else /jobs/{jobId}. */
function jobRoute(api: Api, answer: JobAnswer): string | undefined {
  const jobId = answer.body?.jobId as string | undefined;
  const location = answer.headers?.get('location');
  if (location) {
    const url = new URL(location, api.base);
    return `${url.pathname}${url.search}`;
  }
  return jobId ? `/jobs/${encodeURIComponent(jobId)}` : undefined;
}

/** Is this answer a job (202, or a body naming one)? */
export const isJob = (answer: { status: number; body: any }) =>
  answer.status === 202 || typeof answer.body?.jobId === 'string';

/** One read of a job; a connection that fails (the process too busy to answer) reads as a 504. */
async function readJob(api: Api, route: string, token: string): Promise<{ status: number; body: any }> {
  try {
    return await api.request('GET', route, { token, headers: { accept: 'application/json' } });
  } catch (error) {
    return { status: 504, body: { error: { code: 'FETCH_FAILED', message: String(error) } } };
  }
}

/** Polls a job until DONE or FAILED; FAILED throws with what the job said. */
export async function followJob(
  api: Api,
  token: string,
  answer: JobAnswer,
  progress: (message: string) => void,
  timeoutMs: number,
  pollEveryMs = POLL_EVERY_MS,
): Promise<JobFigure> {
  const route = jobRoute(api, answer);
  if (!route) throw new Error(`a job answer without a jobId or Location: ${JSON.stringify(answer.body)}`);
  const giveUpAt = Date.now() + timeoutMs;
  let lastDone = -1;
  let gatewayErrors = 0;
  for (let polls = 1; ; polls++) {
    const read = await readJob(api, route, token);
    // A read cut at the API's time (the process busy with the job's own batches): staff read it again.
    if (GATEWAY_FAILURES.has(read.status) && ++gatewayErrors <= MAX_POLL_ERRORS) {
      await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
      continue;
    }
    if (read.status !== 200) throw new Error(`GET ${route}: ${read.status} ${JSON.stringify(read.body)}`);
    const job = read.body;
    if (job.done !== lastDone) progress(`   job ${job.state} ${job.done ?? '?'}/${job.total ?? '?'}`);
    lastDone = job.done;
    if (job.state === 'FAILED') throw new Error(`job FAILED: ${JSON.stringify(job).slice(0, 2000)}`);
    if (job.state === 'DONE')
      return { jobId: job.jobId, state: job.state, done: job.done, total: job.total, polls, body: job };
    if (Date.now() > giveUpAt) throw new Error(`the job at ${route} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
}

/**
 * POSTs a call-level request as staff and, when it answers with a job, follows the job to its end.
 * `accepted` are the statuses the old answer may have (the job's 202 is always accepted).
 */
export async function callLevel(
  api: Api,
  token: string,
  route: string,
  accepted: number[],
  progress: (message: string) => void,
  timeoutMs: number,
  { retryAfterMs = RETRY_AFTER_MS, pollEveryMs = POLL_EVERY_MS } = {},
): Promise<CallLevelAnswer> {
  const failures: CallLevelAnswer['failures'] = [];
  const startedAt = Date.now();
  let answer = await api.request('POST', route, { token });
  // A request cut at the API's time may have started its work: staff ask again, which answers what it started.
  while (GATEWAY_FAILURES.has(answer.status) && failures.length < RETRIES) {
    failures.push({ status: answer.status, code: answer.body?.error?.code, afterMs: Date.now() - startedAt });
    progress(`   POST ${route}: ${answer.status}; again in ${retryAfterMs / 1000} s, as staff would`);
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    answer = await api.request('POST', route, { token });
  }
  if (isJob(answer))
    return { answer, failures, job: await followJob(api, token, answer, progress, timeoutMs, pollEveryMs) };
  if (!accepted.includes(answer.status))
    throw new Error(`POST ${route}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 2000)}`);
  return { answer, failures };
}
