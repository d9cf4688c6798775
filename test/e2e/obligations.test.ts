import { call, example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { eventually, type StoredEmail } from '../support/local';
import {
  FORUM_DEVELOPMENT_REPORT,
  FORUM_STATISTICS as statistics,
  PDF,
  uploader,
  type ReportingUnit as Unit,
} from '../support/reports';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * After the award, through HTTP, presigned uploads and email links: an awarded forum's reports due
 * from the forum's own end; a PDF uploaded and files refused (wrong type, too big); a returned report
 * handed in again and accepted; the summary reports' round; reminders once each however often the
 * sweep runs; the overdue list; a missed summary report that bars the unit from the 2025 call, a unit
 * with everything accepted applying normally, and staff lifting the bar with a logged reason.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const FORUM_UNIT = 'gd-physics-society';
const SALON_UNIT = 'gd-chemistry-society';
const upload = uploader(api);
let forum: Unit;
let salon: Unit;
/** The longest file name the upload request takes (found by the file name test). */
let longestName: string;

const emailsTo = async (address: string, template: string) =>
  (await stack.emails()).filter(
    (e) =>
      e.destination.to.includes(address) &&
      (e.body.text ?? '').length > 0 &&
      e.subject.length > 0 &&
      matchesTemplate(e, template),
  );
/** Our emails carry their template in the subject's bracket only loosely; the tests match on words the email must say. */
const matchesTemplate = (e: StoredEmail, words: string) =>
  e.subject.includes(words) || (e.body.text ?? '').includes(words);

beforeAll(async () => {
  const submit = async (unitId: string, typeId: string): Promise<Unit> => {
    const token = await api.unitToken(unitId);
    const answer = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example(typeId) });
    expect(answer.status).toBe(201);
    return { token, applicationId: answer.body.applicationId };
  };
  forum = await submit(FORUM_UNIT, 'lingnan-forum');
  salon = await submit(SALON_UNIT, 'secretary-general-salon');
  await awardThrough(api, () => stack.emails(), [forum, salon]);
}, 300_000);

test("an awarded forum owes its statistics a week and its development report a calendar month after the forum's own end", async () => {
  const mine = await api.request('GET', '/units/me/obligations', { token: forum.token });
  expect(mine.status).toBe(200);
  const byKind = Object.fromEntries(
    (mine.body.obligations as { kind: string; dueOn?: string }[]).map((o) => [o.kind, o]),
  );
  // The form's forum runs 2024-10-18 for 2 days: it ends 10-19 (the project itself ends 11-30).
  expect(byKind['forum-statistics']).toMatchObject({
    dueFrom: 'forum-end',
    fromDate: '2024-10-19',
    dueOn: '2024-10-26',
    state: 'OPEN',
  });
  expect(byKind['development-report']).toMatchObject({
    dueFrom: 'forum-end',
    fromDate: '2024-10-19',
    dueOn: '2024-11-19',
    state: 'OPEN',
  });
  expect(byKind.summary).toMatchObject({ dueFrom: 'reporting-round', state: 'AWAITING_DATE' });
  expect(byKind.summary.dueOn).toBeUndefined();
  // The unit was told what it owes.
  await stack.email(
    (e) => e.destination.to.includes('office@gd-physics.example.org') && (e.body.text ?? '').includes('2024年10月26日'),
    'the obligations email',
  );
});

