import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually, type StoredEmail } from '../support/local';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * The staff stages through HTTP and the local email page only: staff read the links out of their
 * emails, as a person would, and the unit reads what it is told.
 */
const stack = useLocalStack({ resetClockAfterEach: true });
const { api } = stack;

const CONTACT = 'dengmei@gdast.example.org'; // the Lingnan forum's contact in the call data
const mailTo = (address: string, subjectPart: string, applicationId: string) => (email: StoredEmail) =>
  email.destination.to.includes(address) &&
  email.subject.includes(subjectPart) &&
  (email.body.text ?? '').includes(applicationId);

let registered = 0;
/** A new member society, registered by staff as the association would (PUT /units/{unitId}). */
async function newMember(): Promise<string> {
  const unitId = `staff-review-unit-${++registered}`;
  const answer = await api.request('PUT', `/units/${unitId}`, {
    token: await api.staffToken(),
    body: {
      name: { zh: `测试学会${registered}`, en: `Test Society ${registered}` },
      email: `office@${unitId}.example.org`,
    },
  });
  expect(answer.status).toBe(200);
  return unitId;
}

async function submitForum(unitId?: string): Promise<{ token: string; applicationId: string; unitId: string }> {
  unitId ??= await newMember();
  const token = await api.unitToken(unitId);
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', {
    token,
    body: example('lingnan-forum'),
  });
  expect(submitted.status).toBe(201);
  await api.waitForStatus(token, submitted.body.applicationId, 'FORMAL_CHECK_PASSED');
  return { token, applicationId: submitted.body.applicationId, unitId };
}

const staffLink = async (applicationId: string, task: '形式审查' | '纸质' | '绩效目标审核') =>
  taskLinkIn(await stack.email(mailTo(CONTACT, task, applicationId), `the ${task} task email`));

test('formal review passed, paper copy received, targets passed: the application is ready for expert review', async () => {
  const { token, applicationId } = await submitForum('gd-physics-society');
  const review = await staffLink(applicationId, '形式审查');
  const paper = await staffLink(applicationId, '纸质');

  // Reading a link changes nothing; the JSON names the task and what it takes.
  const read = await followLink(review);
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({
    kind: 'formal-review',
    state: 'OPEN',
    applicationId,
    answers: ['pass', 'return', 'reject'],
  });
  expect((await followLink(review, { html: true })).body).toContain('形式审查');

  expect((await followLink(review, { answer: { answer: 'pass' } })).body).toEqual({
    taskId: read.body.taskId,
    state: 'DONE',
    answer: expect.objectContaining({ answer: 'pass' }),
  });
  expect((await followLink(review, { answer: { answer: 'pass' } })).status).toBe(409);

  await stack.setClock('2023-09-27T10:00:00+08:00');
  const received = await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-27' } });
  expect(received.status).toBe(200);

  await api.waitForStatus(token, applicationId, 'FORMAL_REVIEW_PASSED');
  const targets = await staffLink(applicationId, '绩效目标审核');
  expect((await followLink(targets)).body.application.performanceTargets).toBeDefined();
  expect((await followLink(targets, { answer: { answer: 'pass' } })).status).toBe(200);
  const ready = await api.waitForStatus(token, applicationId, 'READY_FOR_EXPERT_REVIEW');
  expect(ready.paperCopy).toEqual(expect.objectContaining({ receivedOn: '2023-09-27' }));
  expect(ready.formalReview).toEqual(expect.objectContaining({ answer: 'pass' }));
  expect(ready.targetReview).toEqual(expect.objectContaining({ answer: 'pass' }));

  // The unit was told each step, at its registered address with the form's contact in copy.
  const unitMail = (await stack.emails()).filter(
    (e) => (e.body.text ?? '').includes(applicationId) && e.destination.to.includes('office@gd-physics.example.org'),
  );
  expect(unitMail.map((e) => e.subject).join('\n')).toMatch(/形式审查通过[\s\S]*纸质/);
  // Staff see every email on the application.
  const staff = await api.staffToken();
  const templates = await eventually(async () => {
    const logged = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body.emails.map(
      (e: { template: string }) => e.template,
    );
    return logged.includes('target-review-passed') ? logged : undefined;
  });
  expect(templates).toEqual(
    expect.arrayContaining([
      'receipt',
      'formal-check-passed',
      'formal-review-request',
      'paper-copy-request',
      'target-review-request',
      'target-review-passed',
    ]),
  );
});

