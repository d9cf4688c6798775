import { now } from '@shared/domain/clock';
import { listSeedExperts } from '@shared/domain/experts';
import { waitTaskIds } from '@shared/domain/ids';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { getCallRecord, getProposalPage, listExpertLoads } from '@shared/adapters/dynamodb/review-items';
import { getTask } from '@shared/adapters/dynamodb/task-items';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  assignPanel,
  openExpertAssignmentWait,
  planRound,
  startReviewRound,
  type ReviewRound,
} from '@shared/use-cases/expert-review';
import { useLocalStack } from '../support/e2e';
import { followLink, readyForReview, taskLinksIn } from '../support/task-links';

/**
 * Work of the expert review cut in two by time or by a failure. The round plans every ready
 * application's panel at once and carries the plan out in batches: an application whose workflow
 * opens its wait again between the two (a workflow resumed after a restart, or a recovery) finds the
 * round begun and gets a panel of its own at once, and the round's batch must not give it a second
 * one (no second set of review tasks, no places taken from the planned experts, no digest asking
 * them). An expert's decline is taken before their place is handed on: when the request ends between
 * the two, the sweep hands the place on, once.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const UNIT = 'gd-physics-society';
const OTHER_UNIT = 'gd-chemistry-society';
let other: { applicationId: string; planned: string[] };

test('an application given its panel between the round’s plan and its batch gets exactly one panel', async () => {
  const staff = await api.staffToken();
  const { applicationId } = await readyForReview(stack, CALL, UNIT);
  const second = await readyForReview(stack, CALL, OTHER_UNIT);

  // The round is planned (its plan's batch run here; the panels' batches stored, not yet run: the sweep would run them).
  const { round: begun, started } = await startReviewRound(CALL, 'sweep', now());
  expect(started).toBe(true);
  await planRound(CALL, begun.planId, now());
  const round = (await getCallRecord<ReviewRound>(CALL, 'round')) as ReviewRound;
  expect(round.state).toBe('ASSIGNING');
  const assignBatch = (await getTask(round.batches[1])) as TaskRecord;
  expect(assignBatch.batch?.job).toBe('assign');
  const planned = (assignBatch.batch?.items as { applicationId: string; expertIds: string[] }[]).find(
    (item) => item.applicationId === applicationId,
  );
  expect(planned?.expertIds).toHaveLength(5);
  const plannedOther = (assignBatch.batch?.items as { applicationId: string; expertIds: string[] }[]).find(
    (item) => item.applicationId === second.applicationId,
  );
  other = { applicationId: second.applicationId, planned: plannedOther?.expertIds ?? [] };

  // One planned expert joins the applying society, so a panel chosen now differs from the plan.
  const leaving = listSeedExperts().find((expert) => expert.expertId === planned?.expertIds[0]);
  if (!leaving) throw new Error('the planned expert is not a seed expert');
  const put = await api.request('PUT', `/experts/${leaving.expertId}`, {
    token: staff,
    body: { ...leaving, expertId: undefined, unitIds: [...leaving.unitIds, UNIT] },
  });
  expect(put.status).toBe(200);

  // The workflow opens its wait again (as a resumed execution does): the round has begun, so it gets a panel now.
  const wait = (await getTask(waitTaskIds.expertAssignment(applicationId))) as TaskRecord;
  expect(wait.state).toBe('OPEN');
  await openExpertAssignmentWait(applicationId, wait.token, now());
  const late = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body;
  expect(late.status).toBe('IN_EXPERT_REVIEW');
  const latePanel = late.expertReview.panel as { expertId: string; taskId: string; via: string }[];
  expect(latePanel).toHaveLength(5);
  expect(latePanel.map((slot) => slot.via)).toEqual(Array(5).fill('late'));
  expect(latePanel.map((slot) => slot.expertId)).not.toContain(leaving.expertId);

  // Now the round's batches run: the plan's panel is not a second one. (The sweep runs the experts'
  // emails alongside the panels; a digest whose tasks are not there yet is sent by a later sweep.)
  for (const minutes of [1, 3]) {
    await stack.setClock(new Date((await stack.clockNow()).getTime() + minutes * 60_000).toISOString());
    await stack.local.sweep();
  }
  const after = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body;
  expect(after.expertReview.panel).toEqual(latePanel);
  expect(after.history.filter((entry: { result: string }) => entry.result === 'EXPERTS_ASSIGNED')).toHaveLength(1);
  // The experts only the plan named took no place and were not asked, by the round's digest, to review it.
  const planOnly = (planned?.expertIds ?? []).filter((id) => !latePanel.some((slot) => slot.expertId === id));
  expect(planOnly).toContain(leaving.expertId);
  // An expert's places are the recorded panels they sit on (this one's late panel, the other application's planned one).
  const otherPanel = (
    (await api.request('GET', `/applications/${second.applicationId}`, { token: staff })).body.expertReview.panel as {
      expertId: string;
    }[]
  ).map((slot) => slot.expertId);
  const places = (expertId: string) =>
    (latePanel.some((slot) => slot.expertId === expertId) ? 1 : 0) + (otherPanel.includes(expertId) ? 1 : 0);
  const loads = await listExpertLoads(CALL);
  for (const expertId of new Set([...(planned?.expertIds ?? []), ...latePanel.map((slot) => slot.expertId)]))
    expect(loads.get(expertId) ?? 0).toBe(places(expertId));
  const emails = await stack.emails();
  const addressOf = (expertId: string) =>
    listSeedExperts().find((expert) => expert.expertId === expertId)?.email ?? '?';
  const to = (expertId: string, kind: 'Expert review: ' | 'Expert review invitation') =>
    emails.filter((email) => email.destination.to.includes(addressOf(expertId)) && email.subject.includes(kind));
  // The round's digest names only the other application to whoever sits on its panel, and nobody else gets one.
  const digestOf = (expertId: string) =>
    to(expertId, 'Expert review: ').map((email) => email.subject.split('/ ').pop());
  for (const expertId of planOnly)
    expect(digestOf(expertId)).toEqual(otherPanel.includes(expertId) ? ['Expert review: 1 application'] : []);
  // The late panel's experts were each invited once, by an email of their own, not by the digest as well.
  for (const slot of latePanel) {
    expect(to(slot.expertId, 'Expert review invitation')).toHaveLength(1);
    expect(digestOf(slot.expertId)).toEqual(otherPanel.includes(slot.expertId) ? ['Expert review: 1 application'] : []);
  }
}, 180_000);

test('a decline whose request ends before the place is handed on: the sweep hands it on, once', async () => {
  const staff = await api.staffToken();
  const applicationId = (await api.request('GET', '/units/me/applications', { token: await api.tokenFor(UNIT) })).body
    .applications[0].applicationId as string;
  const before = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.expertReview
    .panel as {
    expertId: string;
    taskId: string;
  }[];
  const declining = before[0];
  const address = listSeedExperts().find((expert) => expert.expertId === declining.expertId)?.email ?? '?';
  const invitation = (await stack.emails()).find(
    (email) => email.destination.to.includes(address) && email.subject.includes('Expert review invitation'),
  );
  const link = taskLinksIn(invitation ?? ({ body: {} } as never))[0];
  expect(link).toContain(declining.taskId);

  const loadsBefore = await listExpertLoads(CALL);
  // The experts' loads cannot be read while the decline is taken: the replacement fails after the claim.
  const broken = stack.intercept(DynamoDBDocumentClient, (command) =>
    command instanceof QueryCommand &&
    JSON.stringify(command.input.ExpressionAttributeValues ?? {}).includes('EXPERT_LOAD#')
      ? Object.assign(new Error('DynamoDB is unavailable'), {
          name: 'InternalServerError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        })
      : undefined,
  );
  const declined = await followLink(link, { answer: { answer: 'decline' } });
  // The expert's answer is taken all the same; handing the place on is left to the sweep.
  expect(declined.status).toBe(200);
  expect(broken.commandCalls(QueryCommand).length).toBeGreaterThan(0);
  stack.restoreStubs();
  expect(
    (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.expertReview.panel,
  ).toHaveLength(5);
  expect((await getTask(declining.taskId))?.state).toBe('CLOSING');

  // Past the delivery grace, the sweep hands the place on and delivers the answer; a second sweep changes nothing.
  await stack.setClock(new Date((await stack.clockNow()).getTime() + 5 * 60_000).toISOString());
  await stack.local.sweep();
  await stack.local.sweep();
  const panel = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.expertReview
    .panel as {
    expertId: string;
    via: string;
    replaces?: string;
  }[];
  expect(panel).toHaveLength(6);
  const replacement = panel[5];
  expect(replacement).toMatchObject({ via: 'replacement', replaces: declining.taskId });
  expect((await getTask(declining.taskId))?.state).toBe('DONE');
  const loads = await listExpertLoads(CALL);
  expect(loads.get(declining.expertId)).toBe((loadsBefore.get(declining.expertId) ?? 0) - 1);
  expect(loads.get(replacement.expertId)).toBe((loadsBefore.get(replacement.expertId) ?? 0) + 1);
  const replacementAddress = listSeedExperts().find((expert) => expert.expertId === replacement.expertId)?.email ?? '?';
  const invited = (await stack.emails()).filter(
    (email) => email.destination.to.includes(replacementAddress) && email.subject.includes('Expert review invitation'),
  );
  expect(invited).toHaveLength(1);
}, 120_000);

test('a late panel that comes after the round’s batch gave the application its panel takes nothing and tells no one', async () => {
  const staff = await api.staffToken();
  const before = (await api.request('GET', `/applications/${other.applicationId}`, { token: staff })).body.expertReview
    .panel as {
    expertId: string;
    via: string;
  }[];
  expect(before.map((slot) => slot.expertId)).toEqual(other.planned);
  const loadsBefore = await listExpertLoads(CALL);
  // Five other experts, as a resumed workflow's late panel chosen a moment before the batch ran would name.
  const late = listSeedExperts()
    .map((expert) => expert.expertId)
    .filter((id) => !other.planned.includes(id) && !before.some((slot) => slot.expertId === id))
    .slice(0, 5);
  await assignPanel(other.applicationId, late, now(), 'late');

  expect(
    (await api.request('GET', `/applications/${other.applicationId}`, { token: staff })).body.expertReview.panel,
  ).toEqual(before);
  const loadsAfter = await listExpertLoads(CALL);
  for (const id of late) expect(loadsAfter.get(id) ?? 0).toBe(loadsBefore.get(id) ?? 0);
  const addresses = late.map((id) => listSeedExperts().find((expert) => expert.expertId === id)?.email ?? '?');
  const told = (await stack.emails()).filter(
    (email) =>
      addresses.some((address) => email.destination.to.includes(address)) &&
      email.body.text?.includes(other.applicationId),
  );
  expect(told).toEqual([]);
}, 60_000);

test('a proposal stored before its pages had partitions of their own is still read; a page found nowhere is an error, not an empty table', async () => {
  await DynamoDBDocumentClient.from(stack.dynamo).send(
    new PutCommand({
      TableName: 'funding-call',
      Item: { PK: 'CALL#legacy-call', SK: 'PROPOSAL#v0001#p00000', entries: [{ applicationId: 'app-1', rank: 1 }] },
    }),
  );
  expect(await getProposalPage('legacy-call', 1, 0)).toEqual([{ applicationId: 'app-1', rank: 1 }]);
  await expect(getProposalPage('legacy-call', 1, 1)).rejects.toThrow('Page 1 of proposal v1 of legacy-call is missing');
});
