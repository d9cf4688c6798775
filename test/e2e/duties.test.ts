import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { eventually } from '../support/local';
import { PDF, uploader, type ReportingUnit } from '../support/reports';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * The notice's duties that name no report of their own (the communication programme's
 * 舆论导向审核把关 and 统一保存以备后用, the activity month's 收集汇总…各项活动) reach the unit as
 * obligations, due with the summary report: the unit sees each, hands in a statement on it, and
 * staff review it, through HTTP and email links as people would.
 */
const stack = useLocalStack();
const { api } = stack;
const upload = uploader(api);
const UNIT = 'gd-electronics-society';

let comms: ReportingUnit;
let month: ReportingUnit;

beforeAll(async () => {
  const token = await api.unitToken(UNIT);
  const submit = async (typeId: string) => {
    const answer = await api.request('POST', '/calls/gdast-2024/applications', { token, body: example(typeId) });
    expect(answer.status).toBe(201);
    return { token, applicationId: answer.body.applicationId as string };
  };
  comms = await submit('communication-programme');
  month = await submit('activity-month');
  await awardThrough(api, () => stack.emails(), [comms, month]);
}, 300_000);

interface Owed {
  applicationId: string;
  obligationId: string;
  kind: string;
  text: { zh: string };
  state: string;
  dueOn?: string;
}
const owed = async () =>
  (await api.request('GET', '/units/me/obligations', { token: comms.token })).body.obligations as Owed[];
/** An application's duties, in the call data's order (equal due dates list in no set order). */
const ORDER = ['opinion-guidance-review', 'keep-media-material', 'collect-2024-activities'];
const dutiesOf = (all: Owed[], app: ReportingUnit) =>
  all
    .filter((o) => o.applicationId === app.applicationId && o.kind === 'duty')
    .sort((a, b) => ORDER.indexOf(a.obligationId) - ORDER.indexOf(b.obligationId));

test('each duty is listed, told in the award email, dated with the summary, handed in and reviewed by staff', async () => {
  const listed = await owed();
  expect(dutiesOf(listed, comms).map((o) => [o.obligationId, o.state])).toEqual([
    ['opinion-guidance-review', 'AWAITING_DATE'],
    ['keep-media-material', 'AWAITING_DATE'],
  ]);
  expect(dutiesOf(listed, month).map((o) => [o.obligationId, o.state])).toEqual([
    ['collect-2024-activities', 'AWAITING_DATE'],
  ]);
  expect(dutiesOf(listed, comms)[0].text.zh).toContain('舆论导向审核把关');

  const awardEmail = await stack.email(
    (e) => e.subject.startsWith('【立项后须提交的报告】') && (e.body.text ?? '').includes(comms.applicationId),
    'the award obligations email',
  );
  expect(awardEmail.body.text).toContain('舆论导向审核把关');
  // Each duty is listed by what it asks, and handed in from the project's page of the web app.
  expect(awardEmail.body.text).toContain('职责履行情况说明：项目相关图文及音视频资料必须统一保存以备后用');
  expect(awardEmail.body.text).toContain(`${stack.urls.web}applications/${comms.applicationId}`);

  // The reporting round dates them with the summary report.
  await stack.setClock('2024-08-01T09:00:00+08:00');
  const round = await api.request('POST', '/calls/gdast-2024/reporting-round', {
    token: await api.staffToken(),
    body: { summaryDueOn: '2024-08-10' },
  });
  expect(round.status).toBe(202);
  const roundEmail = await stack.email(
    (e) => e.subject.startsWith('【请提交项目总结报告】') && (e.body.text ?? '').includes(comms.applicationId),
    'the reporting round email',
  );
  expect(roundEmail.body.text).toContain('- keep-media-material：');
  const dated = [...dutiesOf(await owed(), comms), ...dutiesOf(await owed(), month)];
  expect(dated.map((o) => [o.obligationId, o.state, o.dueOn])).toEqual([
    ['opinion-guidance-review', 'OPEN', '2024-08-10'],
    ['keep-media-material', 'OPEN', '2024-08-10'],
    ['collect-2024-activities', 'OPEN', '2024-08-10'],
  ]);

  // The unit hands in a statement on each, at the duty's own route.
  await stack.setClock('2024-08-05T10:00:00+08:00');
  for (const duty of dated) {
    const app = duty.applicationId === comms.applicationId ? comms : month;
    const key = await upload(app, duty.obligationId, '履行情况说明.pdf', 'application/pdf', PDF);
    const handedIn = await api.request('POST', `/applications/${app.applicationId}/reports/${duty.obligationId}`, {
      token: app.token,
      body: { fields: { statement: `已履行：${duty.obligationId}` }, attachments: [{ key }] },
    });
    expect(handedIn.status).toBe(201);
  }
  // Not a kind of its own: a duty is named by its id.
  expect(
    (await api.request('POST', `/applications/${comms.applicationId}/reports/duty`, { token: comms.token, body: {} }))
      .status,
  ).toBe(404);

  // Staff review each from its link: two accepted, one returned.
  for (const duty of dated) {
    const request = await stack.email(
      (e) =>
        e.subject.startsWith('【待办：报告审核】') &&
        (e.body.text ?? '').includes(duty.applicationId) &&
        (e.body.text ?? '').includes(duty.text.zh),
      `the review request for ${duty.obligationId}`,
    );
    const answer =
      duty.obligationId === 'keep-media-material'
        ? { answer: 'return', reasons: ['请说明保存地点'] }
        : { answer: 'accept' };
    expect((await followLink(taskLinkIn(request), { answer })).status).toBe(200);
  }
  const reviewed = await eventually(
    async () => {
      const all = [...dutiesOf(await owed(), comms), ...dutiesOf(await owed(), month)];
      return all.every((o) => o.state !== 'SUBMITTED') ? all : undefined;
    },
    20_000,
    'the reviews',
  );
  expect(reviewed.map((o) => [o.obligationId, o.state])).toEqual([
    ['opinion-guidance-review', 'ACCEPTED'],
    ['keep-media-material', 'RETURNED'],
    ['collect-2024-activities', 'ACCEPTED'],
  ]);
}, 180_000);