test('staff return the application with reasons; the unit corrects it; the check and the staff review run again', async () => {
  const { token, applicationId, unitId } = await submitForum();
  const review = await staffLink(applicationId, '形式审查');
  // A return without reasons is refused and changes nothing.
  const bare = await followLink(review, { answer: { answer: 'return' } });
  expect(bare.status).toBe(400);
  expect(bare.body.error.details.map((d: { path: string }) => d.path)).toEqual(['reasons']);
  expect((await followLink(review)).body.state).toBe('OPEN');

  // The page's own form: reasons one per line, and a correction date.
  const returned = await followLink(review, {
    form: { answer: 'return', reasons: '预算明细不清\n缺少合作单位盖章', correctionDueOn: '2023-09-30' },
  });
  expect(returned.status).toBe(200);
  expect(returned.contentType).toContain('text/html');
  const record = await api.waitForStatus(token, applicationId, 'RETURNED_FOR_CORRECTION');
  expect(record.staffReturn).toEqual(expect.objectContaining({ reasons: ['预算明细不清', '缺少合作单位盖章'] }));
  const told = await stack.email(mailTo(`office@${unitId}.example.org`, '退回', applicationId), 'the return email');
  expect(told.body.text).toContain('预算明细不清');
  expect(told.body.text).toContain('2023年9月30日');

  // After the online deadline, but before the date staff set, the unit may still correct it.
  await stack.setClock('2023-09-27T09:00:00+08:00');
  const amended = await api.request('PUT', `/applications/${applicationId}`, {
    token,
    body: { ...example('lingnan-forum'), title: '2024岭南科学论坛（修改稿）' },
  });
  expect(amended.status).toBe(200);
  await api.waitForStatus(token, applicationId, 'FORMAL_CHECK_PASSED');

  // A second round of review: a new link; the first one no longer works.
  const second = await eventually(async () => {
    const links = (await stack.emails()).filter(mailTo(CONTACT, '形式审查', applicationId)).map(taskLinkIn);
    return links.find((link) => link !== review);
  });
  expect((await followLink(review, { answer: { answer: 'pass' } })).status).toBe(409);
  expect((await followLink(second, { answer: { answer: 'pass' } })).status).toBe(200);
  const after = await eventually(async () => {
    const read = (await api.request('GET', `/applications/${applicationId}`, { token })).body;
    return read.formalReview?.round === 2 ? read : undefined;
  });
  expect(after.formalReview).toEqual(expect.objectContaining({ answer: 'pass', round: 2 }));
});

test('staff reject: the application is rejected, the unit told why, and the paper-copy link stops working', async () => {
  const { token, applicationId, unitId } = await submitForum();
  const review = await staffLink(applicationId, '形式审查');
  const paper = await staffLink(applicationId, '纸质');
  expect(
    (await followLink(review, { answer: { answer: 'reject', reasons: ['申报单位非本年度申报范围'] } })).status,
  ).toBe(200);
  const rejected = await api.waitForStatus(token, applicationId, 'REJECTED');
  expect(rejected.outcome.reason).toContain('申报单位非本年度申报范围');
  const told = await stack.email(
    mailTo(`office@${unitId}.example.org`, '不予受理', applicationId),
    'the rejection email',
  );
  expect(told.body.text).toContain('申报单位非本年度申报范围');
  await eventually(async () => ((await followLink(paper)).body.state === 'CANCELLED' ? true : undefined));
  const late = await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-01' } });
  expect(late.status).toBe(410);
  expect(late.body.error.code).toBe('LINK_EXPIRED');
});