test('files are checked before any URL is signed: a wrong type and a file too big are refused, naming the field', async () => {
  const ask = (body: Record<string, unknown>) =>
    api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics/attachments`, {
      token: forum.token,
      body,
    });
  const exe = await ask({ fileName: 'report.exe', contentType: 'application/x-msdownload', size: 1000 });
  expect(exe.status).toBe(400);
  expect(exe.body.error.details).toEqual([expect.objectContaining({ path: 'contentType', code: 'UNSUPPORTED_TYPE' })]);
  const big = await ask({ fileName: 'scan.pdf', contentType: 'application/pdf', size: 30 * 1024 * 1024 });
  expect(big.status).toBe(400);
  expect(big.body.error.details).toEqual([expect.objectContaining({ path: 'size', code: 'TOO_LARGE' })]);
  // Another unit cannot upload for this application.
  expect(
    (
      await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics/attachments`, {
        token: salon.token,
        body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 },
      })
    ).status,
  ).toBe(404);
  // A report naming a file never uploaded is refused, and nothing changes.
  const ghost = await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics`, {
    token: forum.token,
    body: { fields: statistics, attachments: [{ key: `pending/${forum.applicationId}/forum-statistics/nope/x.pdf` }] },
  });
  expect(ghost.status).toBe(400);
  expect(ghost.body.error.details.map((d: { code: string }) => d.code)).toContain('NOT_UPLOADED');
});

test('a file name that would not make a valid key is refused naming fileName, never a 500; the hand-in holds keys to the same rule', async () => {
  const ask = (fileName: string) =>
    api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics/attachments`, {
      token: forum.token,
      body: { fileName, contentType: 'application/pdf', size: PDF.length },
    });
  // 110 Chinese characters are 990 bytes URL-encoded: with the key's folders, past S3's 1,024.
  for (const [fileName, code] of [
    [`${'请'.repeat(110)}.pdf`, 'TOO_LONG'],
    ['a..pdf', 'INVALID_VALUE'],
    ['..', 'INVALID_VALUE'],
    ['../../reports/v1/x.pdf', 'INVALID_VALUE'],
    ['r\u0000.pdf', 'INVALID_VALUE'],
    ['r\u202efdp.exe.pdf', 'INVALID_VALUE'],
    ['r\ud800.pdf', 'INVALID_VALUE'], // a lone surrogate: no UTF-8 form
  ]) {
    const refused = await ask(fileName);
    expect({ fileName, status: refused.status, details: refused.body.error?.details }).toEqual({
      fileName,
      status: 400,
      details: [expect.objectContaining({ path: 'fileName', code })],
    });
  }

  // The longest Chinese name taken is the one whose key fits; one character more is refused. (The
  // last test uploads, hands in and downloads it.)
  const accepts = async (n: number) => {
    const answer = await ask(`${'请'.repeat(n)}.pdf`);
    expect([201, 400]).toContain(answer.status);
    return answer;
  };
  let [low, high] = [1, 110]; // taken, refused
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if ((await accepts(middle)).status === 201) low = middle;
    else high = middle;
  }
  const longest = await accepts(low);
  expect(longest.status).toBe(201);
  expect(Buffer.byteLength(longest.body.key)).toBeLessThanOrEqual(1024);
  expect(Buffer.byteLength(longest.body.key)).toBeGreaterThan(1024 - 9 - 20); // a character less than the limit, and the room kept for the move to reports/
  expect((await accepts(low + 1)).body.error.details).toEqual([
    expect.objectContaining({ path: 'fileName', code: 'TOO_LONG' }),
  ]);
  longestName = `${'请'.repeat(low)}.pdf`;

  // At hand-in, a key the upload request could never have given is refused by the same rule.
  const folder = `pending/${forum.applicationId}/forum-statistics/`;
  const odd = await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics`, {
    token: forum.token,
    body: {
      fields: statistics,
      attachments: [
        { key: `${folder}x/${'a'.repeat(1100)}.pdf` },
        { key: `${folder}x/r\u0000.pdf` },
        { key: `${folder}x/..` },
        { key: `${folder}x/%E0.pdf` },
      ],
    },
  });
  expect(odd.status).toBe(400);
  expect(odd.body.error.details).toEqual(
    expect.arrayContaining(
      [0, 1, 2, 3].map((i) => expect.objectContaining({ path: `attachments.${i}.key`, code: 'INVALID_VALUE' })),
    ),
  );
  const mine = await api.request('GET', '/units/me/obligations', { token: forum.token });
  expect(mine.body.obligations.find((o: { kind: string }) => o.kind === 'forum-statistics')).toMatchObject({
    state: 'OPEN',
  });
});

test('a report handed in with its PDF, returned by staff with reasons, handed in again and accepted', async () => {
  const key = await upload(forum, 'forum-statistics', '论坛统计.pdf', 'application/pdf', PDF);
  const bad = await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics`, {
    token: forum.token,
    body: { fields: { ...statistics, papers: -1, mediaReports: undefined }, attachments: [{ key }] },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(['fields.papers', 'fields.mediaReports']),
  );

  const handedIn = await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics`, {
    token: forum.token,
    body: { fields: statistics, attachments: [{ key }] },
  });
  expect(handedIn.status).toBe(201);
  expect(handedIn.body.state).toBe('SUBMITTED');
  // Twice: it is with staff now.
  expect(
    (
      await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics`, {
        token: forum.token,
        body: { fields: statistics, attachments: [{ key }] },
      })
    ).status,
  ).toBe(409);

  const request = await stack.email(
    (e) =>
      e.destination.to.includes('dengmei@gdast.example.org') &&
      (e.body.text ?? '').includes(forum.applicationId) &&
      e.subject.includes('报告'),
    'the review request',
  );
  const page = await followLink(taskLinkIn(request), { html: true });
  expect(page.status).toBe(200);
  expect(page.body).toContain('论坛统计.pdf');
  const read = await followLink(taskLinkIn(request));
  expect(read.body).toMatchObject({ kind: 'report-review', state: 'OPEN', answers: ['accept', 'return'] });
  expect((await followLink(taskLinkIn(request), { answer: { answer: 'return' } })).status).toBe(400);
  expect(
    (await followLink(taskLinkIn(request), { answer: { answer: 'return', reasons: ['请补充线上参会人数的统计口径'] } }))
      .status,
  ).toBe(200);
  await stack.email(
    (e) =>
      e.destination.to.includes('office@gd-physics.example.org') &&
      (e.body.text ?? '').includes('请补充线上参会人数的统计口径'),
    'the return email',
  );

  const again = await upload(forum, 'forum-statistics', '论坛统计-修订.pdf', 'application/pdf', PDF);
  const photo = await upload(
    forum,
    'forum-statistics',
    'photo.jpg',
    'image/jpeg',
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
  );
  const resubmitted = await api.request('POST', `/applications/${forum.applicationId}/reports/forum-statistics`, {
    token: forum.token,
    body: {
      fields: { ...statistics, notes: '线上参会人数为直播平台去重统计' },
      attachments: [{ key: again }, { key: photo }],
    },
  });
  expect(resubmitted.status).toBe(201);
  const second = await eventually(
    async () => {
      const found = (await stack.emails()).filter(
        (e) =>
          e.subject.includes('报告') &&
          (e.body.text ?? '').includes(forum.applicationId) &&
          e.destination.to.includes('dengmei@gdast.example.org'),
      );
      return found.length >= 2 ? found.at(-1) : undefined;
    },
    20_000,
    'the second review request',
  );
  expect(taskLinkIn(second!)).not.toBe(taskLinkIn(request));
  expect((await followLink(taskLinkIn(second!), { answer: { answer: 'accept' } })).status).toBe(200);
  const after = (await api.request('GET', '/units/me/obligations', { token: forum.token })).body.obligations.find(
    (o: { kind: string }) => o.kind === 'forum-statistics',
  );
  expect(after).toMatchObject({ state: 'ACCEPTED', submissions: 2 });
  // Staff read the same on the application's page: each report, how often it was handed in, its review.
  const asStaff = await api.request('GET', `/applications/${forum.applicationId}`, { token: await api.staffToken() });
  expect(asStaff.body.obligations).toEqual(
    (await api.request('GET', '/units/me/obligations', { token: forum.token })).body.obligations.filter(
      (o: { applicationId: string }) => o.applicationId === forum.applicationId,
    ),
  );
  // The unit's own view of its application carries no such list (it has its own route).
  expect(
    (await api.request('GET', `/applications/${forum.applicationId}`, { token: forum.token })).body.obligations,
  ).toBe(undefined);
});

