import seededUnits from '@seeds/units.json';
import { useLocalStack } from '../support/e2e';
import { call, example } from '../support/fixtures';
import { scoreThrough } from '../support/award';
import { proposeAward } from '../support/jobs';
import { eventually, type StoredEmail } from '../support/local';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * What staff's web workspace reads, over HTTP against the local stack: the latest award proposal
 * and where it stands, the tasks an application waits on, the member units, and each expert's
 * load in a call.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';

const CONTACT = 'dengmei@gdast.example.org'; // the Lingnan forum's contact in the call data

test('an application’s open tasks: due times for every staff member, the link only for its assignee', async () => {
  const token = await api.unitToken('gd-medical-society');
  const submitted = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') });
  expect(submitted.status).toBe(201);
  const applicationId: string = submitted.body.applicationId;
  await stack.waitingOnStaff(applicationId);
  const contact = await api.staffToken(CONTACT);
  const read = await eventually(async () => {
    const answer = await api.request('GET', `/applications/${applicationId}`, { token: contact });
    return answer.body.openTasks?.length === 2 ? answer.body : undefined;
  });
  const byKind = Object.fromEntries(read.openTasks.map((t: { kind: string }) => [t.kind, t]));
  const beijing = expect.stringMatching(/^2023-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
  for (const kind of ['formal-review', 'paper-copy']) {
    expect(byKind[kind]).toEqual({
      taskId: expect.any(String),
      kind,
      kindTitle: { zh: expect.any(String), en: expect.any(String) },
      assignee: { name: expect.any(String), email: CONTACT },
      dueAt: beijing,
      ...(kind === 'paper-copy' ? { answerableUntil: beijing } : {}),
      mine: true,
      link: expect.stringContaining(`/tasks/${byKind[kind].taskId}?sig=`),
    });
  }
  // The link given is the one emailed to the assignee, and it opens the task's page.
  const emailed = taskLinkIn(
    await stack.email(
      (e: StoredEmail) =>
        e.subject.startsWith('【待办：形式审查') &&
        e.destination.to.includes(CONTACT) &&
        (e.body.text ?? '').includes(applicationId),
      'the formal review email',
    ),
  );
  expect(byKind['formal-review'].link).toBe(emailed);
  const page = await followLink(byKind['formal-review'].link, { html: true });
  expect(page.status).toBe(200);
  expect(page.body).toContain('形式审查');

  // Another staff member sees the same tasks, who holds them and when they are due, and no link.
  const colleague = await api.staffToken('colleague@gdast.example.org');
  const theirs = (await api.request('GET', `/applications/${applicationId}`, { token: colleague })).body.openTasks;
  expect(theirs).toHaveLength(2);
  for (const task of theirs) {
    expect(task).toMatchObject({ mine: false, assignee: { email: CONTACT }, dueAt: beijing });
    expect(task).not.toHaveProperty('link');
  }
  // A unit never sees them.
  expect((await api.request('GET', `/applications/${applicationId}`, { token })).body).not.toHaveProperty('openTasks');

  // Withdrawn, it waits on nothing (and leaves the staff stages free for the round below).
  expect((await api.request('POST', `/applications/${applicationId}/withdraw`, { token })).status).toBe(200);
  await eventually(async () => {
    const answer = await api.request('GET', `/applications/${applicationId}`, { token: contact });
    return answer.body.openTasks?.length === 0 ? true : undefined;
  });
}, 120_000);

test('the latest award proposal: as its job made it, sent back with the head’s reasons, then confirmed', async () => {
  const staff = await api.staffToken();
  const token = await api.unitToken('gd-chemistry-society');
  const submitted = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') });
  expect(submitted.status).toBe(201);
  const applicationId: string = submitted.body.applicationId;
  expect((await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff })).status).toBe(404);
  await scoreThrough(api, () => stack.emails(), [{ token, applicationId }]);
  await api.setClock('2023-11-01T09:00:00+08:00');

  const read = await proposeAward(api, staff);
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ version: 1, state: 'PROPOSED' });
  expect(read.body).not.toHaveProperty('job');
  expect(read.body.types[0].entries[0]).toMatchObject({ applicationId, awarded: true });
  expect((await api.request('GET', `/calls/${CALL}/award-proposal`, { token })).status).toBe(403);

  const firstRequest = await stack.email((e: StoredEmail) => e.subject.includes('立项建议'), 'the first request');
  const reasons = ['请核对岭南论坛的预算'];
  const revised = await followLink(taskLinkIn(firstRequest), { answer: { answer: 'revise', reasons } });
  expect(revised.status).toBe(200);
  const sentBack = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(sentBack.body).toMatchObject({
    version: 1,
    state: 'REVISION_ASKED',
    revision: { reasons, at: expect.stringMatching(/^2023-11-01T.*\+08:00$/) },
  });

  const second = await proposeAward(api, staff);
  expect(second.body).toMatchObject({ version: 2, state: 'PROPOSED' });
  const secondRequest = await stack.email(
    (e: StoredEmail) => e.subject.includes('立项建议') && taskLinkIn(e) !== taskLinkIn(firstRequest),
    'the second request',
  );
  expect((await followLink(taskLinkIn(secondRequest), { answer: { answer: 'confirm' } })).status).toBe(200);
  const confirmed = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(confirmed.body).toEqual({
    ...second.body,
    state: 'CONFIRMED',
    confirmedAt: expect.stringMatching(/^2023-11-01T.*\+08:00$/),
    decisionJob: expect.objectContaining({ kind: 'award-decisions', total: 1 }),
  });
}, 240_000);