test('target review fail excludes the application, with the reasons kept and emailed', async () => {
  const { token, applicationId, unitId } = await submitForum();
  await followLink(await staffLink(applicationId, '形式审查'), { answer: { answer: 'pass' } });
  await followLink(await staffLink(applicationId, '纸质'), {
    answer: { answer: 'received', receivedOn: '2023-09-01' },
  });
  await api.waitForStatus(token, applicationId, 'FORMAL_REVIEW_PASSED');
  const targets = await staffLink(applicationId, '绩效目标审核');
  expect((await followLink(targets, { answer: { answer: 'fail' } })).status).toBe(400);
  expect((await followLink(targets, { answer: { answer: 'maybe', reasons: ['x'] } })).status).toBe(400);
  expect(
    (await followLink(targets, { answer: { answer: 'fail', reasons: ['产出指标与项目内容不匹配'] } })).status,
  ).toBe(200);
  const excluded = await api.waitForStatus(token, applicationId, 'REJECTED');
  expect(excluded.targetReview).toEqual(
    expect.objectContaining({ answer: 'fail', reasons: ['产出指标与项目内容不匹配'] }),
  );
  const told = await stack.email(
    mailTo(`office@${unitId}.example.org`, '绩效目标', applicationId),
    'the exclusion email',
  );
  expect(told.body.text).toContain('产出指标与项目内容不匹配');
});

