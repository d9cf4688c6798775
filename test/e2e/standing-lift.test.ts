import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { followLink, taskLinksIn } from '../support/task-links';

/**
 * Staff lifting a computed bar (notice rule 4), as a unit and staff would, through HTTP and email
 * links: a unit awarded a forum and a salon in 2024 still owes reports due after the lift (the
 * forum's summary in September, its statistics and development report in October and November).
 * The lift covers what barred the unit when it was given, so the unit applies right after it; a
 * report that was not yet due then and is missed afterwards bars the unit again.
 */
const stack = useLocalStack();
const { api } = stack;
const UNIT = 'gd-physics-society';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let token: string;
let forum: { applicationId: string; title: string };
let salon: { applicationId: string; title: string };

beforeAll(async () => {
  token = await api.unitToken(UNIT);
  const submit = async (typeId: string) => {
    const body = example(typeId);
    const answer = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
    expect(answer.status).toBe(201);
    return { applicationId: answer.body.applicationId as string, title: body.title as string };
  };
  forum = await submit('lingnan-forum');
  salon = await submit('secretary-general-salon');
  await awardThrough(
    api,
    () => stack.emails(),
    [forum, salon].map((app) => ({ token, applicationId: app.applicationId })),
  );
}, 300_000);

const apply2025 = (typeId: string) =>
  api.request('POST', '/calls/gdast-2025/applications', { token, body: example(typeId) });
const lift = async (reason: string) =>
  api.request('PUT', `/units/${UNIT}/standing`, { token: await api.staffToken(), body: { barred: false, reason } });

test('a lift covers what barred the unit then; a report missed afterwards bars it again', async () => {
  const staff = await api.staffToken();
  // The summary reports of 2024 are due on 2024-09-10, inside the 2025 call's window.
  await stack.setClock('2024-08-01T09:00:00+08:00');
  const round = await api.request('POST', '/calls/gdast-2024/reporting-round', {
    token: staff,
    body: { summaryDueOn: '2024-09-10' },
  });
  expect(round.status).toBe(202);

  // The salon's summary is handed in early; staff accept it and find one of its targets not met.
  const obligations = (await api.request('GET', '/units/me/obligations', { token })).body.obligations as {
    applicationId: string;
    kind: string;
    dueOn?: string;
    state: string;
    targets?: { path: string; indicator: string }[];
  }[];
  const salonSummary = obligations.find((o) => o.applicationId === salon.applicationId && o.kind === 'summary')!;
  const targets = salonSummary.targets!;
  const asked = await api.request('POST', `/applications/${salon.applicationId}/reports/summary/attachments`, {
    token,
    body: { fileName: '项目总结报告.pdf', contentType: 'application/pdf', size: PDF.length },
  });
  expect(asked.status).toBe(201);
  expect(
    (await fetch(asked.body.upload.url, { method: 'PUT', headers: asked.body.upload.headers, body: PDF })).status,
  ).toBe(200);
  const handedIn = await api.request('POST', `/applications/${salon.applicationId}/reports/summary`, {
    token,
    body: {
      fields: { summary: '两期沙龙按计划举办。', achieved: targets.map((t) => ({ path: t.path, achieved: '已完成' })) },
      attachments: [{ key: asked.body.key }],
    },
  });
  expect(handedIn.status).toBe(201);
  const request = await stack.email(
    (e) =>
      e.subject.includes('报告') && (e.body.text ?? '').includes(salon.applicationId) && taskLinksIn(e).length === 1,
    'the summary review request',
  );
  const unmet = targets[0];
  const reviewed = await followLink(taskLinksIn(request)[0], {
    answer: { answer: 'accept', targets: Object.fromEntries(targets.map((t) => [t.path, t.path !== unmet.path])) },
  });
  expect(reviewed.status).toBe(200);

  // In the 2025 call's window the unit is barred for the unmet target.
  await stack.setClock('2024-08-20T10:00:00+08:00');
  const barred = await apply2025('secretary-general-salon');
  expect(barred.status).toBe(403);
  expect(barred.body.error.code).toBe('UNIT_BARRED');
  expect(barred.body.error.message).toContain(unmet.indicator);

  // A lift of a computed bar says why.
  const unexplained = await api.request('PUT', `/units/${UNIT}/standing`, { token: staff, body: { barred: false } });
  expect(unexplained.status).toBe(400);
  expect(unexplained.body.error.details).toEqual([expect.objectContaining({ path: 'reason', code: 'REQUIRED' })]);

  // Staff lift it; the log says what the lift covers; the unit applies right after the 200,
  // though its forum still owes reports due after the lift.
  const lifted = await lift('目标未完成系场地原因，经学会学术部核准');
  expect(lifted.status).toBe(200);
  expect(lifted.body.standingLog.at(-1)).toMatchObject({
    barred: false,
    reason: '目标未完成系场地原因，经学会学术部核准',
    at: expect.stringContaining('2024-08-20'),
    lifted: [
      {
        applicationId: salon.applicationId,
        obligationId: 'summary-report',
        rule: 'targets-unmet',
        reason: expect.anything(),
      },
    ],
  });
  const owed = (await api.request('GET', '/units/me/obligations', { token })).body.obligations.filter(
    (o: { applicationId: string; dueOn?: string }) =>
      o.applicationId === forum.applicationId && (o.dueOn ?? '') > '2024-08-20',
  );
  expect(owed.map((o: { kind: string; dueOn: string }) => `${o.kind} ${o.dueOn}`).sort()).toEqual([
    'development-report 2024-11-19',
    'forum-statistics 2024-10-26',
    'summary 2024-09-10',
  ]);
  expect((await apply2025('secretary-general-salon')).status).toBe(201);

  // The forum's summary, not yet due at the lift, is missed: the unit is barred again, for it alone.
  await stack.setClock('2024-09-11T10:00:00+08:00');
  const again = await apply2025('secretary-general-salon');
  expect(again.status).toBe(403);
  expect(again.body.error.code).toBe('UNIT_BARRED');
  expect(again.body.error.message).toContain(forum.title);
  expect(again.body.error.message).toContain('项目总结报告');
  expect(again.body.error.message).not.toContain(salon.title);
  expect(again.body.error.details).toHaveLength(1);

  // Lifted once more, it may apply again.
  expect((await lift('已补交总结报告，经学会学术部核准')).status).toBe(200);
  expect((await apply2025('secretary-general-salon')).status).toBe(201);
}, 120_000);
