import { APPLICATION_STATUSES } from '@shared/domain/application-record';
import { statusesOfStage } from '@shared/domain/status-stages';
import { useLocalStack } from '../support/e2e';
import { example, shortForum } from '../support/fixtures';
import { eventually } from '../support/local';

/**
 * Staff's table of a call's applications (GET /calls/{callId}/applications: filters, paging with an
 * opaque cursor over the sharded status index) and the call's overview (GET /calls/{callId}/overview),
 * over HTTP against the local stack, with 40 applications of 14 units in three statuses.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const TYPES = ['lingnan-forum', 'public-service-capacity', 'lecture-hall', 'secretary-general-salon'];
/** The contact of the forum type: their formal reviews are due within the week. */
const FORUM_CONTACT = 'dengmei@gdast.example.org';

interface Submitted {
  applicationId: string;
  unitId: string;
  typeId: string;
  title: string;
  status: string;
}
const submitted: Submitted[] = [];
let staff = '';

interface Row {
  applicationId: string;
  unitId: string;
  unitName: string;
  projectTypeId: string;
  typeName: { zh: string; en: string };
  title: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** Every row of a listing, page by page, following the cursor; the pages' sizes too. */
async function pageThrough(query: string): Promise<{ rows: Row[]; sizes: number[] }> {
  const rows: Row[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const route = `/calls/${CALL}/applications?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await api.request('GET', route, { token: staff });
    expect(answer.status).toBe(200);
    expect(answer.body.callId).toBe(CALL);
    rows.push(...answer.body.applications);
    sizes.push(answer.body.applications.length);
    cursor = answer.body.cursor;
    if (sizes.length > 200) throw new Error('the cursor never ends');
  } while (cursor);
  return { rows, sizes };
}

/** Status by status (the statuses' order), then newest or oldest first by submission time. */
function inListingOrder(rows: Row[], newestFirst: boolean): string[] {
  const order = (a: Row, b: Row) =>
    APPLICATION_STATUSES.indexOf(a.status as never) - APPLICATION_STATUSES.indexOf(b.status as never) ||
    (newestFirst ? -1 : 1) * `${a.createdAt}#${a.applicationId}`.localeCompare(`${b.createdAt}#${b.applicationId}`);
  return [...rows].sort(order).map((row) => row.applicationId);
}

const ids = (list: { applicationId: string }[]) => list.map((a) => a.applicationId).sort();

beforeAll(async () => {
  staff = await api.staffToken(FORUM_CONTACT);
  // 14 units, 3 applications each but the last (40 in all); each unit at most one forum (its limit).
  const units = Array.from({ length: 14 }, (_, u) => `staff-list-${String(u).padStart(2, '0')}`);
  await Promise.all(
    units.map(async (unitId, u) => {
      const token = await api.unitToken(unitId);
      for (let j = 0; j < (u === 13 ? 1 : 3); j++) {
        const typeId = TYPES[(u + j) % TYPES.length];
        // A few forums miss requirements (returned for correction); some titles share a phrase.
        const returned = typeId === 'lingnan-forum' && u < 3;
        const title = `${j === 1 && u % 3 === 0 ? '海洋科普' : '学术交流'}项目 ${unitId}-${j}`;
        const body = { ...(returned ? shortForum() : example(typeId)), title };
        const answer = await api.submit(token, body);
        expect(answer.status).toBe(201);
        const status = returned ? 'RETURNED_FOR_CORRECTION' : 'FORMAL_CHECK_PASSED';
        submitted.push({ applicationId: answer.body.applicationId, unitId, typeId, title, status });
      }
    }),
  );
  for (const app of submitted) await api.waitForStatus(staff, app.applicationId, app.status, 60_000);
  // Three are withdrawn by their units once the automatic check has passed.
  for (const app of submitted.filter((a) => a.status === 'FORMAL_CHECK_PASSED').slice(0, 3)) {
    const token = await api.tokenFor(app.unitId);
    expect((await api.request('POST', `/applications/${app.applicationId}/withdraw`, { token })).status).toBe(200);
    app.status = 'WITHDRAWN';
    await api.waitForStatus(staff, app.applicationId, 'WITHDRAWN');
  }
}, 300_000);

test('paging with 7 a page gives every application once, newest first and oldest first, with its row', async () => {
  expect(submitted).toHaveLength(40);
  for (const order of ['newest', 'oldest']) {
    const { rows, sizes } = await pageThrough(`limit=7&order=${order}`);
    expect(ids(rows)).toEqual(ids(submitted));
    expect(rows.map((r) => r.applicationId)).toEqual(inListingOrder(rows, order === 'newest'));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
  }
  const { rows } = await pageThrough('limit=7');
  const forum = submitted.find((a) => a.typeId === 'lingnan-forum' && a.status === 'FORMAL_CHECK_PASSED');
  expect(rows.find((r) => r.applicationId === forum?.applicationId)).toEqual({
    applicationId: forum?.applicationId,
    unitId: forum?.unitId,
    unitName: `${forum?.unitId}学会`,
    projectTypeId: 'lingnan-forum',
    typeName: { zh: expect.stringContaining('岭南'), en: expect.any(String) },
    title: forum?.title,
    status: 'FORMAL_CHECK_PASSED',
    createdAt: expect.stringMatching(/\+08:00$/),
    updatedAt: expect.stringMatching(/\+08:00$/),
  });
}, 120_000);

test('a page larger than any shard holds reads past each shard’s DynamoDB pages: all 40 at once, no cursor', async () => {
  const answer = await api.request('GET', `/calls/${CALL}/applications?limit=100`, { token: staff });
  expect(answer.status).toBe(200);
  expect(answer.body.cursor).toBeUndefined();
  expect(ids(answer.body.applications)).toEqual(ids(submitted));
  expect(answer.body.applications.map((r: Row) => r.applicationId)).toEqual(
    inListingOrder(answer.body.applications, true),
  );
  // One status, pages of 30: more than any shard has, fewer than the status.
  const passed = await pageThrough('status=FORMAL_CHECK_PASSED&limit=30&order=oldest');
  expect(passed.sizes[0]).toBe(30);
  expect(ids(passed.rows)).toEqual(ids(submitted.filter((a) => a.status === 'FORMAL_CHECK_PASSED')));
  expect(passed.rows.map((r) => r.applicationId)).toEqual(inListingOrder(passed.rows, false));
}, 120_000);

test('filters by unit, type, status, stage and title give exactly the matching applications', async () => {
  const unitId = 'staff-list-01';
  const cases: [string, (a: Submitted) => boolean][] = [
    [`unitId=${unitId}&limit=2`, (a) => a.unitId === unitId],
    [`unitId=${unitId}&status=FORMAL_CHECK_PASSED`, (a) => a.unitId === unitId && a.status === 'FORMAL_CHECK_PASSED'],
    ['typeId=lecture-hall&limit=3', (a) => a.typeId === 'lecture-hall'],
    ['status=WITHDRAWN', (a) => a.status === 'WITHDRAWN'],
    ['status=RETURNED_FOR_CORRECTION&limit=1', (a) => a.status === 'RETURNED_FOR_CORRECTION'],
    ['stage=formal&limit=2', (a) => statusesOfStage('formal').includes(a.status as never)],
    ['stage=final', (a) => a.status === 'WITHDRAWN'],
    ['stage=review', () => false],
    [`q=${encodeURIComponent('海洋科普')}&limit=2`, (a) => a.title.includes('海洋科普')],
    [
      `q=${encodeURIComponent('海洋')}&typeId=public-service-capacity&stage=staff`,
      (a) => a.title.includes('海洋') && a.typeId === 'public-service-capacity' && a.status === 'FORMAL_CHECK_PASSED',
    ],
  ];
  for (const [query, match] of cases) {
    const { rows } = await pageThrough(query);
    expect({ query, ids: ids(rows) }).toEqual({ query, ids: ids(submitted.filter(match)) });
  }
  expect(submitted.filter((a) => a.title.includes('海洋科普')).length).toBeGreaterThan(2);
}, 120_000);

test('bad parameters are 400 with each named; a unit is refused; an unknown call is 404', async () => {
  const get = (query: string, token = staff, call = CALL) =>
    api.request('GET', `/calls/${call}/applications?${query}`, { token });
  const pathsOf = (answer: { body: { error: { details: { path: string }[] } } }) =>
    answer.body.error.details.map((d) => d.path).sort();

  const bad = await get('limit=0&status=PENDING&cursor=garbled!');
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  expect(pathsOf(bad)).toEqual(['query.cursor', 'query.limit', 'query.status']);
  const both = await get('status=SCORED&stage=review');
  expect(both.status).toBe(400);
  expect(pathsOf(both)).toEqual(['query.stage', 'query.status']);
  expect(pathsOf(await get('limit=101'))).toEqual(['query.limit']);
  expect(pathsOf(await get('typeId=no-such-type'))).toEqual(['query.typeId']);

  // A real cursor, changed by hand or used with other filters, is refused too.
  const first = await get('limit=3');
  const cursor: string = first.body.cursor;
  const tampered = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(cursor, 'base64url').toString()), s: 'NOPE' }),
  ).toString('base64url');
  for (const query of [`limit=3&cursor=${tampered}`, `limit=3&order=oldest&cursor=${cursor}`, 'cursor=AAAA']) {
    const refused = await get(query);
    expect({ query, status: refused.status, paths: pathsOf(refused) }).toEqual({
      query,
      status: 400,
      paths: ['query.cursor'],
    });
  }

  const unit = await api.tokenFor('staff-list-01');
  expect((await get('', unit)).status).toBe(403);
  expect((await api.request('GET', `/calls/${CALL}/overview`, { token: unit })).status).toBe(403);
  expect((await get('', staff, 'no-such-call')).status).toBe(404);
  expect((await api.request('GET', '/calls/no-such-call/overview', { token: staff })).status).toBe(404);
}, 120_000);