test('the summary reports: due when staff open the round, reminded once each, missed ones listed as overdue', async () => {
  const staff = await api.staffToken();
  await stack.setClock('2024-06-01T09:00:00+08:00');
  const round = await api.request('POST', `/calls/${CALL}/reporting-round`, {
    token: staff,
    body: { summaryDueOn: '2024-07-15' },
  });
  // A job of one batch, carried out within the request: done when answered.
  expect(round.status).toBe(202);
  expect(round.headers.get('location')).toBe(`/jobs/${round.body.jobId}`);
  expect(round.body).toMatchObject({
    kind: 'reporting-round',
    state: 'DONE',
    done: 1,
    total: 1,
    errors: [],
    result: { summaryDueOn: '2024-07-15', opened: 2 },
  });

  // The forum's society hands its summary in, every target with what was achieved; staff accept, every target met.
  const obligations = (await api.request('GET', '/units/me/obligations', { token: forum.token })).body.obligations;
  const summary = obligations.find((o: { kind: string }) => o.kind === 'summary');
  expect(summary).toMatchObject({ dueOn: '2024-07-15', state: 'OPEN' });
  const targets = summary.targets as { path: string }[];
  const key = await upload(forum, 'summary', '项目总结报告.pdf', 'application/pdf', PDF);
  const handedIn = await api.request('POST', `/applications/${forum.applicationId}/reports/summary`, {
    token: forum.token,
    body: {
      fields: { summary: '项目按计划完成。', achieved: targets.map((t) => ({ path: t.path, achieved: '已完成' })) },
      attachments: [{ key }],
    },
  });
  expect(handedIn.status).toBe(201);
  // The third review request about the forum: after the statistics' two.
  const request = await eventually(
    async () => {
      const found = (await stack.emails()).filter(
        (e) =>
          e.subject.includes('报告') &&
          (e.body.text ?? '').includes(forum.applicationId) &&
          e.destination.to.includes('dengmei@gdast.example.org'),
      );
      return found.length >= 3 ? found.at(-1) : undefined;
    },
    20_000,
    'the summary review request',
  );
  // The unit was asked in the notice's words; the per-target account (逐项说明) is labelled the report
  // form's, the department's working assumption, in the email and on the staff's review page alike.
  const dueEmail = await stack.email(
    (e) => e.destination.to.includes('office@gd-physics.example.org') && e.subject.includes('请提交项目总结报告'),
    'the summary report due email',
  );
  const dueLines = (dueEmail.body.text ?? '').split('\n');
  expect(dueLines).toContain(`通知要求：${call().summaryReport.text.zh}`);
  expect(dueLines.filter((line) => line.includes('逐项说明'))).toEqual([
    expect.stringContaining('工作假设'),
    expect.stringContaining('工作假设'),
  ]);
  const page = await followLink<string>(taskLinkIn(request), { html: true });
  const targetsPart = page.body.slice(page.body.indexOf('<h2>绩效目标完成情况'));
  expect(targetsPart.match(/<p class="hint">([\s\S]*?)<\/p>/)?.[1]).toEqual(expect.stringContaining('工作假设'));
  const accept = await followLink(taskLinkIn(request), {
    answer: { answer: 'accept', targets: Object.fromEntries(targets.map((t) => [t.path, true])) },
  });
  expect(accept.status).toBe(200);

  // The salon's society says nothing: reminded a week before (once, though the sweep runs twice), then told it missed it.
  await stack.setClock('2024-07-09T10:00:00+08:00');
  await stack.setClock('2024-07-09T10:05:00+08:00');
  await stack.setClock('2024-07-16T10:00:00+08:00');
  await stack.setClock('2024-07-16T10:05:00+08:00');
  const toSalon = await eventually(
    async () => {
      const found = await emailsTo('office@gd-chemistry.example.org', '总结');
      return found.length >= 3 ? found : undefined;
    },
    20_000,
    'the reminders',
  );
  const subjects = toSalon.map((e) => e.subject);
  // The round's email, the week-before reminder and the missed notice: each once, though the sweep ran twice each time.
  expect(subjects.filter((s) => s.startsWith('【报告提醒】'))).toHaveLength(1);
  expect(subjects.filter((s) => s.startsWith('【报告逾期】'))).toHaveLength(1);
  expect(subjects.filter((s) => s.startsWith('【请提交项目总结报告】'))).toHaveLength(1);

  const overdue = await api.request('GET', `/calls/${CALL}/obligations?state=overdue`, { token: staff });
  expect(overdue.status).toBe(200);
  expect(overdue.body.rows).toEqual([
    expect.objectContaining({
      applicationId: salon.applicationId,
      kind: 'summary',
      dueOn: '2024-07-15',
      daysOverdue: 1,
    }),
  ]);
  const csv = await fetch(`${api.base}/calls/${CALL}/obligations?state=overdue`, {
    headers: { accept: 'text/csv', authorization: `Bearer ${staff}` },
  });
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain(example('secretary-general-salon').title);
});

