import { call, example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { eventually, type StoredEmail } from '../support/local';
import { accepted, jobEnded, proposeAward } from '../support/jobs';
import { followLink, passStaffStages, taskLinkIn, taskLinksIn } from '../support/task-links';

/**
 * The expert review and the award of a small call, through HTTP and email links only: the round
 * refused while an application is still with staff, then started; experts scoring, one declining
 * (replaced at once), one declaring a conflict; a silent one past the deadline; an application short
 * of scores topped up by staff; the proposal, its confirmation, the outcome emails and the results.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const criteria = call().review.scoringForm.criteria;

const scoreBody = (points: number) => ({
  answer: 'score',
  noConflict: true,
  scores: Object.fromEntries(criteria.map((c) => [c.id, Math.min(c.max, Math.max(c.min, points))])),
  comment: `评审意见：总体${points}分`,
});

const digestsTo = async () => (await stack.emails()).filter((e) => e.subject.startsWith('【专家评审邀请】'));

async function submit(unitId: string, typeId: string): Promise<{ token: string; applicationId: string }> {
  const token = await api.unitToken(unitId);
  const answer = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example(typeId) });
  expect(answer.status).toBe(201);
  return { token, applicationId: answer.body.applicationId };
}

test('a small call from the round to the published results', async () => {
  const staff = await api.staffToken();
  const apps = [
    await submit('gd-physics-society', 'lingnan-forum'),
    await submit('gd-chemistry-society', 'lingnan-forum'),
    await submit('gd-computer-society', 'secretary-general-salon'),
  ];
  for (const app of apps.slice(0, 2)) await passStaffStages(() => stack.emails(), app.applicationId);
  await api.waitForStatus(apps[1].token, apps[1].applicationId, 'READY_FOR_EXPERT_REVIEW');

  // One application is still with staff: the round waits for it.
  const early = await api.request('POST', `/calls/${CALL}/expert-assignments`, { token: staff });
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('STAGE_NOT_READY');
  expect(early.body.error.details.map((d: { path: string }) => d.path)).toContain('statuses.FORMAL_CHECK_PASSED');
  // Units may not start it.
  expect((await api.request('POST', `/calls/${CALL}/expert-assignments`, { token: apps[0].token })).status).toBe(403);

  await passStaffStages(() => stack.emails(), apps[2].applicationId);
  for (const app of apps) await api.waitForStatus(app.token, app.applicationId, 'READY_FOR_EXPERT_REVIEW');

  // Two staff start it at the same moment: it starts once, and both are answered its one job.
  const starts = await Promise.all(
    [1, 2].map(() => api.request('POST', `/calls/${CALL}/expert-assignments`, { token: staff })),
  );
  const [started, alsoStarted] = starts.map((s) => accepted(s, 'the round'));
  expect(alsoStarted.jobId).toBe(started.jobId);
  expect(started).toMatchObject({ kind: 'review-round', callId: CALL });
  const round = await jobEnded(api, staff, started.jobId);
  expect(round).toMatchObject({ state: 'DONE', errors: [] });
  // What the plan made is the job's result (a start that lost the race answers before it is planned).
  expect(round.result?.summary).toMatchObject({ applications: 3 });
  expect(round.result?.summary.load.max).toBeLessThanOrEqual(3);
  expect(round.done).toBe(round.total);
  // Started once: a second start answers the same round's job.
  expect(
    accepted(await api.request('POST', `/calls/${CALL}/expert-assignments`, { token: staff }), 'again').jobId,
  ).toBe(started.jobId);
  for (const app of apps) await api.waitForStatus(app.token, app.applicationId, 'IN_EXPERT_REVIEW');

  // Every expert of a panel has one email; a panel is 5.
  const digests = await eventually(
    async () => {
      const all = await digestsTo();
      return all.length === round.result?.summary.expertsUsed ? all : undefined;
    },
    20_000,
    'one email per expert',
  );
  const links = digests.flatMap((email) => taskLinksIn(email).map((link) => ({ link, to: email.destination.to[0] })));
  expect(links).toHaveLength(15);

  // The units never see who reviews them.
  const seen = await api.request('GET', `/applications/${apps[0].applicationId}`, { token: apps[0].token });
  expect(seen.body.expertReview).toBeUndefined();
  const staffView = (await api.request('GET', `/applications/${apps[0].applicationId}`, { token: staff })).body;
  expect(staffView.expertReview.panel).toHaveLength(5);

  // Each link opens its application with the scoring form, and the applicant's people by name only:
  // no phone, no email (an expert needs neither), in the JSON or on the page.
  const people = ['lingnan-forum', 'secretary-general-salon'].flatMap((typeId) => [
    example(typeId).contact,
    example(typeId).lead,
  ]);
  const reachable = (text: string) =>
    people
      .flatMap((p) => [p.phone, p.phone.replace(/[^0-9+]/g, ''), p.email])
      .filter((detail) => text.toLowerCase().includes(detail.toLowerCase()));
  const byApp = new Map<string, { link: string; to: string }[]>();
  for (const entry of links) {
    const read = await followLink(entry.link);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      kind: 'expert-review',
      state: 'OPEN',
      answers: ['score', 'conflict', 'decline'],
    });
    expect(read.body.scoringForm.criteria).toHaveLength(criteria.length);
    expect(reachable(JSON.stringify(read.body))).toEqual([]);
    byApp.set(read.body.applicationId, [...(byApp.get(read.body.applicationId) ?? []), entry]);
  }
  const expertPage = await followLink(links[0].link, { html: true });
  expect(expertPage.status).toBe(200);
  expect(expertPage.body).toContain('联系人');
  expect(people.some((p) => expertPage.body.includes(p.name))).toBe(true);
  expect(reachable(expertPage.body)).toEqual([]);
  const panelOf = (app: { applicationId: string }) => byApp.get(app.applicationId) ?? [];

  // A score without the conflict confirmation, or with a criterion out of range, names every bad field and changes nothing.
  const [first] = panelOf(apps[0]);
  const bad = await followLink(first.link, { answer: { answer: 'score', scores: { [criteria[0].id]: 999 } } });
  expect(bad.status).toBe(400);
  const paths = bad.body.error.details.map((d: { path: string }) => d.path);
  expect(paths).toEqual(
    expect.arrayContaining(['noConflict', `scores.${criteria[0].id}`, `scores.${criteria[1].id}`, 'comment']),
  );

  // App 0: all five score. App 1: one declines (replaced), one declares a conflict (replaced), three score, the replacements score.
  // App 2: two score, three stay silent: short of scores after the deadline.
  const points = [90, 80, 70, 60, 50];
  for (const [i, entry] of panelOf(apps[0]).entries())
    expect((await followLink(entry.link, { answer: scoreBody(points[i]) })).status).toBe(200);
  expect((await followLink(panelOf(apps[0])[0].link, { answer: scoreBody(10) })).status).toBe(409);

  const [decliner, conflicted, ...rest1] = panelOf(apps[1]);
  expect((await followLink(decliner.link, { answer: { answer: 'decline' } })).status).toBe(200);
  expect(
    (await followLink(conflicted.link, { answer: { answer: 'conflict', reasons: ['我是该项目主讲嘉宾的合作者'] } }))
      .status,
  ).toBe(200);
  for (const entry of rest1) expect((await followLink(entry.link, { answer: scoreBody(75) })).status).toBe(200);
  const invitations = await eventually(
    async () => {
      const found = (await stack.emails()).filter((e) => e.subject.includes('Expert review invitation'));
      return found.length >= 2 ? found : undefined;
    },
    20_000,
    'two replacement invitations',
  );
  const replacementAddresses = invitations.map((e) => e.destination.to[0]);
  expect(replacementAddresses).not.toContain(decliner.to);
  expect(replacementAddresses).not.toContain(conflicted.to);
  for (const email of invitations)
    expect((await followLink(taskLinkIn(email), { answer: scoreBody(65) })).status).toBe(200);
  await api.waitForStatus(apps[0].token, apps[0].applicationId, 'SCORED');
  await api.waitForStatus(apps[1].token, apps[1].applicationId, 'SCORED');

  for (const entry of panelOf(apps[2]).slice(0, 2))
    expect((await followLink(entry.link, { answer: scoreBody(85) })).status).toBe(200);
  // Too early for a proposal.
  expect((await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff })).body.error.code).toBe(
    'STAGE_NOT_READY',
  );

  // A day before the deadline the three silent experts are reminded, once each however often the sweep runs.
  await stack.setClock('2023-10-31T00:30:00+08:00');
  await stack.setClock('2023-10-31T00:40:00+08:00');
  const reminded = await eventually(
    async () => {
      const found = (await stack.emails()).filter((e) => e.subject.startsWith('【评审提醒】'));
      return found.length >= 3 ? found : undefined;
    },
    20_000,
    'three reminders',
  );
  expect(reminded.map((e) => e.destination.to[0]).sort()).toEqual(
    panelOf(apps[2])
      .slice(2)
      .map((entry) => entry.to)
      .sort(),
  );

  // The deadline passes: the silent experts' links expire, the application is short and staff are told.
  await stack.setClock('2023-11-01T09:00:00+08:00', true);
  await api.waitForStatus(apps[2].token, apps[2].applicationId, 'SHORT_OF_SCORES');
  const status = await api.request('GET', `/calls/${CALL}/review-status`, { token: staff });
  expect(status.body.shortOfScores).toEqual([
    expect.objectContaining({ applicationId: apps[2].applicationId, validScores: 2, needed: 3 }),
  ]);
  await stack.email(
    (e: StoredEmail) =>
      e.subject.includes('评审') &&
      (e.body.text ?? '').includes(apps[2].applicationId) &&
      e.body.text!.includes('/experts'),
    'the short-of-scores email',
  );
  expect((await followLink(panelOf(apps[2])[4].link, { answer: scoreBody(50) })).status).toBe(410);

  // Staff add an expert with a week to answer; the application goes back into review.
  const added = await api.request('POST', `/applications/${apps[2].applicationId}/experts`, {
    token: staff,
    body: { dueOn: '2023-11-08' },
  });
  expect(added.status).toBe(201);
  await api.waitForStatus(apps[2].token, apps[2].applicationId, 'IN_EXPERT_REVIEW');
  const topUp = await stack.email(
    (e: StoredEmail) => e.subject.includes('Expert review invitation') && (e.body.text ?? '').includes('2023年11月8日'),
    'the added expert',
  );
  expect((await followLink(taskLinkIn(topUp), { answer: scoreBody(70) })).status).toBe(200);
  await api.waitForStatus(apps[2].token, apps[2].applicationId, 'SCORED');

  // The proposal, confirmed by the department head through the link in their email.
  const proposal = await proposeAward(api, staff);
  expect(proposal.status).toBe(200);
  const forum = proposal.body.types.find((t: { typeId: string }) => t.typeId === 'lingnan-forum');
  // 0: 90,80,70,60,50 → mean of 80,70,60 = 70; 1: five totals 75,75,75,65,65 → mean of 65,75,75 = 71.67.
  expect(forum.entries.map((e: { applicationId: string }) => e.applicationId)).toEqual([
    apps[1].applicationId,
    apps[0].applicationId,
  ]);
  const firstRequest = await stack.email(
    (e: StoredEmail) => e.subject.includes('立项建议'),
    'the confirmation request',
  );
  const page = await followLink(taskLinkIn(firstRequest), { html: true });
  expect(page.body).toContain('立项');
  // Sent back once: revising needs a reason; staff propose again, and only the newest link works.
  expect((await followLink(taskLinkIn(firstRequest), { answer: { answer: 'revise' } })).status).toBe(400);
  expect(
    (await followLink(taskLinkIn(firstRequest), { answer: { answer: 'revise', reasons: ['请核对沙龙类项目的得分'] } }))
      .status,
  ).toBe(200);
  const second = await proposeAward(api, staff);
  expect(second.body.version).toBe(2);
  const head = await stack.email(
    (e: StoredEmail) => e.subject.includes('立项建议') && taskLinkIn(e) !== taskLinkIn(firstRequest),
    'the second request',
  );
  expect((await followLink(taskLinkIn(firstRequest), { answer: { answer: 'confirm' } })).status).toBe(409);
  // Unanswered a day before it is due, the department head is reminded, once.
  await stack.setClock('2023-11-03T10:00:00+08:00', true);
  await stack.setClock('2023-11-03T10:05:00+08:00', true);
  const reminders = await eventually(
    async () => {
      const found = (await stack.emails()).filter(
        (e) => e.subject.startsWith('【提醒】') && e.subject.includes('立项建议'),
      );
      return found.length ? found : undefined;
    },
    20_000,
    'the confirmation reminder',
  );
  expect(reminders).toHaveLength(1);
  expect(taskLinkIn(reminders[0])).toBe(taskLinkIn(head));
  expect((await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } })).status).toBe(200);
  expect((await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff })).body.error.code).toBe(
    'AWARD_CONFIRMED',
  );
  for (const app of apps) await api.waitForStatus(app.token, app.applicationId, 'AWARDED');
  const outcome = await stack.email(
    (e: StoredEmail) =>
      e.subject.includes('立项') &&
      (e.body.text ?? '').includes(apps[0].applicationId) &&
      e.destination.to.includes('office@gd-physics.example.org'),
    'the outcome email',
  );
  expect(outcome.body.text).toContain('70.00');

  // Results: staff first; the public once published.
  expect((await api.request('GET', `/results/${CALL}`)).status).toBe(404);
  const results = await api.request('GET', `/calls/${CALL}/results`, { token: staff });
  expect(results.body.rows).toHaveLength(3);
  expect((await api.request('POST', `/calls/${CALL}/results/publish`, { token: staff })).status).toBe(200);
  const csv = await fetch(`${api.base}/results/${CALL}`, { headers: { accept: 'text/csv' } });
  expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain(example('lingnan-forum').title);
}, 240_000);