test('links: a forged or missing signature is 403, a reused one 409, and neither changes anything', async () => {
  const { applicationId } = await submitForum();
  const review = await staffLink(applicationId, '形式审查');
  const forged = review.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  expect((await followLink(forged)).status).toBe(403);
  expect((await followLink(forged, { answer: { answer: 'reject', reasons: ['x'] } })).body.error.code).toBe(
    'LINK_INVALID',
  );
  expect((await followLink(review.replace(/\?sig=.*/, ''), { answer: { answer: 'pass' } })).status).toBe(403);
  expect((await followLink(review.replace(/tasks\/[^?]+/, 'tasks/AAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(404);
  // The forged page is a page too, for a person who tapped it.
  const page = await followLink(forged, { html: true });
  expect(page.contentType).toContain('text/html');
  expect(page.body).toContain('LINK_INVALID');
  expect((await followLink(review)).body.state).toBe('OPEN');
});

describe('the paper copy (纸质材料, by 2023-09-28; 逾期不予受理)', () => {
  test('recorded late, within the grace period, with an on-time date: accepted; with a late date: refused (400)', async () => {
    const { token, applicationId } = await submitForum();
    const paper = await staffLink(applicationId, '纸质');
    await stack.setClock('2023-09-30T10:00:00+08:00');
    const late = await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-29' } });
    expect(late.status).toBe(400);
    expect(late.body.error.details).toEqual([
      expect.objectContaining({ path: 'receivedOn', code: 'AFTER_PAPER_DEADLINE' }),
    ]);
    expect((await followLink(paper)).body.state).toBe('OPEN');
    expect((await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-28' } })).status).toBe(200);
    await eventually(async () =>
      (await api.request('GET', `/applications/${applicationId}`, { token })).body.paperCopy?.receivedOn ===
      '2023-09-28'
        ? true
        : undefined,
    );
  });

  test('never recorded: rejected when the grace period ends, and the unit is told', async () => {
    const { token, applicationId, unitId } = await submitForum();
    const paper = await staffLink(applicationId, '纸质');
    await stack.setClock('2023-10-01T23:00:00+08:00'); // still within the 3-day grace
    expect((await api.request('GET', `/applications/${applicationId}`, { token })).body.status).toBe(
      'FORMAL_CHECK_PASSED',
    );
    await stack.setClock('2023-10-02T00:00:01+08:00');
    const rejected = await api.waitForStatus(token, applicationId, 'REJECTED');
    expect(rejected.outcome.reason).toContain('paper copy');
    await stack.email(mailTo(`office@${unitId}.example.org`, '不予受理', applicationId), 'the rejection email');
    expect((await followLink(paper, { answer: { answer: 'received', receivedOn: '2023-09-28' } })).status).toBe(410);
  });

  test('staff record a stack of envelopes at once, answered per item', async () => {
    const first = await submitForum();
    const second = await submitForum();
    await followLink(await staffLink(second.applicationId, '纸质'), {
      answer: { answer: 'received', receivedOn: '2023-09-01' },
    });
    const staff = await api.staffToken();
    const bulk = await api.request('POST', '/calls/gdast-2024/paper-copies', {
      token: staff,
      body: {
        received: [
          { applicationId: first.applicationId, receivedOn: '2023-09-01' },
          { applicationId: second.applicationId, receivedOn: '2023-09-01' },
          { applicationId: '00000000-0000-4000-8000-000000000000', receivedOn: '2023-09-01' },
          { applicationId: first.applicationId, receivedOn: 'yesterday' },
        ],
      },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.recorded).toBe(1);
    expect(bulk.body.results.map((r: { status: number }) => r.status)).toEqual([200, 409, 404, 409]);
    await eventually(async () =>
      (await api.request('GET', `/applications/${first.applicationId}`, { token: first.token })).body.paperCopy
        ? true
        : undefined,
    );
    // Only staff may record paper copies.
    expect(
      (await api.request('POST', '/calls/gdast-2024/paper-copies', { token: first.token, body: { received: [] } }))
        .status,
    ).toBe(403);
    expect((await api.request('POST', '/calls/gdast-2024/paper-copies', { token: staff, body: {} })).status).toBe(400);
  });
});

describe('reminders and lists', () => {
  test('the sweep reminds once per reminder, however often it runs; an overdue staff task copies the department head', async () => {
    const { applicationId } = await submitForum();
    await staffLink(applicationId, '形式审查'); // the tasks are open
    await staffLink(applicationId, '纸质');
    const count = async (subjectPart: string, to?: string) =>
      (await stack.emails()).filter(
        (e) =>
          e.subject.includes(subjectPart) &&
          (e.body.text ?? '').includes(applicationId) &&
          (!to || e.destination.to.includes(to)),
      ).length;
    // The formal review is due 3 days after it opened (call data); a day before, its assignee is reminded.
    for (const instant of ['2023-09-03T10:00:00+08:00', '2023-09-03T10:00:00+08:00', '2023-09-03T11:00:00+08:00'])
      await stack.setClock(instant);
    await eventually(async () => ((await count('提醒', CONTACT)) >= 1 ? true : undefined));
    expect(await count('形式审查', CONTACT)).toBe(2); // the request and one reminder
    // Overdue: reminded daily, with the department head copied; never rejected for staff being busy.
    await stack.setClock('2023-09-04T10:00:00+08:00');
    await stack.setClock('2023-09-04T10:00:00+08:00');
    const overdue = await stack.email(
      (e) => e.subject.includes('逾期') && (e.body.text ?? '').includes(applicationId),
      'the overdue reminder',
    );
    expect((overdue.destination as { cc?: string[] }).cc ?? []).toContain('xueshubu-head@gdast.example.org');
    expect(await count('逾期')).toBe(1);
    await stack.setClock('2023-09-05T10:00:00+08:00');
    await eventually(async () => ((await count('逾期')) === 2 ? true : undefined));
    // The unit is reminded of its paper copy 3 days and 1 day before the deadline, once each.
    for (const instant of [
      '2023-09-26T08:00:00+08:00',
      '2023-09-26T09:00:00+08:00',
      '2023-09-28T08:00:00+08:00',
      '2023-09-28T09:00:00+08:00',
    ])
      await stack.setClock(instant);
    await eventually(
      async () => ((await count('纸质材料提醒')) === 2 ? true : undefined),
      10_000,
      'two paper-copy reminders',
    );
    expect(await count('纸质材料提醒')).toBe(2);
    const { token } = await api.staffToken().then((t) => ({ token: t }));
    expect((await api.request('GET', `/applications/${applicationId}`, { token })).body.status).toBe(
      'FORMAL_CHECK_PASSED',
    );
  });

  test('staff see their open tasks (GET /staff/tasks), so a lost email is not a lost task', async () => {
    const { applicationId } = await submitForum();
    const asJson = { accept: 'application/json' };
    const mine = await api.request('GET', '/staff/tasks', { token: await api.staffToken(CONTACT), headers: asJson });
    expect(mine.status).toBe(200);
    const ofThis = mine.body.tasks.filter((t: { link: string; title: string }) => t.title && t.link) as {
      kind: string;
      link: string;
    }[];
    expect(ofThis.length).toBeGreaterThanOrEqual(2);
    const review =
      ofThis.find((t) => t.kind === 'formal-review' && t.link === undefined) ??
      ofThis.find((t) => t.kind === 'formal-review');
    // Each task says what it is in words, for a client that lists them (the web app).
    expect(review).toMatchObject({ kindTitle: { zh: expect.stringContaining('形式审查'), en: expect.any(String) } });
    expect((await followLink(review!.link)).status).toBe(200);
    const page = await fetch(`${stack.urls.api}/staff/tasks`, {
      headers: { authorization: `Bearer ${await api.staffToken(CONTACT)}`, accept: 'text/html' },
    });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(applicationId.slice(0, 0) + '形式审查');
    // Another staff member sees none of these.
    const other = await api.request('GET', '/staff/tasks', {
      token: await api.staffToken('someone-else@gdast.example.org'),
      headers: asJson,
    });
    expect(other.body.tasks).toEqual([]);
  });
});

test('only member societies may apply: 403 NOT_A_MEMBER, and nothing is stored', async () => {
  const token = await api.tokenFor('not-a-member-society');
  const refused = await api.request('POST', '/calls/gdast-2024/applications', {
    token,
    body: example('lingnan-forum'),
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('NOT_A_MEMBER');
  expect((await api.request('GET', '/units/me/applications', { token })).body.applications ?? []).toEqual([]);
  // Registering a unit is staff work, and names every bad field.
  expect((await api.request('PUT', '/units/not-a-member-society', { token, body: {} })).status).toBe(403);
  const bad = await api.request('PUT', '/units/Bad_Id', {
    token: await api.staffToken(),
    body: { name: { zh: '' }, email: 'nope' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(['unitId', 'name.zh', 'name.en', 'email']),
  );
});

test('ten staff taps on one link at once: exactly one answer is taken, the others get 409, and the unit is told once', async () => {
  const { token, applicationId, unitId } = await submitForum();
  const review = await staffLink(applicationId, '形式审查');
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      followLink(review, { answer: i % 2 ? { answer: 'pass' } : { answer: 'return', reasons: [`理由${i}`] } }),
    ),
  );
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  const taken = answers.find((a) => a.status === 200)!.body.answer.answer;
  if (taken === 'return') {
    await api.waitForStatus(token, applicationId, 'RETURNED_FOR_CORRECTION');
    await stack.email(mailTo(`office@${unitId}.example.org`, '退回', applicationId), 'the return email');
    expect((await stack.emails()).filter(mailTo(`office@${unitId}.example.org`, '退回', applicationId))).toHaveLength(
      1,
    );
  } else {
    await eventually(async () =>
      (await api.request('GET', `/applications/${applicationId}`, { token })).body.formalReview ? true : undefined,
    );
  }
  const decided = (await api.request('GET', `/applications/${applicationId}`, { token })).body;
  expect(decided.formalReview.answer).toBe(taken);
  expect(
    decided.history.filter(
      (e: { stage: string; result: string }) => e.stage === 'StaffFormalReview' && e.result !== 'TASK_OPENED',
    ),
  ).toHaveLength(1);
});