test('in 2025, the unit that missed its summary report is barred with the reason; the other applies; staff lift the bar, logged', async () => {
  await stack.setClock('2024-08-20T10:00:00+08:00');
  const barred = await api.request('POST', '/calls/gdast-2025/applications', {
    token: salon.token,
    body: example('secretary-general-salon'),
  });
  expect(barred.status).toBe(403);
  expect(barred.body.error.code).toBe('UNIT_BARRED');
  expect(barred.body.error.message).toContain(example('secretary-general-salon').title);
  expect(barred.body.error.message).toContain('项目总结报告');

  const fine = await api.request('POST', '/calls/gdast-2025/applications', {
    token: forum.token,
    body: example('secretary-general-salon'),
  });
  expect(fine.status).toBe(201);

  const staff = await api.staffToken();
  const lifted = await api.request('PUT', `/units/${SALON_UNIT}/standing`, {
    token: staff,
    body: { barred: false, reason: '已补交总结报告，经学会学术部核准' },
  });
  expect(lifted.status).toBe(200);
  expect(lifted.body.standingLog.at(-1)).toMatchObject({
    barred: false,
    reason: '已补交总结报告，经学会学术部核准',
    by: expect.any(String),
    at: expect.stringContaining('2024-08-20'),
  });
  expect(
    (
      await api.request('POST', '/calls/gdast-2025/applications', {
        token: salon.token,
        body: example('secretary-general-salon'),
      })
    ).status,
  ).toBe(201);
});

