import { beijing } from '@infra/local/console/html';
import { useLocalStack } from '../support/e2e';
import { eventually, type StoredEmail } from '../support/local';
import { example, shortForum } from '../support/fixtures';
import { passStaffStages, taskLinksIn } from '../support/task-links';

// On disk and on fixed ports: the last test restarts the stack, as Ctrl-C and `npm start` again would.
const stack = useLocalStack({ persistent: true });
const { api } = stack;

/** A console page as a browser (or curl) gets it. */
async function getPage(route: string): Promise<{ status: number; type: string; html: string }> {
  const response = await fetch(`${stack.urls.api}${route}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', html: await response.text() };
}

async function submit(unitId: string, body: Record<string, unknown>): Promise<string> {
  const answer = await api.submit(await api.unitToken(unitId), body);
  expect(answer.status).toBe(201);
  return answer.body.applicationId as string;
}

/** The rows of the applications table (one <tr> each), by application id. */
function rowsOf(html: string): Map<string, string> {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  const rows = new Map<string, string>();
  for (const row of body.split('<tr>').slice(1)) {
    const id = /\/_local\/console\/applications\/([0-9a-f-]{36})"/.exec(row)?.[1];
    if (id) rows.set(id, row);
  }
  return rows;
}

/** The applications' status badges, as `tone-<colour>` classes, by application id. */
const toneOf = (row: string | undefined) => /class="badge (tone-[a-z]+)"/.exec(row ?? '')?.[1];

const HOSTILE = '学术论坛<script>alert(1)</script>"\'&';
const ESCAPED = '学术论坛&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;';

const ids: { forum: string; salon: string; returned: string; withdrawn: string } = {
  forum: '',
  salon: '',
  returned: '',
  withdrawn: '',
};

beforeAll(async () => {
  // Unit A: a forum through every staff stage (it then waits for the expert review round), and a
  // salon left waiting on the staff; unit B: a forum returned for correction, and one withdrawn.
  ids.forum = await submit('console-apps-a', example('lingnan-forum'));
  ids.salon = await submit('console-apps-a', example('secretary-general-salon'));
  ids.returned = await submit('console-apps-b', { ...shortForum(), title: '需修改的论坛 A forum to correct' });
  ids.withdrawn = await submit('console-apps-b2', { ...example('lingnan-forum'), title: HOSTILE });
  await passStaffStages(() => stack.emails(), ids.forum);
  const tokenA = await api.unitToken('console-apps-a');
  await api.waitForStatus(tokenA, ids.forum, 'READY_FOR_EXPERT_REVIEW');
  await api.waitForStatus(await api.unitToken('console-apps-b'), ids.returned, 'RETURNED_FOR_CORRECTION');
  const tokenB2 = await api.unitToken('console-apps-b2');
  await api.waitForStatus(tokenB2, ids.withdrawn, 'FORMAL_CHECK_PASSED');
  expect((await api.request('POST', `/applications/${ids.withdrawn}/withdraw`, { token: tokenB2 })).status).toBe(200);
  await stack.finished(ids.withdrawn);
  await stack.waitingOnStaff(ids.salon);
}, 120_000);

test('the applications list: every application, newest first, with its unit, type, status, stage and what it waits on', async () => {
  const list = await getPage('/_local/console');
  expect(list.status).toBe(200);
  expect(list.type).toBe('text/html; charset=utf-8');
  expect(list.html).not.toMatch(/<script|<link|src=/i);
  const rows = rowsOf(list.html);
  expect([...rows.keys()]).toEqual([ids.withdrawn, ids.returned, ids.salon, ids.forum]);
  // Badges by the application's status: a withdrawn one is grey, never the colour of one that passed.
  expect(toneOf(rows.get(ids.withdrawn))).toBe('tone-grey');
  expect(toneOf(rows.get(ids.forum))).toBe('tone-teal');
  expect(toneOf(rows.get(ids.returned))).toBe('tone-orange');
  expect(rows.get(ids.withdrawn)).toContain('已撤回 Withdrawn');
  // What each waits on, by its open tasks.
  expect(rows.get(ids.forum)).toContain('等待专家评审轮次');
  expect(rows.get(ids.salon)).toContain('形式审查');
  expect(rows.get(ids.salon)).toContain('纸质材料签收');
  expect(rows.get(ids.returned)).toContain('单位修改申请书');
  expect(rows.get(ids.withdrawn)).toContain('撤回 Withdrawal');
  // The unit's name, the type's Chinese name, the submission time on the simulated clock (Beijing).
  expect(rows.get(ids.forum)).toContain('console-apps-a学会');
  expect(rows.get(ids.forum)).toContain('1. 岭南科学论坛');
  expect(rows.get(ids.forum)).toMatch(
    /<time datetime="2023-09-0\dT\d\d:\d\d:\d\d\+08:00">2023-09-0\d \d\d:\d\d:\d\d<\/time>/,
  );
});

test('filters by unit, project type, status and stage, as links and a form that work without JavaScript', async () => {
  const only = async (query: string) => [...rowsOf((await getPage(`/_local/console?${query}`)).html).keys()].sort();
  expect(await only('unit=console-apps-a')).toEqual([ids.forum, ids.salon].sort());
  expect(await only('type=lingnan-forum')).toEqual([ids.forum, ids.returned, ids.withdrawn].sort());
  expect(await only('status=WITHDRAWN')).toEqual([ids.withdrawn]);
  expect(await only('status=returned_for_correction')).toEqual([ids.returned]);
  expect(await only('stage=Withdrawal')).toEqual([ids.withdrawn]);
  expect(await only('stage=TargetReview')).toEqual([ids.forum]);
  expect(await only('unit=console-apps-a&type=lingnan-forum')).toEqual([ids.forum]);
  expect(await only('call=gdast-2025')).toEqual([]);
  expect(await only('unit=nobody')).toEqual([]);

  const page = (await getPage('/_local/console?unit=console-apps-a')).html;
  // A GET form, each filter a <select> with the current choice selected, and links in the rows.
  expect(page).toContain('<form class="filter" method="get" action="/_local/console">');
  for (const name of ['call', 'unit', 'type', 'status', 'stage']) expect(page).toContain(`<select name="${name}">`);
  expect(page).toContain('<option value="console-apps-a" selected>');
  expect(page).toContain('href="/_local/console?unit=console-apps-a&amp;type=lingnan-forum"');
  // The status counts under the other filters, each a link.
  expect(page).toContain('href="/_local/console?unit=console-apps-a&amp;status=FORMAL_CHECK_PASSED"');

  for (const bad of ['status=PASSED', 'stage=Nowhere', 'call=gdast-1999']) {
    const answer = await getPage(`/_local/console?${bad}`);
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('text/html; charset=utf-8');
  }
});

test('the quota table: applications and awards per project type, against each quota', async () => {
  const page = await getPage('/_local/console/quotas');
  expect(page.status).toBe(200);
  const call2024 = page.html.slice(page.html.indexOf('gdast-2024'), page.html.indexOf('gdast-2025'));
  const forum = call2024.slice(
    call2024.indexOf('1. 岭南科学论坛'),
    call2024.indexOf('</tr>', call2024.indexOf('1. 岭南科学论坛')),
  );
  const cell = (label: string) => new RegExp(`data-label="${label}">(?:<a [^>]*>)?(\\d+)`).exec(forum)?.[1];
  expect(cell('名额 Quota')).toBe('10');
  expect(cell('申请 Applied')).toBe('3');
  expect(cell('进行中 In progress')).toBe('2');
  expect(cell('撤回 Withdrawn')).toBe('1');
  expect(forum).toContain('<strong>0/10</strong>');
  expect(forum).toContain('href="/_local/console?call=gdast-2024&amp;type=lingnan-forum&amp;status=WITHDRAWN"');
  // The 2025 call is listed as the sample it is; the 2024 call, the issued notice, is not.
  expect(call2024).not.toContain('示例 sample');
  expect(page.html.slice(page.html.indexOf('gdast-2025'))).toContain('示例 sample');
  // Every type of the call, and the total of its 34 awards.
  expect(call2024).toContain('11. 科技社团党建宣传力提升');
  expect(call2024).toMatch(/合计 Total[\s\S]*<strong>0\/34<\/strong>/);
  expect(call2024).toContain('4 份申请 application(s)');
});

test('an application waiting on the staff: its tasks since when, with the links the staff were emailed', async () => {
  const page = await getPage(`/_local/console/applications/${ids.salon}`);
  expect(page.status).toBe(200);
  const waiting = page.html.slice(page.html.indexOf('现在等待 Waiting on now'), page.html.indexOf('阶段时间线'));
  expect(waiting).toContain('形式审查');
  expect(waiting).toContain('纸质材料签收');
  expect(waiting).toContain('已等待 waiting');
  // The links are the ones in the staff's emails, signed for their assignee.
  const emailed = (await stack.emails())
    .filter((e) => e.subject.startsWith('【待办') && (e.body.text ?? '').includes(ids.salon))
    .flatMap(taskLinksIn);
  expect(emailed).toHaveLength(2);
  for (const link of emailed) expect(waiting).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
  // Since when: the task's opening, on the simulated clock.
  expect(waiting).toMatch(/2023-09-0\d \d\d:\d\d:\d\d/);

  // The timeline, in order, in Beijing time on the simulated clock.
  const timeline = page.html.slice(page.html.indexOf('<ol class="timeline">'), page.html.indexOf('</ol>'));
  const stages = [...timeline.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
  expect(stages.slice(0, 3)).toEqual(['提交 Submission', '回执 Receipt', '自动形式检查 Formal check']);
  const record = (await api.request('GET', `/applications/${ids.salon}`, { token: await api.staffToken() })).body;
  for (const entry of record.history) expect(timeline).toContain(beijing(entry.at));

  // Its execution: the first, current, still running.
  const executions = page.html.slice(page.html.indexOf('工作流执行 Executions</h2>'));
  expect(executions).toContain(`href="/_local/console/executions/${ids.salon}"`);
  expect(executions).toContain('首次运行 First run');
  expect(executions).toContain('当前 current');
  expect(executions).toContain('st-running');
});

test('every email an application was sent, rendered with its body, in the order sent', async () => {
  const page = (await getPage(`/_local/console/applications/${ids.returned}`)).html;
  const record = (await api.request('GET', `/applications/${ids.returned}`, { token: await api.staffToken() })).body;
  expect(record.emails.length).toBeGreaterThanOrEqual(2);
  const sent = await stack.emails();
  const emails = page.slice(page.indexOf('id="emails"'), page.indexOf('工作流执行 Executions</h2>'));
  let last = -1;
  for (const logged of record.emails) {
    const stored = sent.find((email: StoredEmail) => email.messageId === logged.messageId)!;
    const at = emails.indexOf(stored.subject.replace(/&/g, '&amp;'));
    expect(at).toBeGreaterThan(last);
    last = at;
    // The body, escaped, its first lines as sent.
    const firstLine = (stored.body.text ?? '').split('\n').find((line) => line.trim() && !/https?:/.test(line))!;
    expect(emails).toContain(
      firstLine
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;'),
    );
    expect(emails).toContain(beijing(logged.at));
  }
  // What it waits on: the unit's correction, due by the online deadline.
  expect(page).toContain('单位修改申请书');
  expect(page).toContain('申报单位 The unit');
});

test('a withdrawn application: finished, grey, its execution SUCCEEDED but labelled as the workflow', async () => {
  const page = (await getPage(`/_local/console/applications/${ids.withdrawn}`)).html;
  expect(page).not.toMatch(/<script/i);
  expect(page).toContain(ESCAPED);
  expect(page).toContain('已结束，没有待办');
  expect(page).toMatch(/<h1>[^\n]*class="badge tone-grey"[^>]*>已撤回 Withdrawn<\/span><\/h1>/);
  expect(page).toContain('st-succeeded');
  expect(page).toContain('撤回 Withdrawal');
});

test('user text is escaped on every page; unknown applications are a 404 page', async () => {
  for (const route of [
    '/_local/console',
    '/_local/console?unit=console-apps-b2',
    `/_local/console/applications/${ids.withdrawn}`,
    '/_local/console/mailbox',
  ]) {
    const page = await getPage(route);
    expect(page.status).toBe(200);
    expect(page.html).toContain(ESCAPED);
    expect(page.html).not.toMatch(/<script/i);
  }
  const probe = await getPage(`/_local/console/applications/${encodeURIComponent('<script>x</script>')}`);
  expect(probe.status).toBe(404);
  expect(probe.html).toContain('&lt;script&gt;x&lt;/script&gt;');
  expect(probe.html).not.toMatch(/<script/i);
  const reflected = await getPage(`/_local/console?unit=${encodeURIComponent('"><script>alert(1)</script>')}`);
  expect(reflected.status).toBe(200);
  expect(reflected.html).not.toMatch(/<script/i);
});

test('the mailbox: every email, newest first, bodies shown, on the simulated clock, nothing to clear', async () => {
  const page = (await getPage('/_local/console/mailbox')).html;
  const sent = await stack.emails();
  const subjects = [...page.matchAll(/<div class="subject">([^<]*)<\/div>/g)].map((m) => m[1]);
  expect(subjects.length).toBe(Math.min(50, sent.length));
  const escape = (text: string) =>
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  expect(subjects[0]).toBe(escape(sent.at(-1)!.subject));
  expect(subjects.at(-1)).toBe(escape(sent.at(-Math.min(50, sent.length))!.subject));
  // Each body in full, its links clickable; the time of each on the simulated clock (2023), never the wall clock.
  expect(page).toContain('<pre class="body">');
  expect(page).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/tasks\/[A-Za-z0-9_-]{22}\?sig=/);
  expect(page).not.toContain('wall clock');
  expect(page).toMatch(/2023-09-0\d \d\d:\d\d:\d\d · 收件人 To:/);
  // Linked to the application each was about; filtered by recipient; no button, no form that changes anything.
  expect(page).toContain(`href="/_local/console/applications/${ids.forum}"`);
  expect(page).not.toMatch(/method="post"|clear-store|<button[^>]*>\s*clear/i);
  const staffOnly = (await getPage('/_local/console/mailbox?to=dengmei')).html;
  expect([...staffOnly.matchAll(/收件人 To: ([^·<]*)/g)].every((m) => /dengmei/.test(m[1]))).toBe(true);
});

test('the sweep page shows its last runs on the simulated clock, with what each did', async () => {
  await stack.setClock('2023-09-02T10:00:00+08:00');
  const page = (await getPage('/_local/console/sweep')).html;
  expect(page).toContain('2023-09-02 10:00:0');
  for (const label of ['启动 Started', '提醒 Reminded', '过期 Expired', '失败 Failed']) expect(page).toContain(label);
});

test('after a restart: the resumed execution is labelled, the aborted one says a restart stopped it, the emails are still there', async () => {
  const before = (await stack.emails()).length;
  await stack.restart();
  const page = await eventually(
    async () => {
      const html = (await getPage(`/_local/console/applications/${ids.salon}`)).html;
      return html.includes(`${ids.salon}-s1`) ? html : undefined;
    },
    20_000,
    'the resumed execution',
  );
  const executions = page.slice(page.indexOf('工作流执行 Executions</h2>'));
  const row = (name: string) =>
    executions.slice(
      executions.indexOf(`/executions/${name}"`),
      executions.indexOf('</tr>', executions.indexOf(`/executions/${name}"`)),
    );
  expect(row(ids.salon)).toContain('ABORTED · 被重启中止 stopped by a restart');
  expect(row(ids.salon)).not.toContain('当前 current');
  expect(row(`${ids.salon}-s1`)).toContain('重启后续跑（第 1 次）Resumed after a restart (#1)');
  expect(row(`${ids.salon}-s1`)).toContain('当前 current');
  // Still waiting on the same tasks, with the same links; every email still rendered.
  expect(page).toContain('纸质材料签收');
  expect((await stack.emails()).length).toBeGreaterThanOrEqual(before);
  expect(page).not.toContain('本地邮箱中没有此邮件正文');

  // The executions list names the application of the resumed execution too.
  const list = (await getPage('/_local/console/executions')).html;
  const resumedRow = list.slice(
    list.indexOf(`/executions/${ids.salon}-s1"`),
    list.indexOf('</tr>', list.indexOf(`/executions/${ids.salon}-s1"`)),
  );
  expect(resumedRow).toContain(`/_local/console/applications/${ids.salon}`);
  expect(resumedRow).toContain('形式检查通过 Formal check passed');
  const detail = (await getPage(`/_local/console/executions/${ids.salon}`)).html;
  expect(detail).toContain('stopped by a restart');
  expect(detail).toContain(`${ids.salon}-s1`);
});
