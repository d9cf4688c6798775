import { eventually, type Api, type ApiAnswer } from './local';

/**
 * Call-level jobs over HTTP (the round, the award proposal, the award's decisions, the reporting
 * round): each POST answers 202 with its job, and the sweep carries the rest. Tests drive the sweep
 * through the clock endpoint (setting the clock runs it), so a job moves on when a test waits on it.
 */

/** A job as `GET /jobs/{jobId}` answers it. */
export interface Job {
  jobId: string;
  kind: string;
  callId: string;
  state: 'RUNNING' | 'DONE' | 'FAILED';
  done: number;
  total: number;
  errors: { item?: string; message: string }[];
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  result?: Record<string, any>;
}

/** Runs the deadline sweep once, leaving the clock where it is (running or frozen). */
export async function runSweep(api: Api): Promise<void> {
  const clock = (await api.request('GET', '/_local/clock')).body;
  await api.setClock(clock.utc, clock.frozen === true);
}

/**
 * Runs the sweep until the job is no longer RUNNING (its states seen on the way), and answers it.
 * The wait is generous: on a loaded 2-CPU runner a sweep run takes seconds, and a job's end is what
 * is asserted, not its speed (`npm run bench:call` measures that).
 */
export async function jobEnded(
  api: Api,
  staff: string,
  jobId: string,
  timeoutMs = 150_000,
  seen: Job[] = [],
): Promise<Job> {
  return eventually(
    async () => {
      const read = await api.request<Job>('GET', `/jobs/${jobId}`, { token: staff });
      if (read.status !== 200) throw new Error(`GET /jobs/${jobId}: ${read.status} ${JSON.stringify(read.body)}`);
      seen.push(read.body);
      if (read.body.state !== 'RUNNING') return read.body;
      await runSweep(api);
      return undefined;
    },
    timeoutMs,
    `job ${jobId} to end`,
  );
}

/** Checks a POST's 202 with its job and its Location, and answers the job. */
export function accepted(answer: ApiAnswer<any>, what: string): Job {
  if (answer.status !== 202) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const job = answer.body as Job;
  if (answer.headers.get('location') !== `/jobs/${job.jobId}`)
    throw new Error(`${what}: Location ${answer.headers.get('location')} for job ${job.jobId}`);
  return job;
}

/**
 * Asks for the award proposal (202, its job), waits for the job to be DONE, and answers the proposal
 * as `GET /calls/{callId}/award-proposal` reads it (the ranked table the POST answered before jobs).
 */
export async function proposeAward(api: Api, staff: string, callId = 'gdast-2024'): Promise<ApiAnswer<any>> {
  const job = accepted(await api.request('POST', `/calls/${callId}/award-proposal`, { token: staff }), 'the proposal');
  const ended = await jobEnded(api, staff, job.jobId);
  if (ended.state !== 'DONE') throw new Error(`the proposal job: ${JSON.stringify(ended)}`);
  return api.request('GET', `/calls/${callId}/award-proposal`, { token: staff });
}