test('a file under the longest name taken uploads with its presigned URL, is handed in, and downloads byte-identical from the review link', async () => {
  // Its key's last segment is some 990 bytes: S3 takes it whole; local mode's s3rver stores it
  // under a hashed name (infra/local/files.ts), which nobody outside sees.
  expect(longestName).toMatch(/^请{100,}\.pdf$/);
  const bytes = Buffer.concat([PDF, Buffer.from(`%${'请'.repeat(50)}\n`)]);
  const key = await upload(forum, 'development-report', longestName, 'application/pdf', bytes);
  const handedIn = await api.request('POST', `/applications/${forum.applicationId}/reports/development-report`, {
    token: forum.token,
    body: { fields: FORUM_DEVELOPMENT_REPORT, attachments: [{ key }] },
  });
  expect(handedIn.status).toBe(201);

  const request = await stack.email(
    (e) =>
      e.subject.includes('产业（学术）发展报告') &&
      (e.body.text ?? '').includes(forum.applicationId) &&
      e.destination.to.includes('dengmei@gdast.example.org'),
    'the development report review request',
  );
  // Staff download from the review page's link, as they would tap it.
  const page = await followLink<string>(taskLinkIn(request), { html: true });
  expect(page.status).toBe(200);
  const links = [...page.body.matchAll(/<a href="([^"]+)" download="([^"]*)"/g)];
  expect(links.map(([, , name]) => name)).toEqual([longestName]);
  const href = links[0][1].replace(
    /&(amp|quot|lt|gt|#39);/g,
    (entity) => ({ '&amp;': '&', '&quot;': '"', '&lt;': '<', '&gt;': '>', '&#39;': "'" })[entity] ?? entity,
  );
  const download = await fetch(href);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(download.headers.get('content-disposition')).toBe(
    `attachment; filename="${'_'.repeat([...longestName].length - 4)}.pdf"; filename*=UTF-8''${encodeURIComponent(longestName)}`,
  );
  expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
});
