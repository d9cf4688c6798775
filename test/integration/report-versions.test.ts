import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  getObligation,
  getReportVersion,
  listApplicationObligations,
  putObligation,
  recordReportVersion,
  updateObligation,
} from '@shared/adapters/dynamodb/obligation-items';
import { obligationKey, reportVersionKey } from '@shared/adapters/dynamodb/keys';
import { briefOf, type ObligationRecord, type ReportSubmission } from '@shared/domain/obligations';
import { useLocalTable } from '../support/local-table';

/**
 * A report's versions against DynamoDB Local: each an item of its own, recorded in one transaction
 * with its obligation, once however many hand-ins race; and an obligation stored before that (every
 * version in the item's `submissions`) still reads, and takes new versions without growing.
 */
const table = useLocalTable();

const obligation = (applicationId: string): ObligationRecord => ({
  applicationId,
  callId: 'gdast-2024',
  unitId: 'gd-physics-society',
  projectTypeId: 'lingnan-forum',
  title: '岭南论坛',
  obligationId: 'summary-report',
  report: 'summary',
  text: { zh: '项目总结报告', en: 'summary report' },
  dueFrom: 'reporting-round',
  dueOn: '2024-07-15',
  dueAt: '2024-07-15T15:59:59.999Z',
  state: 'OPEN',
  versions: 0,
  targets: [{ path: 'effect.0', indicator: '推广案例', target: '10个' }],
  createdAt: '2023-11-01T09:00:00.000+08:00',
  updatedAt: '2023-11-01T09:00:00.000+08:00',
});

const version = (n: number, tag = ''): ReportSubmission => ({
  fields: { summary: `第${n}版${tag}`, achieved: [{ path: 'effect.0', achieved: `第${n}版完成${tag}` }] },
  attachments: [
    { key: `reports/v${n}-${tag || '0'}/a.pdf`, fileName: 'a.pdf', contentType: 'application/pdf', size: 10 },
  ],
  submittedAt: `2024-07-0${n}T09:00:00.000+08:00`,
  version: n,
});

/** The next state of `o` once version `s` is handed in. */
const handedIn = (o: ObligationRecord, s: ReportSubmission): ObligationRecord => ({
  ...o,
  state: 'SUBMITTED',
  versions: s.version,
  latest: briefOf(s),
  firstSubmittedAt: o.firstSubmittedAt ?? '2024-07-01T01:00:00.000Z',
});

const storedItem = async (applicationId: string) =>
  (
    await table.doc.send(
      new GetCommand({
        TableName: table.name,
        Key: obligationKey(applicationId, 'summary-report'),
        ConsistentRead: true,
      }),
    )
  ).Item;

test('ten hand-ins of the same version at once: one is recorded, with its own item, and the obligation counts one', async () => {
  const applicationId = randomUUID();
  const o = obligation(applicationId);
  expect(await putObligation(o)).toBe(true);
  const tries = Array.from({ length: 10 }, (_, i) => version(1, `t${i}`));
  const results = await Promise.all(tries.map((s) => recordReportVersion(handedIn(o, s), s, ['OPEN', 'RETURNED'], 0)));
  expect(results.filter(Boolean)).toHaveLength(1);
  const winner = tries[results.indexOf(true)];
  expect(await getReportVersion(applicationId, 'summary-report', 1)).toEqual(winner);
  expect(await getObligation(applicationId, 'summary-report')).toMatchObject({
    state: 'SUBMITTED',
    versions: 1,
    latest: briefOf(winner),
  });
  // The version is not under the obligation's item, nor listed as an obligation.
  expect((await storedItem(applicationId))?.fields).toBeUndefined();
  expect(await listApplicationObligations(applicationId)).toHaveLength(1);
  // Handed in again without a return in between: refused, and nothing is written.
  expect(await recordReportVersion(handedIn(o, version(2)), version(2), ['OPEN', 'RETURNED'], 1)).toBe(false);
  expect(await getReportVersion(applicationId, 'summary-report', 2)).toBeUndefined();
});

test('an obligation stored with its versions in its item still reads, and takes the next version as an item of its own', async () => {
  const applicationId = randomUUID();
  const [one, two] = [version(1), version(2)];
  // As it was written before each version was an item: an array of versions, what was achieved on the targets.
  const { versions: _, ...old } = obligation(applicationId);
  await table.doc.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...obligationKey(applicationId, 'summary-report'),
        ...old,
        state: 'RETURNED',
        submissions: [one, two],
        targets: [{ path: 'effect.0', indicator: '推广案例', target: '10个', achieved: '第2版完成' }],
        review: { answer: 'return', reasons: ['补充材料'], at: '2024-07-03T09:00:00.000+08:00', taskId: 't2' },
      },
    }),
  );
  const read = await getObligation(applicationId, 'summary-report');
  expect(read).toMatchObject({ state: 'RETURNED', versions: 2, latest: briefOf(two) });
  expect(read).not.toHaveProperty('submissions');
  expect(await listApplicationObligations(applicationId)).toEqual([read]);
  expect(await getReportVersion(applicationId, 'summary-report', 1)).toEqual(one);
  expect(await getReportVersion(applicationId, 'summary-report', 2)).toEqual(two);

  // A stale count loses; the right one records version 3 beside the old array, which does not grow.
  const three = version(3);
  expect(await recordReportVersion(handedIn(read!, three), three, ['OPEN', 'RETURNED'], 1)).toBe(false);
  expect(await recordReportVersion(handedIn(read!, three), three, ['OPEN', 'RETURNED'], 2)).toBe(true);
  expect((await storedItem(applicationId))?.submissions).toEqual([one, two]);
  expect(
    await table.doc.send(
      new GetCommand({ TableName: table.name, Key: reportVersionKey(applicationId, 'summary-report', 3) }),
    ),
  ).toHaveProperty('Item');
  expect(await getObligation(applicationId, 'summary-report')).toMatchObject({
    state: 'SUBMITTED',
    versions: 3,
    latest: briefOf(three),
  });
  expect(await getReportVersion(applicationId, 'summary-report', 1)).toEqual(one);
  expect(await getReportVersion(applicationId, 'summary-report', 3)).toEqual(three);

  // A review of version 3 counts it from the attribute now, not from the array.
  const accepted = { ...(await getObligation(applicationId, 'summary-report'))!, state: 'ACCEPTED' as const };
  expect(await updateObligation(accepted, ['SUBMITTED'], 2)).toBe(false);
  expect(await updateObligation(accepted, ['SUBMITTED'], 3)).toBe(true);
  const stored = await storedItem(applicationId);
  expect(stored).toMatchObject({ state: 'ACCEPTED', versions: 3 });
  // Accepted: off the call's list of open obligations.
  expect(stored?.GSI2PK).toBeUndefined();
});
