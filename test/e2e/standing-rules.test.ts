import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { PDF, uploader, type ReportingUnit } from '../support/reports';

/**
 * What bars a unit from the 2025 call, through HTTP as units and staff meet it. The notice (二(四))
 * bars a unit that did not hand in its summary report or did not meet its targets; a summary handed
 * in on time that staff have not yet reviewed bars nobody. A summary handed in late bars only under
 * the department's working assumption in the 2024 call data, and the refusal says so.
 */
const stack = useLocalStack();
const { api } = stack;
const upload = uploader(api);

let onTime: ReportingUnit & { title: string };
let late: ReportingUnit & { title: string };

beforeAll(async () => {
  const submit = async (unitId: string, typeId: string) => {
    const token = await api.unitToken(unitId);
    const body = example(typeId);
    const answer = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
    expect(answer.status).toBe(201);
    return { token, applicationId: answer.body.applicationId as string, title: body.title as string };
  };
  onTime = await submit('gd-chemistry-society', 'secretary-general-salon');
  late = await submit('gd-medical-society', 'lecture-hall');
  await awardThrough(api, () => stack.emails(), [onTime, late]);
}, 300_000);

async function handInSummary(unit: ReportingUnit): Promise<void> {
  const owed = (await api.request('GET', '/units/me/obligations', { token: unit.token })).body.obligations as {
    applicationId: string;
    kind: string;
    targets?: { path: string }[];
  }[];
  const summary = owed.find((o) => o.applicationId === unit.applicationId && o.kind === 'summary')!;
  const key = await upload(unit, 'summary', '项目总结报告.pdf', 'application/pdf', PDF);
  const handedIn = await api.request('POST', `/applications/${unit.applicationId}/reports/summary`, {
    token: unit.token,
    body: {
      fields: {
        summary: '项目按计划完成。',
        achieved: summary.targets!.map((t) => ({ path: t.path, achieved: '已完成' })),
      },
      attachments: [{ key }],
    },
  });
  expect(handedIn.status).toBe(201);
}

const apply2025 = (unit: ReportingUnit, typeId: string) =>
  api.request('POST', '/calls/gdast-2025/applications', { token: unit.token, body: example(typeId) });

test('a summary handed in on time and not yet reviewed by its due date bars nobody; one handed in late bars as the department’s assumption, said so', async () => {
  await stack.setClock('2024-08-01T09:00:00+08:00');
  const round = await api.request('POST', '/calls/gdast-2024/reporting-round', {
    token: await api.staffToken(),
    body: { summaryDueOn: '2024-08-10' },
  });
  expect(round.status).toBe(202);

  // One unit hands its summary in on time; nobody has reviewed it when the due date passes.
  await stack.setClock('2024-08-05T10:00:00+08:00');
  await handInSummary(onTime);
  // The other hands its summary in five days late.
  await stack.setClock('2024-08-15T10:00:00+08:00');
  await handInSummary(late);

  await stack.setClock('2024-08-20T10:00:00+08:00');
  const mine = (await api.request('GET', '/units/me/obligations', { token: onTime.token })).body.obligations;
  expect(mine.find((o: { kind: string }) => o.kind === 'summary')).toMatchObject({
    state: 'SUBMITTED',
    dueOn: '2024-08-10',
  });
  expect((await apply2025(onTime, 'secretary-general-salon')).status).toBe(201);

  const barred = await apply2025(late, 'lecture-hall');
  expect(barred.status).toBe(403);
  expect(barred.body.error.code).toBe('UNIT_BARRED');
  expect(barred.body.error.message).toContain(late.title);
  expect(barred.body.error.message).toContain('学会学术部的规定，工作假设');
  expect(barred.body.error.message).toContain("the department's rule (working assumption)");
  // Not the notice's reason: the notice is not cited for it.
  expect(barred.body.error.message).not.toContain('通知二（四）');
  expect(barred.body.error.details).toEqual([
    expect.objectContaining({ path: 'standing.0', code: 'DEPARTMENT_ASSUMPTION' }),
  ]);
}, 120_000);
