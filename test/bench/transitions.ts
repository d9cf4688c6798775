import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { LocalStack } from '@infra/local/local-stack';
import { example } from '../support/fixtures';
import { call } from '../support/fixtures';
import { Api, eventually, sentEmails } from '../support/local';
import { followLink, passStaffStages, taskLinkIn, taskLinksIn } from '../support/task-links';
import { accepted, proposeAward } from '../support/jobs';

/** Step Functions Standard: USD per state transition beyond the free tier (us-east-1, 2024 list price). */
export const USD_PER_TRANSITION = 0.000025;

export interface Transitions {
  /** state transitions billed for one application, submission → AWARDED with 5 experts */
  perApplication: number;
  /** the states it went through, in order */
  states: string[];
  historyEvents: number;
  usdPer1000Applications: number;
}

/**
 * Takes one application from submission to its award through HTTP and the links in the emails (the
 * staff stages, the round, 5 experts scoring, the proposal confirmed by the department head), then
 * reads its execution history through the Step Functions API and counts the state transitions (each
 * state entered is one billed transition on Standard workflows). Run on a call with no other
 * application (the round waits for every application to leave the staff stages); the clock is put
 * back where it was afterwards.
 */
export async function transitionsToAward(stack: LocalStack, api: Api): Promise<Transitions> {
  const clockBefore = (await api.request('GET', '/_local/clock')).body.utc as string;
  const staff = await api.staffToken();
  const token = await api.unitToken('bench-transitions-unit');
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', {
    token,
    body: example('lingnan-forum'),
  });
  const applicationId = submitted.body.applicationId as string;
  const emails = () => sentEmails(stack.urls.email);
  await passStaffStages(emails, applicationId);
  await api.waitForStatus(token, applicationId, 'READY_FOR_EXPERT_REVIEW');
  accepted(await api.request('POST', '/calls/gdast-2024/expert-assignments', { token: staff }), 'the round');
  const links = await eventually(
    async () => {
      const found = (await emails())
        .filter((e) => e.subject.startsWith('【专家评审邀请】'))
        .flatMap((e) => taskLinksIn(e));
      return found.length === call().review.expertsPerApplication ? found : undefined;
    },
    20_000,
    'the experts’ emails',
  );
  const scores = Object.fromEntries(
    call().review.scoringForm.criteria.map((c) => [c.id, Math.round((c.min + c.max) * 0.8)]),
  );
  for (const link of links) {
    const answered = await followLink(link, {
      answer: { answer: 'score', noConflict: true, scores, comment: '评审意见' },
    });
    if (answered.status !== 200)
      throw new Error(`an expert's score: ${answered.status} ${JSON.stringify(answered.body)}`);
  }
  await api.waitForStatus(token, applicationId, 'SCORED');
  await api.setClock('2023-11-01T09:00:00+08:00', true);
  await proposeAward(api, staff);
  const head = await eventually(
    async () => (await emails()).find((e) => e.subject.includes('立项建议')),
    20_000,
    'the confirmation email',
  );
  await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } });
  await api.waitForStatus(token, applicationId, 'AWARDED');
  await api.setClock(clockBefore);

  const sfn = new SFNClient({
    endpoint: stack.urls.stepfunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
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
