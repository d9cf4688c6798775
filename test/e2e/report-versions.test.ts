import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CopyObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { example, type Body } from '../support/fixtures';
import { eventually, type StoredEmail } from '../support/local';
import {
  FORUM_DEVELOPMENT_REPORT as development,
  FORUM_STATISTICS as statistics,
  PDF,
  storedFiles,
  uploader,
  type ReportingUnit,
} from '../support/reports';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * A report handed in again and again: each version is kept on its own, so the largest summary report
 * the fields allow can be returned four times and still be handed in a fifth. And a hand-in that
 * fails after its files were copied out of pending/ (its record refused, a copy failing part-way,
 * a double submit losing) leaves no copy under reports/, where nothing expires them.
 */
const stack = useLocalStack();
const { api } = stack;
const upload = uploader(api);
const UNIT = 'gd-mechanical-engineering-society';
/** The Lingnan forum's contact: the one who reviews its reports. */
const REVIEWER = 'dengmei@gdast.example.org';
let forum: ReportingUnit;

const LIST_MAX = 30;
const chars = (n: number, text: string) => text.repeat(Math.ceil(n / text.length)).slice(0, n);

/** The form's most performance targets: 30 indicators in each of its six lists, every name, target and unit at its longest. */
function largestTargets(body: Body): void {
  const list = (kind: string) =>
    Array.from({ length: LIST_MAX }, (_, i) => ({
      name: chars(200, `${kind}指标${i + 1}：学术交流活动参与情况与成果转化`),
      target: chars(100, `不少于${i + 1}项高质量成果`),
      unit: chars(30, '项'),
    }));
  body.performanceTargets = {
    output: { quantity: list('数量'), quality: list('质量'), timeliness: list('时效'), cost: list('成本') },
    effect: list('效益'),
    satisfaction: list('满意度'),
  };
}

/** The largest summary report the fields take: a 20,000-character summary, 500 characters achieved for every target. */
const largestSummary = (version: number, targets: { path: string }[]) => ({
  summary: chars(20_000, `第${version}版总结：项目按计划完成，学术交流成效显著。`),
  achieved: targets.map((t) => ({
    path: t.path,
    achieved: chars(500, `第${version}版：${t.path}已完成，成果已汇编成册。`),
  })),
});

/** The `n`th report review request about the forum (1-based). */
const reviewRequest = (n: number) =>
  eventually(
    async () => {
      const found = (await stack.emails()).filter(
        (e: StoredEmail) =>
          e.destination.to.includes(REVIEWER) &&
          e.subject.includes('报告审核') &&
          (e.body.text ?? '').includes(forum.applicationId),
      );
      return found.length >= n ? found[n - 1] : undefined;
    },
    20_000,
    `review request ${n}`,
  );

const obligation = async (kind: string) =>
  (await api.request('GET', '/units/me/obligations', { token: forum.token })).body.obligations.find(
    (o: { kind: string }) => o.kind === kind,
  );

const handIn = (kind: string, body: unknown) =>
  api.request('POST', `/applications/${forum.applicationId}/reports/${kind}`, { token: forum.token, body });

/** The stored obligation item, as DynamoDB holds it, and its size in bytes (near enough: its JSON). */
async function storedObligation(obligationId: string) {
  const got = await stack.dynamo.send(
    new GetItemCommand({
      TableName: 'funding-call',
      Key: { PK: { S: `APP#${forum.applicationId}` }, SK: { S: `OBLIGATION#${obligationId}` } },
      ConsistentRead: true,
    }),
  );
  const item = unmarshall(got.Item ?? {});
  return { item, bytes: Buffer.byteLength(JSON.stringify(item)) };
}

/** Whether a DynamoDB write of the product touches the obligation `obligationId` (written alone, or in a transaction). */
const writesObligation = (command: unknown, obligationId: string) =>
  (command instanceof PutCommand || command instanceof UpdateCommand || command instanceof TransactWriteCommand) &&
  JSON.stringify(command.input).includes(`"OBLIGATION#${obligationId}"`);

const reportsOf = (obligationId: string) =>
  storedFiles(stack.urls.files, 'reports/', forum.applicationId, obligationId);

beforeAll(async () => {
  const token = await api.unitToken(UNIT);
  const body = example('lingnan-forum');
  largestTargets(body);
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
  expect(submitted.status).toBe(201);
  forum = { token, applicationId: submitted.body.applicationId };
  await awardThrough(api, () => stack.emails(), [forum]);
}, 300_000);

