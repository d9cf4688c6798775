/**
 * The award proposal at a national funder's size, against DynamoDB Local: N scored applications of
 * the 2025 sample call are stored as the scoring step leaves them (status SCORED in the status index,
 * with the compact rank input kept when they were scored), then the proposal runs as a job, as
 * `POST /calls/{callId}/award-proposal` starts it (its checks, answered 202) and the sweep carries
 * it: each part reads the N rank inputs over the 16 status shards, ranks them and writes pages of
 * 200 for its time; the last opens the department head's link and emails it. The request must fit
 * the API's 29 s; the job is timed from the request to its end, with its progress on stderr.
 *
 *   npx tsx test/bench/proposal.ts [N]     a stack of its own (default N = 300,000)
 */
import { prioritiesMetOn } from '@shared/domain/award-ranking';
import { getCall, getProjectType } from '@shared/domain/catalogue';
import type { RankInput } from '@shared/domain/application-record';
import { applicationKey, applicationStatusIndex } from '@shared/adapters/dynamodb/keys';
import type { JobView } from '@shared/domain/jobs';
import { listDueTasks } from '@shared/adapters/dynamodb/task-items';
import { readLatestProposal, requestAwardProposal } from '@shared/use-cases/award';
import { runCallBatch } from '@shared/use-cases/call-jobs';
import { jobViewOf } from '@shared/use-cases/jobs';
import { rankingInput } from './ranking';
import { runOnOwnStack, writeItems } from './own-stack';
import { round } from './stats';

export const PROPOSAL_CALL = 'gdast-2025';

export interface ProposalFigures {
  applications: number;
  /** storing them (BatchWriteItem, 25 a request, 16 at a time): not part of the proposal */
  seedMs: number;
  /** the request alone: its checks, the job stored, its first part queued (answers 202) */
  requestMs: number;
  /** from the request to the job's end (DONE), its parts run one after another as the sweep runs them */
  proposeMs: number;
  /** how many parts (batches) the job took, and its progress at the end and as it went */
  parts: number;
  done: number;
  total: number;
  progress: string[];
  /** the JavaScript heap's peak during the proposal above where it began, MB (sampled every 20 ms; the Lambda has 512 MB) */
  heapMb: number;
  awarded: number;
  pages: number;
  /** the size of the answer as JSON, MB (a Lambda answers at most 6 MB) */
  answerMb: number;
}

/** Stores `n` scored applications of the 2025 call as the scoring step leaves them; answers the ms it took. */
async function seedScored(endpoint: string, table: string, n: number): Promise<number> {
  const call = getCall(PROPOSAL_CALL);
  if (!call) throw new Error(`${PROPOSAL_CALL} is not in seeds/`);
  const items = rankingInput(n, 2025).map((c) => {
    const type = getProjectType(call, c.projectTypeId);
    const id = `bench-p-${c.applicationId}`;
    const rankInput: RankInput = {
      unitName: `学会 ${c.unitId}`,
      title: c.title,
      submittedAt: c.submittedAt,
      requestedCny: c.requestedCny,
      prioritiesMet: type && c.form ? prioritiesMetOn(type, c.form) : [],
      totals: c.totals,
    };
    return {
      ...applicationKey(id),
      ...applicationStatusIndex('SCORED', PROPOSAL_CALL, c.submittedAt, id),
      applicationId: id,
      callId: PROPOSAL_CALL,
      unitId: c.unitId,
      projectTypeId: c.projectTypeId,
      status: 'SCORED',
      createdAt: c.submittedAt,
      rankInput,
    };
  });
  return writeItems(endpoint, table, items);
}

const STAFF = { kind: 'staff', subject: 'bench@gdast.local', admin: false, email: 'bench@gdast.local' } as const;

/**
 * Works the proposal job as the sweep does (runCallBatch on each of its due parts) until it ends;
 * `onProgress` hears the job every 2 s.
 */
async function workProposalJob(jobId: string, at: Date, onProgress: (job: JobView) => void): Promise<number> {
  let parts = 0;
  const poll = setInterval(() => void jobViewOf(jobId).then((job) => job && onProgress(job)), 2000);
  try {
    for (;;) {
      const job = await jobViewOf(jobId);
      if (!job || job.state !== 'RUNNING') return parts;
      const due = (await listDueTasks(at)).filter(
        (t) => t.batch?.job === 'propose' && (t.batch.items[0] as { jobId?: string }).jobId === jobId,
      );
      if (!due.length) throw new Error(`the proposal job ${jobId} runs with no part left to run`);
      for (const task of due) {
        await runCallBatch(task, at);
        parts++;
      }
    }
  } finally {
    clearInterval(poll);
  }
}

/**
 * Seeds `n` scored applications, then times one award proposal over them as a job (in-process, on the
 * running stack): the request (`POST /calls/{callId}/award-proposal`'s use case, answering 202), then
 * its parts run as the sweep runs them, then the proposal read back as `GET` answers it.
 */
export async function proposalFigures(endpoint: string, table: string, n: number): Promise<ProposalFigures> {
  const seedMs = await seedScored(endpoint, table, n);
  const call = getCall(PROPOSAL_CALL);
  const at = new Date(Date.parse(call?.review.deadline ?? '') + 60_000);
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const began = performance.now();
  const progress: string[] = [];
  const { job } = await requestAwardProposal(PROPOSAL_CALL, STAFF, at);
  const requestMs = performance.now() - began;
  let last = '';
  const parts = await workProposalJob(job.jobId, at, (seen) => {
    // Each change of progress once, with when it was seen.
    if (`${seen.state} ${seen.done}/${seen.total}` === last) return;
    last = `${seen.state} ${seen.done}/${seen.total}`;
    const line = `${round((performance.now() - began) / 1000, 0)} s ${last}`;
    progress.push(line);
    process.stderr.write(`   proposal job: ${line}\n`);
  }).finally(() => clearInterval(sampler));
  const proposeMs = performance.now() - began;
  const ended = await jobViewOf(job.jobId);
  if (ended?.state !== 'DONE') throw new Error(`the proposal job ended ${JSON.stringify(ended)}`);
  const proposal = await readLatestProposal(PROPOSAL_CALL, STAFF);
  const heapMb = (Math.max(heapPeak, process.memoryUsage().heapUsed) - heapBefore) / 2 ** 20;
  return {
    applications: n,
    seedMs: round(seedMs, 0),
    requestMs: round(requestMs, 0),
    proposeMs: round(proposeMs, 0),
    parts,
    done: ended.done,
    total: ended.total,
    progress,
    heapMb: round(heapMb, 0),
    awarded: Number(ended.result?.awarded ?? 0),
    pages: Math.ceil(n / 200),
    answerMb: round(JSON.stringify(proposal).length / 2 ** 20, 1),
  };
}

if (require.main === module) void runOnOwnStack(proposalFigures, 300_000);
