import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { eventually } from '../support/local';

/**
 * A forum's reports are due from the forum's own end, which the form plans and the forum may move:
 * through HTTP, a forum without its date is refused at submission and amendment; once awarded, its
 * unit records the real dates, the reports are due from the real end, and the old due date passing
 * makes nothing overdue (the sweep's reminders follow the new date, the week-before one sent again).
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const FORUM_UNIT = 'gd-physics-society';
const FORUM_OFFICE = 'office@gd-physics.example.org';
let forum: { token: string; applicationId: string };

const withoutForumDate = () => {
  const body = example('lingnan-forum');
  delete body.details.startDate;
  return body;
};
const dueDates = async () => {
  const mine = await api.request('GET', '/units/me/obligations', { token: forum.token });
  expect(mine.status).toBe(200);
  return Object.fromEntries((mine.body.obligations as { kind: string }[]).map((o) => [o.kind, o])) as Record<
    string,
    Record<string, unknown>
  >;
};
const overdue = async () => {
  const list = await api.request('GET', `/calls/${CALL}/obligations?state=overdue`, { token: await api.staffToken() });
  expect(list.status).toBe(200);
  return list.body.rows as { applicationId: string; kind: string; dueOn: string; daysOverdue: number }[];
};
const statisticsReminders = async () =>
  (await stack.emails()).filter(
    (e) =>
      e.destination.to.includes(FORUM_OFFICE) && e.subject.startsWith('【报告提醒】') && e.subject.includes('统计'),
  );
const missedNotices = async () =>
  (await stack.emails()).filter(
    (e) =>
      e.destination.to.includes(FORUM_OFFICE) && e.subject.startsWith('【报告逾期】') && e.subject.includes('统计'),
  );

test('a forum without its date is refused at submission and amendment, naming details.startDate', async () => {
  const token = await api.unitToken(FORUM_UNIT);
  const refused = await api.request('POST', `/calls/${CALL}/applications`, { token, body: withoutForumDate() });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details).toEqual([
    expect.objectContaining({ path: 'details.startDate', code: 'REQUIRED' }),
  ]);

  const submitted = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') });
  expect(submitted.status).toBe(201);
  forum = { token, applicationId: submitted.body.applicationId };
  const amended = await api.request('PUT', `/applications/${forum.applicationId}`, { token, body: withoutForumDate() });
  expect(amended.status).toBe(400);
  expect(amended.body.error.details).toEqual([
    expect.objectContaining({ path: 'details.startDate', code: 'REQUIRED' }),
  ]);
});

test('an awarded forum that moves: its unit records the real dates, and the reports are due from the real end', async () => {
  await awardThrough(api, () => stack.emails(), [forum]);
  // As planned: the forum 2024-10-18 for 2 days.
  expect((await dueDates())['forum-statistics']).toMatchObject({ fromDate: '2024-10-19', dueOn: '2024-10-26' });

  const record = (body: unknown, token = forum.token) =>
    api.request('PUT', `/applications/${forum.applicationId}/forum-dates`, { token, body });
  const bad = await record({ startDate: '2024-11-31', endDate: 'late November' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['endDate', 'startDate']);
  const backwards = await record({ startDate: '2024-11-30', endDate: '2024-11-28' });
  expect(backwards.status).toBe(400);
  expect(backwards.body.error.details).toEqual([
    expect.objectContaining({ path: 'endDate', code: 'END_BEFORE_START' }),
  ]);
  // Another unit cannot move this forum.
  expect(
    (await record({ startDate: '2024-11-28', endDate: '2024-11-30' }, await api.unitToken('gd-chemistry-society')))
      .status,
  ).toBe(404);
  expect((await dueDates())['forum-statistics']).toMatchObject({ dueOn: '2024-10-26' });

  // A week before the planned due date the unit is reminded of it; then the forum moves.
  await stack.setClock('2024-10-20T10:00:00+08:00');
  await eventually(
    async () => ((await statisticsReminders()).length ? true : undefined),
    20_000,
    'the week-before reminder',
  );
  const moved = await record({ startDate: '2024-11-28', endDate: '2024-11-30' });
  expect(moved.status).toBe(200);
  expect(moved.body.forumDates).toEqual({ startDate: '2024-11-28', endDate: '2024-11-30' });
  const owed = await dueDates();
  expect(owed['forum-statistics']).toMatchObject({
    dueFrom: 'forum-end',
    fromDate: '2024-11-30',
    dueOn: '2024-12-07',
    state: 'OPEN',
  });
  expect(owed['development-report']).toMatchObject({
    dueFrom: 'forum-end',
    fromDate: '2024-11-30',
    dueOn: '2024-12-30',
    state: 'OPEN',
  });
  expect(owed.summary).toMatchObject({ state: 'AWAITING_DATE' });
}, 300_000);

test('the old due date passing makes nothing overdue; the new one passing does, and the unit is told once', async () => {
  await stack.setClock('2024-10-27T10:00:00+08:00');
  await stack.setClock('2024-10-27T10:05:00+08:00');
  expect(await overdue()).toEqual([]);
  expect(await missedNotices()).toEqual([]);

  // The new date's week-before reminder is a new one, not the one sent for the old date.
  await stack.setClock('2024-12-01T10:00:00+08:00');
  const reminders = await eventually(
    async () => ((await statisticsReminders()).length === 2 ? await statisticsReminders() : undefined),
    20_000,
    'the new week-before reminder',
  );
  expect(reminders.at(-1)?.subject).toContain('12月7日');

  await stack.setClock('2024-12-08T10:00:00+08:00');
  await stack.setClock('2024-12-08T10:05:00+08:00');
  expect(await overdue()).toEqual([
    expect.objectContaining({
      applicationId: forum.applicationId,
      kind: 'forum-statistics',
      dueOn: '2024-12-07',
      daysOverdue: 1,
    }),
  ]);
  const notices = await eventually(
    async () => ((await missedNotices()).length ? await missedNotices() : undefined),
    20_000,
    'the missed notice',
  );
  expect(notices).toHaveLength(1);
}, 120_000);