test('the overview counts what the list shows, per status and per type, and what falls due', async () => {
  // One paper copy arrives: the others are still missing.
  const withCopy = submitted.find((a) => a.status === 'FORMAL_CHECK_PASSED') as Submitted;
  const recorded = await api.request('POST', `/calls/${CALL}/paper-copies`, {
    token: staff,
    body: { received: [{ applicationId: withCopy.applicationId, receivedOn: '2023-09-01' }] },
  });
  expect(recorded.status).toBe(200);
  await eventually(
    async () => (await api.request('GET', `/applications/${withCopy.applicationId}`, { token: staff })).body.paperCopy,
    20_000,
    'the paper copy recorded',
  );

  const overview = (await api.request('GET', `/calls/${CALL}/overview`, { token: staff })).body;
  const { rows } = await pageThrough('limit=100');
  expect(overview.total).toBe(rows.length);
  for (const status of APPLICATION_STATUSES)
    expect({ status, n: overview.byStatus[status] }).toEqual({
      status,
      n: rows.filter((r) => r.status === status).length,
    });
  for (const type of overview.types) {
    const ofType = rows.filter((r) => r.projectTypeId === type.projectTypeId);
    expect({ type: type.projectTypeId, total: type.total }).toEqual({ type: type.projectTypeId, total: ofType.length });
    for (const status of APPLICATION_STATUSES)
      expect(type.byStatus[status]).toBe(ofType.filter((r) => r.status === status).length);
    expect(type).toMatchObject({ awarded: 0, quota: expect.any(Number), typeName: { zh: expect.any(String) } });
    expect(type.unfilled).toBeUndefined();
  }
  expect(overview.dates).toMatchObject({
    submissionDeadline: '2023-09-25T23:59:59.999+08:00',
    paperCopyDeadline: '2023-09-28T23:59:59.999+08:00',
    reviewOpensAt: expect.any(String),
    reviewDeadline: expect.any(String),
  });
  const passed = rows.filter((r) => r.status === 'FORMAL_CHECK_PASSED').length;
  expect(overview.due).toMatchObject({
    paperCopiesMissing: passed - 1,
    paperCopyDueAt: '2023-09-28T23:59:59.999+08:00',
    shortOfScores: 0,
    overdueReports: 0,
  });
  // The forum contact's formal reviews are due within the week (3 days after the check), each with its link.
  const forums = submitted.filter((a) => a.typeId === 'lingnan-forum' && a.status === 'FORMAL_CHECK_PASSED');
  const mine = overview.due.myTasks.filter((t: { kind: string }) => t.kind === 'formal-review');
  expect(mine.map((t: { applicationId: string }) => t.applicationId).sort()).toEqual(ids(forums));
  for (const task of overview.due.myTasks) {
    expect(task).toMatchObject({
      taskId: expect.any(String),
      kindTitle: { zh: expect.any(String), en: expect.any(String) },
    });
    expect(task.link).toMatch(/\/tasks\/.+\?sig=/);
    expect(Date.parse(task.dueAt)).toBeLessThan(Date.parse(overview.due.until));
  }
}, 120_000);
