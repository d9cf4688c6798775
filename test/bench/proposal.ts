/**
 * The award proposal at a national funder's size, against DynamoDB Local: N scored applications of
 * the 2025 sample call are stored as the scoring step leaves them (status SCORED in the status index,
 * with the compact rank input kept when they were scored), then `proposeAward` runs as the
 * `POST /calls/{callId}/award-proposal` handler does: it counts what is still in review, reads the N
 * rank inputs over the 16 status shards, ranks them, writes the proposal in pages of 200, opens the
 * department head's link and emails it. Timed as a whole: it must fit the API's 29 s.
 *
 *   npx tsx test/bench/proposal.ts [N]     a stack of its own (default N = 300,000)
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { prioritiesMetOn } from '@shared/domain/award-ranking';
import { getCall, getProjectType } from '@shared/domain/catalogue';
import type { RankInput } from '@shared/domain/application-record';
import { applicationKey, applicationStatusIndex } from '@shared/adapters/dynamodb/keys';
import { proposeAward } from '@shared/use-cases/award';
import { rankingInput } from './ranking';
import { pool, round } from './stats';

export const PROPOSAL_CALL = 'gdast-2025';

export interface ProposalFigures {
  applications: number;
  /** storing them (BatchWriteItem, 25 a request, 16 at a time): not part of the proposal */
  seedMs: number;
  proposeMs: number;
  /** the JavaScript heap's peak during the proposal above where it began, MB (sampled every 20 ms; the Lambda has 512 MB) */
  heapMb: number;
  awarded: number;
  pages: number;
  /** the size of the answer as JSON, MB (a Lambda answers at most 6 MB) */
  answerMb: number;
}

/** Stores `n` scored applications of the 2025 call as the scoring step leaves them. */
async function seedScored(endpoint: string, table: string, n: number): Promise<number> {
  const call = getCall(PROPOSAL_CALL);
  if (!call) throw new Error(`${PROPOSAL_CALL} is not in seeds/`);
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const candidates = rankingInput(n, 2025);
  const began = performance.now();
  const batches = Math.ceil(candidates.length / 25);
  await pool(batches, 16, async (b) => {
    let requests = candidates.slice(b * 25, (b + 1) * 25).map((c) => {
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
        PutRequest: {
          Item: {
            ...applicationKey(id),
            ...applicationStatusIndex('SCORED', PROPOSAL_CALL, c.submittedAt, id),
            applicationId: id,
            callId: PROPOSAL_CALL,
            unitId: c.unitId,
            projectTypeId: c.projectTypeId,
            status: 'SCORED',
            createdAt: c.submittedAt,
            rankInput,
          },
        },
      };
    });
    // DynamoDB may leave some of a batch unwritten under load: those are sent again.
    while (requests.length) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
  client.destroy();
  return performance.now() - began;
}

/** Seeds `n` scored applications, then times one award proposal over them (in-process, on the running stack). */
export async function proposalFigures(endpoint: string, table: string, n: number): Promise<ProposalFigures> {
  const seedMs = await seedScored(endpoint, table, n);
  const call = getCall(PROPOSAL_CALL);
  const at = new Date(Date.parse(call?.review.deadline ?? '') + 60_000);
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const began = performance.now();
  const proposal = await proposeAward(
    PROPOSAL_CALL,
    { kind: 'staff', subject: 'bench@gdast.local', admin: false, email: 'bench@gdast.local' },
    at,
  ).finally(() => clearInterval(sampler));
  const proposeMs = performance.now() - began;
  const heapMb = (Math.max(heapPeak, process.memoryUsage().heapUsed) - heapBefore) / 2 ** 20;
  return {
    applications: n,
    seedMs: round(seedMs, 0),
    proposeMs: round(proposeMs, 0),
    heapMb: round(heapMb, 0),
    awarded: proposal.types.reduce((sum, type) => sum + type.awarded, 0),
    pages: Math.ceil(n / 200),
    answerMb: round(JSON.stringify(proposal).length / 2 ** 20, 1),
  };
}

if (require.main === module) {
  void (async () => {
    await import('./env');
    await import('@infra/local/polyfills');
    const { startLocalStack } = await import('@infra/local/local-stack');
    const n = Number(process.argv[2] ?? 300_000);
    const stack = await startLocalStack({
      ports: { api: 0, email: 0, dynamodb: 0, stepfunctions: 0, files: 0 },
      sweepEveryMs: 600_000,
      log: () => undefined,
    });
    try {
      const figures = await proposalFigures(stack.urls.dynamodb, 'funding-call', n);
      console.log(JSON.stringify(figures));
    } finally {
      await stack.stop();
    }
  })();
}
