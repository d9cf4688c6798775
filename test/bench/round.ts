/**
 * The review round's plan at a national funder's size, against DynamoDB Local: N applications of the
 * 2025 sample call are stored as the target review leaves them (READY_FOR_EXPERT_REVIEW in the status
 * index, with the review candidate kept when they became ready), and a synthetic pool of N / 3
 * experts (test/bench/assignment.ts's call: skewed disciplines, societies, names and experts to
 * avoid). Then the round is started as `POST /calls/{callId}/expert-assignments` starts it (its
 * bounded checks, answered 202) and its first batch, the plan, is run as a sweep worker runs it: every
 * candidate read over the 16 status shards, the pool and the loads read, the whole call assigned, and
 * the panels' and the experts' emails' batches stored. The batches themselves are not run.
 *
 *   npx tsx test/bench/round.ts [N]     a stack of its own (default N = 300,000)
 */
import { getCall } from '@shared/domain/catalogue';
import { applicationKey, applicationStatusIndex, expertKey, expertPoolIndex } from '@shared/adapters/dynamodb/keys';
import { getCallRecord } from '@shared/adapters/dynamodb/review-items';
import { listDueTasks } from '@shared/adapters/dynamodb/task-items';
import { runCallBatch } from '@shared/use-cases/call-jobs';
import { startReviewRound, type ReviewRound } from '@shared/use-cases/expert-review';
import { jobViewOf } from '@shared/use-cases/jobs';
import { syntheticCall } from './assignment';
import { runOnOwnStack, writeItems } from './own-stack';
import { round } from './stats';

const ROUND_CALL = 'gdast-2025';
const STAFF = { kind: 'staff', subject: 'bench@gdast.local', admin: false, email: 'bench@gdast.local' } as const;

export async function roundFigures(endpoint: string, table: string, n: number) {
  const call = getCall(ROUND_CALL);
  if (!call) throw new Error(`${ROUND_CALL} is not in seeds/`);
  const { experts, candidates } = syntheticCall(n, Math.ceil(n / 3), Math.max(10, Math.ceil(n / 60)), n);
  const createdAt = '2024-09-01T10:00:00.000+08:00';
  const seedMs =
    (await writeItems(
      endpoint,
      table,
      experts.map((e) => ({ ...expertKey(e.expertId), ...expertPoolIndex(e.expertId), ...e })),
    )) +
    (await writeItems(
      endpoint,
      table,
      candidates.map((c) => ({
        ...applicationKey(c.applicationId),
        ...applicationStatusIndex('READY_FOR_EXPERT_REVIEW', ROUND_CALL, createdAt, c.applicationId),
        applicationId: c.applicationId,
        callId: ROUND_CALL,
        unitId: c.unitId,
        status: 'READY_FOR_EXPERT_REVIEW',
        createdAt,
        reviewCandidate: c,
      })),
    ));
  const at = new Date(call.review.opensAt);
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  try {
    const began = performance.now();
    const { round: started } = await startReviewRound(ROUND_CALL, STAFF, at);
    const requestMs = performance.now() - began;
    const [plan] = (await listDueTasks(at)).filter((t) => t.taskId === started.batches[0]);
    if (!plan) throw new Error('the round has no plan batch to run');
    const planBegan = performance.now();
    await runCallBatch(plan, at);
    const planMs = performance.now() - planBegan;
    const planned = await getCallRecord<ReviewRound>(ROUND_CALL, 'round');
    const job = await jobViewOf(started.jobId);
    if (planned?.state !== 'ASSIGNING') throw new Error(`the round is ${planned?.state}: ${JSON.stringify(job)}`);
    return {
      applications: n,
      experts: experts.length,
      seedMs: round(seedMs, 0),
      requestMs: round(requestMs, 0),
      planMs: round(planMs, 0),
      batchesStored: planned.batches.length - 1,
      job: { state: job?.state, done: job?.done, total: job?.total },
      summary: planned.summary,
      heapMb: round((heapPeak - heapBefore) / 2 ** 20, 0),
    };
  } finally {
    clearInterval(sampler);
  }
}

if (require.main === module) void runOnOwnStack(roundFigures, 300_000);
