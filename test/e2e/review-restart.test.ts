import { useLocalStack } from '../support/e2e';
import { call, example } from '../support/fixtures';
import { eventually, type StoredEmail } from '../support/local';
import { accepted, proposeAward } from '../support/jobs';
import { followLink, passStaffStages, taskLinkIn, taskLinksIn } from '../support/task-links';

/**
 * The expert review and the award survive restarts of the local stack: an application waiting on
 * its experts, and one waiting on the award's confirmation, go on from the same links afterwards.
 */
const stack = useLocalStack({ persistent: true });
const { api } = stack;
const CALL = 'gdast-2024';
const criteria = call().review.scoringForm.criteria;
const score = (points: number) => ({
  answer: 'score',
  noConflict: true,
  scores: Object.fromEntries(criteria.map((c) => [c.id, points])),
  comment: '意见',
});

test('experts answer after a restart, and the award is confirmed after another', async () => {
  const staff = await api.staffToken();
  const token = await api.unitToken('gd-medical-society');
  const applicationId = (
    await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') })
  ).body.applicationId as string;
  await passStaffStages(() => stack.emails(), applicationId);
  await api.waitForStatus(token, applicationId, 'READY_FOR_EXPERT_REVIEW');
  accepted(await api.request('POST', `/calls/${CALL}/expert-assignments`, { token: staff }), 'the round');
  const links = await eventually(
    async () => {
      const found = (await stack.emails())
        .filter((e) => e.subject.startsWith('【专家评审邀请】'))
        .flatMap((e) => taskLinksIn(e));
      return found.length === 5 ? found : undefined;
    },
    20_000,
    'five expert links',
  );
  for (const link of links.slice(0, 2)) expect((await followLink(link, { answer: score(80) })).status).toBe(200);

  await stack.restart();

  for (const link of links.slice(2)) expect((await followLink(link, { answer: score(70) })).status).toBe(200);
  const scored = await api.waitForStatus(token, applicationId, 'SCORED', 30_000);
  // Totals 80, 80, 70, 70, 70: the lowest and the highest dropped, the mean of 70, 70, 80.
  expect(scored.score).toBeCloseTo(220 / 3, 9);
  await stack.setClock('2023-11-01T09:00:00+08:00', true);
  expect((await proposeAward(api, staff)).status).toBe(200);
  const head = await stack.email((e: StoredEmail) => e.subject.includes('立项建议'), 'the confirmation request');

  await stack.restart();

  expect((await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } })).status).toBe(200);
  await api.waitForStatus(token, applicationId, 'AWARDED', 30_000);
  const history = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.history as {
    stage: string;
    result: string;
  }[];
  expect(history.map((h) => `${h.stage}:${h.result}`)).toEqual(
    expect.arrayContaining(['ExpertReview:EXPERTS_ASSIGNED', 'ExpertReview:SCORED', 'Award:AWARDED']),
  );
}, 240_000);
