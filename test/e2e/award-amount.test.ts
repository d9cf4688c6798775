import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { awardThrough } from '../support/award';
import { eventually, type StoredEmail } from '../support/local';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * The award amount, through HTTP and email links: a Lingnan forum (a fixed 10万元 a project)
 * asking only 8万元 is awarded 8万元, not 10万元 (通知二(一): spending follows the approved
 * budget; the product's reading: never award more than asked). The department head's page shows
 * the request beside the award and states the rule; the results (JSON and CSV), the totals and
 * the unit's outcome email carry the awarded amount. The page and the email also name the notice's
 * priorities the ranking could not apply, and the further tie-breaks as the department's assumptions.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';

test('a forum asking less than the type amount is awarded its request, on the page, the results and the email', async () => {
  const staff = await api.staffToken();
  const body = example('lingnan-forum');
  body.budget.requestedCny = 80000;
  body.budget.items[0].amountCny -= 20000;
  const token = await api.unitToken('gd-physics-society');
  const submitted = await api.request('POST', `/calls/${CALL}/applications`, { token, body });
  expect(submitted.status).toBe(201);
  const applicationId: string = submitted.body.applicationId;
  await awardThrough(api, () => stack.emails(), [{ token, applicationId }]);

  // The department head's page (still readable once confirmed): the request and the award, the rule once.
  const request = await eventually(
    async () => (await stack.emails()).find((e: StoredEmail) => e.subject.includes('立项建议')),
    20_000,
    'the request',
  );
  expect(request.body.text).toContain('拟资助总额：8万元');
  const page = await followLink(taskLinkIn(request), { html: true });
  expect(page.status).toBe(200);
  expect(page.body).toMatch(
    /<td class="num">80.00<\/td><td class="num">8<\/td><td class="num">8<\/td><td><strong>是<\/strong><\/td>/,
  );
  expect(page.body).toMatch(/资助金额合计.*?8 万元（80,000 元）/);
  expect(page.body.split('立项金额不超过申请预算')).toHaveLength(2);

  // What the ranking did not apply is said plainly: the notice's priorities the form cannot show
  // (types 2 and 8), and the further tie-breaks as the department's assumptions, on the page and in the email.
  for (const text of [page.body, request.body.text ?? '']) {
    expect(text).toContain('与国家、省级主流媒体有良好合作关系，有相关项目实施经验者优先考虑');
    expect(text).toContain('承担过省科协相关项目的同等条件下优先考虑');
    expect(text).toContain('为学会学术部的工作假设，非通知规定');
  }
  expect(page.body).toContain('排名未采用（申请书不含可核对的信息）');
  expect(request.body.text).toContain('以下优先条件无法从申请书核对，排名未采用');

  // The results: the request and the award per entry.
  const results = await api.request('GET', `/calls/${CALL}/results`, { token: staff });
  expect(results.body.rows).toEqual([
    expect.objectContaining({ projectTypeId: 'lingnan-forum', requestedCny: 80000, amountCny: 80000, awarded: true }),
  ]);
  const csv = await fetch(`${api.base}/calls/${CALL}/results`, {
    headers: { accept: 'text/csv', authorization: `Bearer ${staff}` },
  });
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
  expect(text).toContain('申请金额（元）Requested (CNY)');
  expect(text).toMatch(/,80000,80000,/);
  expect(text).not.toContain('100000');

  // The unit hears the awarded amount.
  const outcome = await stack.email(
    (e: StoredEmail) => (e.body.text ?? '').includes(applicationId) && (e.body.text ?? '').includes('资助金额'),
    'the outcome email',
  );
  expect(outcome.body.text).toContain('资助金额：8万元');
  expect(outcome.body.text).toContain('Amount awarded: CNY 80,000');
}, 180_000);