test('each expert’s load in a call: the places the round gave them against their cap, page by page', async () => {
  const staff = await api.staffToken();
  const whole = await api.request('GET', `/experts?limit=500&callId=${CALL}`, { token: staff });
  expect(whole.status).toBe(200);
  type Loaded = { expertId: string; maxLoad: number; load: { assigned: number; max: number } };
  const experts: Loaded[] = whole.body.experts;
  for (const expert of experts) expect(expert.load).toEqual({ assigned: expect.any(Number), max: expert.maxLoad });
  // The one application of the round above has its panel: every place is counted once.
  expect(experts.reduce((n, e) => n + e.load.assigned, 0)).toBe(call().review.expertsPerApplication);

  const paged: Loaded[] = [];
  let after: string | undefined;
  do {
    const page = await api.request('GET', `/experts?limit=7&callId=${CALL}${after ? `&after=${after}` : ''}`, {
      token: staff,
    });
    paged.push(...page.body.experts);
    after = page.body.next;
  } while (after);
  expect(paged).toEqual(experts);

  expect((await api.request('GET', '/experts?callId=no-such-call', { token: staff })).status).toBe(404);
  const plain = await api.request('GET', '/experts?limit=5', { token: staff });
  for (const expert of plain.body.experts) expect(expert).not.toHaveProperty('load');
});

const SOCIETY = 'staff-records-society';

test('the member units: staff page through every one exactly once, a registered one among them; units may not', async () => {
  const staff = await api.staffToken();
  const registered = await api.request('PUT', `/units/${SOCIETY}`, {
    token: staff,
    body: { name: { zh: '测试记录学会', en: 'Staff Records Society' }, email: `office@${SOCIETY}.example.org` },
  });
  expect(registered.status).toBe(200);

  const seen: { unitId: string }[] = [];
  let after: string | undefined;
  do {
    const page = await api.request('GET', `/units?limit=3${after ? `&after=${after}` : ''}`, { token: staff });
    expect(page.status).toBe(200);
    expect(page.body.units.length).toBeLessThanOrEqual(3);
    seen.push(...page.body.units);
    after = page.body.next;
  } while (after);
  const ids = seen.map((u) => u.unitId);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  expect(ids).toEqual(expect.arrayContaining([...seededUnits.map((u) => u.unitId), SOCIETY]));
  // Each is its profile as PUT /units/{unitId} answers it, with its standing.
  expect(seen.find((u) => u.unitId === SOCIETY)).toEqual(registered.body);
  expect(seen.find((u) => u.unitId === 'gd-civil-architecture-society')).toMatchObject({
    barred: true,
    barredReason: expect.stringContaining('2023'),
  });

  const unit = await api.unitToken('gd-physics-society');
  expect((await api.request('GET', '/units', { token: unit })).status).toBe(403);
  expect((await api.request('GET', `/units/${SOCIETY}`, { token: unit })).status).toBe(403);
  for (const limit of ['0', '201', 'ten']) {
    const bad = await api.request('GET', `/units?limit=${limit}`, { token: staff });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.limit']);
  }
});

test('one unit: its profile, a bar staff set with its reason in the log, and its standing per call', async () => {
  const staff = await api.staffToken('head.office@gdast.example.org');
  const reason = '未按要求提交2023年度项目总结报告';
  expect(
    (await api.request('PUT', `/units/${SOCIETY}/standing`, { token: staff, body: { barred: true, reason } })).status,
  ).toBe(200);
  const read = await api.request('GET', `/units/${SOCIETY}`, { token: staff });
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({
    unitId: SOCIETY,
    name: { zh: '测试记录学会', en: 'Staff Records Society' },
    email: `office@${SOCIETY}.example.org`,
    barred: true,
    barredReason: reason,
    standingLog: [{ barred: true, reason, by: expect.any(String), at: expect.stringMatching(/\+08:00$/) }],
    standing: {
      barred: true,
      staffBar: { reason, by: expect.any(String), at: expect.stringMatching(/\+08:00$/) },
      // Nothing owed from 2024: the reports bar it from no call; staff's bar bars it from every one.
      calls: [
        { callId: 'gdast-2025', previousCallId: 'gdast-2024', barred: false, reasons: [], breaches: [], lifted: [] },
      ],
    },
  });
  expect((await api.request('GET', '/units/no-such-society', { token: staff })).status).toBe(404);
});
