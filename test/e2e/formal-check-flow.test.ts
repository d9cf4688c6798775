import { CLOCK_START, useLocalStack } from '../support/e2e';
import { example, shortForum } from '../support/fixtures';

const stack = useLocalStack({ resetClockAfterEach: true });
const { api } = stack;

const executionStatus = async (id: string) => (await stack.finished(id)).status;

test('an application short of the rules is returned with every reason, amended, and then passes', async () => {
  const token = await api.unitToken('correction-unit');
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body: shortForum() });
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId;

  const returned = await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
  const reasons = returned.formalCheck.reasons.map((reason: { requirementId: string }) => reason.requirementId);
  expect(reasons.sort()).toEqual([
    'max-3-consecutive-days',
    'offline-attendance-200',
    'performance-targets-complete',
    'venue-in-guangdong',
  ]);

  const email = await stack.email((e) => e.subject.includes('退回修改') && e.body.text?.includes(id));
  expect(email.body.text).toContain('150');
  expect(email.body.text).toContain('Offline attendance');

  // Amending with the same shortfalls returns it again; fixing them passes.
  const fixed = example('lingnan-forum');
  const amended = await api.request('PUT', `/applications/${id}`, { token, body: fixed });
  expect(amended.status).toBe(200);
  const passed = await api.waitForStatus(token, id, 'FORMAL_CHECK_PASSED');
  expect(passed.formalCheck.passed).toBe(true);
  expect(passed.version).toBe(2);
  // The staff tasks may already have opened after these (their entries follow).
  expect(passed.history.map((h: { stage: string; result: string }) => `${h.stage}:${h.result}`).slice(0, 6)).toEqual([
    'Submission:SUBMITTED',
    'Receipt:RECEIPT_SENT',
    'FormalCheck:FAILED',
    'Correction:RETURNED_FOR_CORRECTION',
    'Amendment:AMENDED',
    'FormalCheck:PASSED',
  ]);
  // Passed: the workflow goes on to the staff formal review and the paper copy, and waits on them.
  expect((await stack.waitingOnStaff(id)).status).toBe('RUNNING');
  // Once passed, the form is frozen.
  const late = await api.request('PUT', `/applications/${id}`, { token, body: fixed });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('NOT_AMENDABLE');
});

test('an application still short at the deadline is rejected, and amendments are refused with 410', async () => {
  const token = await api.unitToken('deadline-correction-unit');
  const id = (await api.request('POST', '/calls/gdast-2024/applications', { token, body: shortForum() })).body
    .applicationId;
  await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');

  await api.setClock('2023-09-26T00:00:00+08:00', true); // the sweep runs on every clock change
  const rejected = await api.waitForStatus(token, id, 'REJECTED');
  expect(rejected.outcome.result).toBe('REJECTED');
  expect(await executionStatus(id)).toBe('SUCCEEDED');
  const email = await stack.email((e) => e.subject.includes('不予受理') && e.body.text?.includes(id));
  // To the unit's registered address only (the form's contact is another address, and no recipient).
  expect(email.destination.to).toEqual(['office@deadline-correction-unit.example.org']);
  expect((email.destination as { cc?: string[] }).cc ?? []).toEqual([]);

  const amend = await api.request('PUT', `/applications/${id}`, { token, body: example('lingnan-forum') });
  expect(amend.status).toBe(410);
  expect(amend.body.error.code).toBe('DEADLINE_PASSED');
});

test('withdrawing a returned application ends its workflow as Withdrawn and frees the slot', async () => {
  const token = await api.unitToken('withdraw-returned-unit');
  const id = (await api.request('POST', '/calls/gdast-2024/applications', { token, body: shortForum() })).body
    .applicationId;
  await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
  expect((await api.request('POST', `/applications/${id}/withdraw`, { token })).status).toBe(200);
  expect(await executionStatus(id)).toBe('SUCCEEDED');
  const final = (await api.request('GET', `/applications/${id}`, { token })).body;
  expect(final.status).toBe('WITHDRAWN');
  // The forum slot (1 per unit) is free again.
  expect(
    (await api.request('POST', '/calls/gdast-2024/applications', { token, body: example('lingnan-forum') })).status,
  ).toBe(201);
});

test('an amendment in the last second before the deadline is taken and checked; one second later it is refused', async () => {
  const token = await api.unitToken('last-second-unit');
  const id = (await api.request('POST', '/calls/gdast-2024/applications', { token, body: shortForum() })).body
    .applicationId;
  await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
  await api.setClock('2023-09-25T23:59:59+08:00', true);
  expect((await api.request('PUT', `/applications/${id}`, { token, body: example('lingnan-forum') })).status).toBe(200);
  await api.waitForStatus(token, id, 'FORMAL_CHECK_PASSED');

  const other = await api.unitToken('one-second-late-unit');
  await api.setClock(CLOCK_START);
  const lateId = (await api.request('POST', '/calls/gdast-2024/applications', { token: other, body: shortForum() }))
    .body.applicationId;
  await api.waitForStatus(other, lateId, 'RETURNED_FOR_CORRECTION');
  await api.setClock('2023-09-26T00:00:00+08:00', true);
  const late = await api.request('PUT', `/applications/${lateId}`, { token: other, body: example('lingnan-forum') });
  expect(late.status).toBe(410);
  expect(late.body.error.code).toBe('DEADLINE_PASSED');
});

test('a unit whose returned application is still uncorrected is reminded 3 days and 1 day before the deadline, once each', async () => {
  const token = await api.unitToken('reminded-unit');
  const id = (await api.request('POST', '/calls/gdast-2024/applications', { token, body: shortForum() })).body
    .applicationId;
  await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
  const reminders = async () =>
    (await stack.emails()).filter((e) => e.subject.includes('修改提醒') && e.body.text?.includes(id));

  await api.setClock('2023-09-22T23:00:00+08:00', true); // 73 hours before: too early
  expect(await reminders()).toHaveLength(0);
  await api.setClock('2023-09-23T01:00:00+08:00', true); // 71 hours before
  await api.setClock('2023-09-23T02:00:00+08:00', true); // and again: no second 3-day reminder
  expect(await reminders()).toHaveLength(1);
  await api.setClock('2023-09-25T01:00:00+08:00', true); // 23 hours before
  const both = await reminders();
  expect(both).toHaveLength(2);
  expect(both[0].body.text).toContain('2023年9月25日 24时');
  expect(both[0].body.text).toContain('线下参会人数');
  // To the unit's registered address only (the form's contact is another address, and no recipient).
  expect(both[0].destination.to).toEqual(['office@reminded-unit.example.org']);
  expect((both[0].destination as { cc?: string[] }).cc ?? []).toEqual([]);

  // Corrected: no more reminders, and the 1-day one is not sent for a new version.
  expect((await api.request('PUT', `/applications/${id}`, { token, body: example('lingnan-forum') })).status).toBe(200);
  await api.waitForStatus(token, id, 'FORMAL_CHECK_PASSED');
  await api.setClock('2023-09-25T12:00:00+08:00', true);
  expect(await reminders()).toHaveLength(2);
});
