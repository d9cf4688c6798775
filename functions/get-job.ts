import { readJob } from '@shared/use-cases/jobs';
import { httpHandler } from './lib/http';

/** `GET /jobs/{jobId}` (staff): a call-level job's state and progress (done of total, errors). */
export const handler = httpHandler(async ({ caller, path }) => ({ body: await readJob(path.jobId ?? '', caller) }));
