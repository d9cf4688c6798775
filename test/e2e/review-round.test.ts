import { listSeedExperts } from '@shared/domain/experts';
import { useLocalStack } from '../support/e2e';
import { accepted, jobEnded } from '../support/jobs';
import { eventually } from '../support/local';
import { followLink, readyForReview, taskLinksIn } from '../support/task-links';

/**
 * The review round when the pool cannot serve every application (its job FAILED, every unserved
 * application named, nothing assigned), then, with the pool fixed, starting by itself at the call's review
 * opening; and two experts of one panel declining at the same moment.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const UNIT = 'gd-physics-society';

test("an infeasible pool fails the round's job with every unserved application named, and nothing is assigned", async () => {
  const staff = await api.staffToken();
  const { applicationId, token } = await readyForReview(stack, CALL, UNIT);

  // Every expert but four now belongs to the applying society: a panel of 5 cannot be formed.
  const experts = listSeedExperts();
  const conflicted = experts.filter((e) => !e.unitIds.includes(UNIT)).slice(4);
  const free = experts.filter((e) => !e.unitIds.includes(UNIT)).slice(0, 4);
  for (const expert of conflicted) {
    const put = await api.request('PUT', `/experts/${expert.expertId}`, {
      token: staff,
      body: { ...expert, expertId: undefined, unitIds: [...new Set([...expert.unitIds, UNIT])] },
    });
    expect(put.body).toMatchObject({ expertId: expert.expertId });
  }
  // The round's job plans it and finds the pool short: FAILED, naming the application and why.
  const started = accepted(await api.request('POST', `/calls/${CALL}/expert-assignments`, { token: staff }), 'round');
  const refused = await jobEnded(api, staff, started.jobId);
  expect(refused).toMatchObject({
    kind: 'review-round',
    state: 'FAILED',
    result: { code: 'POOL_INSUFFICIENT', unserved: 1, waiting: 1 },
    errors: [{ item: applicationId, message: expect.stringMatching(/\S/) }],
  });
  // Nothing assigned: still waiting, no expert emailed, and the round can be started again.
  expect((await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.status).toBe(
    'READY_FOR_EXPERT_REVIEW',
  );
  expect((await stack.emails()).filter((e) => e.subject.startsWith('【专家评审邀请】'))).toEqual([]);
  const status = await api.request('GET', `/calls/${CALL}/review-status`, { token: staff });
  expect(status.body).toMatchObject({
    round: null,
    job: { jobId: started.jobId, state: 'FAILED' },
    counts: expect.objectContaining({ READY_FOR_EXPERT_REVIEW: 1 }),
  });

  // At the review opening the sweep starts the round by itself, finds the pool still short, and
  // tells the department head why, once: later sweeps that day neither plan it again nor email again.
  await stack.setClock('2023-10-16T09:00:00+08:00');
  const blocked = await eventually(
    async () => {
      const found = (await stack.emails()).filter((e) => e.subject.startsWith('【专家评审未能开始】'));
      return found.length ? found : undefined;
    },
    30_000,
    "the head's email that the round could not start",
  );
  expect(blocked).toHaveLength(1);
  expect(blocked[0].body.text).toContain(applicationId);
  const bySweep = (await api.request('GET', `/calls/${CALL}/review-status`, { token: staff })).body;
  expect(bySweep).toMatchObject({ round: null, job: { state: 'FAILED', result: { code: 'POOL_INSUFFICIENT' } } });
  expect(bySweep.job.jobId).not.toBe(started.jobId);
  await stack.setClock('2023-10-16T15:00:00+08:00');
  expect((await api.request('GET', `/calls/${CALL}/review-status`, { token: staff })).body.job.jobId).toBe(
    bySweep.job.jobId,
  );
  expect((await stack.emails()).filter((e) => e.subject.startsWith('【专家评审未能开始】'))).toHaveLength(1);

  // Staff fix the pool; the next morning the sweep starts the round by itself.
  for (const expert of conflicted.slice(0, 10)) {
    expect(
      (
        await api.request('PUT', `/experts/${expert.expertId}`, {
          token: staff,
          body: { ...expert, expertId: undefined },
        })
      ).status,
    ).toBe(200);
  }
  await stack.setClock('2023-10-17T09:00:00+08:00');
  await api.waitForStatus(token, applicationId, 'IN_EXPERT_REVIEW', 30_000);
  const round = (await api.request('GET', `/calls/${CALL}/review-status`, { token: staff })).body.round;
  expect(round).toMatchObject({ startedBy: 'sweep', summary: expect.objectContaining({ applications: 1 }) });
  const panel = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.expertReview
    .panel as { expertId: string }[];
  expect(panel).toHaveLength(5);
  const allowed = new Set([...free, ...conflicted.slice(0, 10)].map((e) => e.expertId));
  for (const slot of panel) expect(allowed.has(slot.expertId)).toBe(true);
}, 180_000);

test('two experts of one panel declining at once are replaced by two different eligible experts', async () => {
  const applicationId =
    (await api.request('GET', '/units/me/applications', { token: await api.tokenFor(UNIT) })).body.applications?.[0]
      ?.applicationId ?? '';
  const digests = await eventually(
    async () => {
      const found = (await stack.emails()).filter((e) => e.subject.startsWith('【专家评审邀请】'));
      return found.length === 5 ? found : undefined;
    },
    20_000,
    'the five experts’ emails',
  );
  const links = digests.flatMap((email) => taskLinksIn(email));
  const answers = await Promise.all(
    links.slice(0, 2).map((link) => followLink(link, { answer: { answer: 'decline' } })),
  );
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  const staff = await api.staffToken();
  const panel = await eventually(
    async () => {
      const record = (
        await api.request('GET', `/applications/${applicationId || (await firstApplication())}`, { token: staff })
      ).body;
      return record.expertReview?.panel.length === 7
        ? (record.expertReview.panel as { expertId: string; via: string }[])
        : undefined;
    },
    20_000,
    'two replacements on the panel',
  );
  const replacements = panel.filter((slot) => slot.via === 'replacement').map((slot) => slot.expertId);
  expect(new Set(replacements).size).toBe(2);
  expect(panel.map((slot) => slot.expertId).filter((id) => replacements.includes(id))).toHaveLength(2);
  // None of them belongs to the applying society.
  const pool = (await api.request('GET', '/experts?limit=500', { token: staff })).body.experts as {
    expertId: string;
    unitIds: string[];
  }[];
  for (const id of replacements) expect(pool.find((e) => e.expertId === id)?.unitIds).not.toContain(UNIT);
}, 120_000);

async function firstApplication(): Promise<string> {
  const mine = await api.request('GET', '/units/me/applications', { token: await api.tokenFor(UNIT) });
  return (mine.body.applications ?? mine.body)[0].applicationId;
}
