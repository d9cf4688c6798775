import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { LocalStack } from '@infra/local/local-stack';
import { example } from '../support/fixtures';
import { Api, eventually, sentEmails } from '../support/local';
import { passStaffStages } from '../support/task-links';

/** Step Functions Standard: USD per state transition beyond the free tier (us-east-1, 2024 list price). */
export const USD_PER_TRANSITION = 0.000025;

export interface Transitions {
  /** state transitions billed for one application, submission → READY_FOR_EXPERT_REVIEW */
  perApplication: number;
  /** the states it went through, in order */
  states: string[];
  historyEvents: number;
  usdPer1000Applications: number;
}

/**
 * Takes one application from submission to READY_FOR_EXPERT_REVIEW through HTTP and the staff links
 * in its emails, then reads its execution history through the Step Functions API and counts the
 * state transitions (each state entered is one billed transition on Standard workflows).
 */
export async function transitionsToExpertReview(stack: LocalStack, api: Api): Promise<Transitions> {
  const token = await api.unitToken('bench-transitions-unit');
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body: example('lingnan-forum') });
  const applicationId = submitted.body.applicationId as string;
  await passStaffStages(() => sentEmails(stack.urls.email), applicationId);
  await api.waitForStatus(token, applicationId, 'READY_FOR_EXPERT_REVIEW');

  const sfn = new SFNClient({ endpoint: stack.urls.stepfunctions, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const executionArn = stack.stateMachineArn.replace(/:stateMachine:([^:]+)$/, `:execution:$1:${applicationId}`);
  const events: HistoryEvent[] = await eventually(
    async () => {
      const all: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
        all.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return all.some((event) => event.type === 'ExecutionSucceeded') ? all : undefined;
    },
    20_000,
    'the execution to succeed',
  );
  sfn.destroy();
  const entered = events.filter((event) => event.type?.endsWith('StateEntered'));
  return {
    perApplication: entered.length,
    states: entered.map((event) => event.stateEnteredEventDetails?.name ?? '?'),
    historyEvents: events.length,
    usdPer1000Applications: Math.round(entered.length * USD_PER_TRANSITION * 1000 * 1000) / 1000,
  };
}