test('the largest summary report, returned four times by staff from its review link, is taken the fifth time; the obligation item does not grow', async () => {
  const owed = await obligation('summary');
  const targets = owed.targets as { path: string }[];
  expect(targets).toHaveLength(6 * LIST_MAX);
  const sizes: number[] = [];
  for (let version = 1; version <= 5; version++) {
    const key = await upload(forum, 'summary', `项目总结报告-第${version}版.pdf`, 'application/pdf', PDF);
    const handedIn = await handIn('summary', { fields: largestSummary(version, targets), attachments: [{ key }] });
    expect({ version, status: handedIn.status, error: handedIn.body.error }).toEqual({
      version,
      status: 201,
      error: undefined,
    });
    expect(handedIn.body).toMatchObject({ kind: 'summary', state: 'SUBMITTED', submissions: version });
    sizes.push((await storedObligation(owed.obligationId)).bytes);

    const link = taskLinkIn(await reviewRequest(version));
    const page = await followLink(link, { html: true });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`第${version}版总结`);
    expect(page.body).toContain(`项目总结报告-第${version}版.pdf`);
    if (version < 5) {
      const returned = await followLink(link, {
        answer: { answer: 'return', reasons: [`第${version}次退回：请补充佐证材料`] },
      });
      expect(returned.status).toBe(200);
      expect(await obligation('summary')).toMatchObject({ state: 'RETURNED', submissions: version });
    } else {
      const accepted = await followLink(link, {
        answer: { answer: 'accept', targets: Object.fromEntries(targets.map((t) => [t.path, true])) },
      });
      expect(accepted.status).toBe(200);
    }
  }

  const taken = await obligation('summary');
  expect(taken).toMatchObject({ state: 'ACCEPTED', submissions: 5 });
  expect(taken.targets).toHaveLength(targets.length);
  for (const t of taken.targets) expect(t).toMatchObject({ met: true, achieved: expect.stringMatching(/^第5版：/) });
  // Each version is an item of its own: the obligation's item is as large after the fifth as after the first.
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(1_000);
  expect((await storedObligation(owed.obligationId)).item.submissions).toBeUndefined();
  // The first version is still what its (answered) link shows.
  const first = await followLink(taskLinkIn(await reviewRequest(1)), { html: true });
  expect(first.body).toContain('第1版总结');
  expect(first.body).not.toContain('第5版总结');
}, 120_000);

describe('files copied at a hand-in that fails are removed', () => {
  test("the record refused after the files were copied (as an item over DynamoDB's size limit was): no copy is left, and the hand-in can be made again", async () => {
    const { obligationId } = await obligation('forum-statistics');
    const files = [
      await upload(forum, 'forum-statistics', '论坛统计.pdf', 'application/pdf', PDF),
      await upload(
        forum,
        'forum-statistics',
        'photo.jpg',
        'image/jpeg',
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
      ),
    ];
    let refused = 0;
    stack.intercept(DynamoDBDocumentClient, (command) =>
      writesObligation(command, obligationId) && refused++ === 0
        ? Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
            name: 'ValidationException',
            $metadata: { httpStatusCode: 400 },
          })
        : undefined,
    );
    const failed = await handIn('forum-statistics', { fields: statistics, attachments: files.map((key) => ({ key })) });
    expect(refused).toBe(1);
    expect(failed.status).toBe(400);
    expect(failed.body.error.details).toEqual([expect.objectContaining({ code: 'TOO_LARGE' })]);
    expect(await reportsOf(obligationId)).toEqual([]);
    expect(await obligation('forum-statistics')).toMatchObject({ state: 'OPEN', submissions: 0 });
    // The uploads wait under pending/ (until it expires them): the unit hands the same report in again.
    stack.restoreStubs();
    const again = await handIn('forum-statistics', { fields: statistics, attachments: files.map((key) => ({ key })) });
    expect(again.status).toBe(201);
    expect(await reportsOf(obligationId)).toHaveLength(2);
  });

  test('a copy failing part-way: the files already copied are removed', async () => {
    const { obligationId } = await obligation('development-report');
    const files = [
      await upload(forum, 'development-report', '发展报告.pdf', 'application/pdf', PDF),
      await upload(forum, 'development-report', '附件.pdf', 'application/pdf', PDF),
    ];
    let copies = 0;
    stack.intercept(S3Client, (command) =>
      command instanceof CopyObjectCommand && ++copies === 2
        ? Object.assign(new Error('We encountered an internal error. Please try again.'), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          })
        : undefined,
    );
    const failed = await handIn('development-report', {
      fields: development,
      attachments: files.map((key) => ({ key })),
    });
    expect(copies).toBe(2);
    expect(failed.status).toBe(500);
    expect(await reportsOf(obligationId)).toEqual([]);
    expect(await obligation('development-report')).toMatchObject({ state: 'OPEN', submissions: 0 });
  });

  test('the same version sent five times at once (a double click, and another tab with other files): one version, four 409s, only its files kept', async () => {
    const { obligationId } = await obligation('development-report');
    const one = [await upload(forum, 'development-report', '发展报告.pdf', 'application/pdf', PDF)];
    const two = [
      await upload(forum, 'development-report', '发展报告-另一版.pdf', 'application/pdf', PDF),
      await upload(forum, 'development-report', '附件-另一版.pdf', 'application/pdf', PDF),
    ];
    // Every request is held at its write until all five have copied their files: then they race.
    const SENDERS = 5;
    let arrived = 0;
    let release!: () => void;
    const all = new Promise<void>((resolve) => (release = resolve));
    // Should one never arrive (a refusal before its write), the others go on after a while.
    const giveUp = setTimeout(() => release(), 10_000);
    stack.intercept(DynamoDBDocumentClient, async (command) => {
      if (!writesObligation(command, obligationId)) return undefined;
      if (++arrived === SENDERS) release();
      await all;
      return undefined;
    });
    const bodies = [one, one, one, two, two].map((keys) => ({
      fields: development,
      attachments: keys.map((key) => ({ key })),
    }));
    const answers = await Promise.all(bodies.map((body) => handIn('development-report', body)));
    clearTimeout(giveUp);
    expect(arrived).toBeGreaterThanOrEqual(SENDERS);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(SENDERS - 1);
    const winner = bodies[statuses.indexOf(201)];
    expect(await obligation('development-report')).toMatchObject({ state: 'SUBMITTED', submissions: 1 });
    const kept = await reportsOf(obligationId);
    expect(kept).toHaveLength(winner.attachments.length);
    for (const { key } of winner.attachments)
      expect(kept.some((k) => k.endsWith(key.split('/').slice(-2).join('/')))).toBe(true);
  });
});
