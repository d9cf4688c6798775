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

/** Text as the console escapes it. */
const escapeText = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

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

/** The answer to a GET without following a redirect: where it sends, and its body. */
async function getRaw(
  route: string,
  method = 'GET',
): Promise<{ status: number; location: string | null; html: string }> {
  const response = await fetch(`${stack.urls.api}${route}`, { method, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

/** One section of a page: from a marker to the next. */
const between = (html: string, from: string, to: string) =>
  html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));

/** The workflow section of an execution's page: what the workflow does now, and the application's executions. */
async function workflowOf(execution: string): Promise<string> {
  const page = await getPage(`/_local/console/executions/${execution}`);
  expect(page.status).toBe(200);
  return between(page.html, 'id="workflow"', '<h2>Input</h2>');
}

test('the console’s home: the clock and local mode’s tools, and where the applications are', async () => {
  // A move of the clock runs the sweep: the home names that run.
  await stack.setClock('2023-09-02T09:00:00+08:00');
  const home = await getPage('/_local/console');
  expect(home.status).toBe(200);
  expect(home.type).toBe('text/html; charset=utf-8');
  expect(home.html).not.toMatch(/<script|<link|src=/i);
  expect(home.html).toContain('<h1>本地控制台 Local console</h1>');
  // The applications are the workspace's: one line and a link, and none of them listed here.
  expect(home.html).toContain('<a href="/app/staff/applications">/app/staff/applications</a>');
  for (const id of Object.values(ids)) expect(home.html).not.toContain(id);
  expect(home.html).not.toContain('/_local/console/quotas');
  // The clock, now, on the simulated clock, and how to move it.
  expect(home.html).toMatch(/现在 Now: <strong>2023-09-02 09:00:\d\d<\/strong>/);
  expect(home.html).toContain('POST /_local/clock');
  // Each tool, with what it holds now.
  for (const tool of ['/executions', '/mailbox', '/sweep'])
    expect(home.html).toContain(`href="/_local/console${tool}"`);
  expect(home.html).toMatch(/\d+ 运行中 running/);
  expect(home.html).toContain(`${(await stack.emails()).length} 封 email(s)`);
  expect(home.html).toMatch(/上次 last run 2023-09-02 09:00:\d\d/);
  // The navigation: the console's pages, then the workspace's applications.
  expect(home.html).toContain('<a href="/_local/console" class="on">首页 Home</a>');
  expect(home.html).toContain('<a href="/app/staff/applications">申请（工作台）Applications (workspace) ↗</a>');
});

test('the old application pages send to the workspace, so old links still land', async () => {
  for (const method of ['GET', 'HEAD']) {
    const moved = await getRaw(`/_local/console/applications/${ids.salon}`, method);
    expect(moved.status).toBe(302);
    expect(moved.location).toBe(`/app/staff/applications/${ids.salon}`);
  }
  expect((await getRaw(`/_local/console/applications/${ids.salon}/`)).location).toBe(
    `/app/staff/applications/${ids.salon}`,
  );
  const quotas = await getRaw('/_local/console/quotas');
  expect(quotas.status).toBe(302);
  expect(quotas.location).toBe('/app/');
  expect((await getRaw('/_local/console/applications')).location).toBe('/app/staff/applications');
  // The old list's filters, as the workspace's table names them; its stages were other groups.
  const filtered = await getRaw(
    '/_local/console?unit=console-apps-a&type=lingnan-forum&status=withdrawn&stage=Withdrawal',
  );
  expect(filtered.status).toBe(302);
  expect(filtered.location).toBe('/app/staff/applications?unitId=console-apps-a&typeId=lingnan-forum&status=WITHDRAWN');
  expect((await getRaw('/_local/console?stage=Withdrawal')).location).toBe('/app/staff/applications');
  expect((await getRaw('/_local/console?call=gdast-2024')).location).toBe('/app/staff/applications?call=gdast-2024');
  // The redirect's page says where, for a client that does not follow it.
  expect(quotas.html).toContain('<a href="/app/">/app/</a>');
  // Not an id: the console's 404 page, not a redirect.
  const broken = await getRaw('/_local/console/applications/%E0%A4%A');
  expect(broken.status).toBe(404);
  expect(broken.location).toBeNull();
});

test('an application waiting on the staff: its execution page says what the workflow waits on, and lists its executions', async () => {
  const workflow = await workflowOf(ids.salon);
  expect(workflow).toContain('等待 Waiting on:');
  expect(workflow).toContain('形式审查');
  expect(workflow).toContain('纸质材料签收');
  // Who holds each task and until when is the workspace's.
  expect(workflow).toContain(`href="/app/staff/applications/${ids.salon}"`);
  // Its execution: the first, current, still running.
  expect(workflow).toContain(`href="/_local/console/executions/${ids.salon}"`);
  expect(workflow).toContain('首次运行 First run');
  expect(workflow).toContain('当前 current');
  expect(workflow).toContain('st-running');
  // The unit's correction is what a returned application waits on.
  expect(await workflowOf(ids.returned)).toContain('单位修改申请书');
});

test('every email an application was sent, in the mailbox filtered to it, with its body', async () => {
  const page = (await getPage(`/_local/console/mailbox?application=${ids.returned}`)).html;
  const record = (await api.request('GET', `/applications/${ids.returned}`, { token: await api.staffToken() })).body;
  expect(record.emails.length).toBeGreaterThanOrEqual(2);
  const sent = await stack.emails();
  const subjects = [...page.matchAll(/<div class="subject">([^<]*)<\/div>/g)].map((m) => m[1]);
  // Every one and only these.
  const sentToIt = record.emails.map((entry: { messageId: string }) =>
    sent.find((email: StoredEmail) => email.messageId === entry.messageId)!,
  );
  expect([...subjects].sort()).toEqual(sentToIt.map((email: StoredEmail) => escapeText(email.subject)).sort());
  for (const logged of record.emails) {
    const stored = sent.find((email: StoredEmail) => email.messageId === logged.messageId)!;
    // The body, escaped, its first lines as sent.
    const firstLine = (stored.body.text ?? '').split('\n').find((line) => line.trim() && !/https?:/.test(line))!;
    expect(page).toContain(escapeText(firstLine));
  }
  expect(page).toContain(`关于申请 about application <span class="mono">${ids.returned}</span>`);
  // The staff's task emails carry their signed links, clickable here.
  const salon = (await getPage(`/_local/console/mailbox?application=${ids.salon}`)).html;
  const emailed = sent
    .filter((e) => e.subject.startsWith('【待办') && (e.body.text ?? '').includes(ids.salon))
    .flatMap(taskLinksIn);
  expect(emailed).toHaveLength(2);
  for (const link of emailed) expect(salon).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
});

test('a withdrawn application: finished, grey, its execution SUCCEEDED but labelled as the workflow', async () => {
  const page = (await getPage(`/_local/console/executions/${ids.withdrawn}`)).html;
  expect(page).not.toMatch(/<script/i);
  expect(page).toContain(ESCAPED);
  const workflow = between(page, 'id="workflow"', '<h2>Input</h2>');
  expect(workflow).toContain('已结束，没有待办');
  expect(workflow).toContain('st-succeeded');
  expect(workflow).toContain("An execution's status is its workflow's, not the application's");
  expect(page).toMatch(/class="badge tone-grey"[^>]*>已撤回 Withdrawn<\/span>/);
  expect(page).toContain('Withdrawal');
});

test('user text is escaped on every page; an old link with a hostile id is sent on encoded', async () => {
  for (const route of [
    '/_local/console/executions',
    `/_local/console/executions/${ids.withdrawn}`,
    '/_local/console/mailbox',
    `/_local/console/mailbox?application=${ids.withdrawn}`,
  ]) {
    const page = await getPage(route);
    expect(page.status).toBe(200);
    expect(page.html).toContain(ESCAPED);
    expect(page.html).not.toMatch(/<script/i);
  }
  const probe = await getRaw(`/_local/console/applications/${encodeURIComponent('<script>x</script>')}`);
  expect(probe.status).toBe(302);
  expect(probe.location).toBe(`/app/staff/applications/${encodeURIComponent('<script>x</script>')}`);
  expect(probe.html).not.toMatch(/<script/i);
  const reflected = await getRaw(`/_local/console?unit=${encodeURIComponent('"><script>alert(1)</script>')}`);
  expect(reflected.status).toBe(302);
  expect(reflected.location).toBe(
    `/app/staff/applications?${new URLSearchParams({ unitId: '"><script>alert(1)</script>' })}`,
  );
  expect(reflected.html).not.toMatch(/<script/i);
  const filter = await getPage(
    `/_local/console/mailbox?application=${encodeURIComponent('"><script>alert(1)</script>')}`,
  );
  expect(filter.status).toBe(200);
  expect(filter.html).not.toMatch(/<script/i);
  expect(filter.html).toContain('没有邮件 No emails.');
});

test('the mailbox: every email, newest first, bodies shown, on the simulated clock, nothing to clear', async () => {
  const page = (await getPage('/_local/console/mailbox')).html;
  const sent = await stack.emails();
  const subjects = [...page.matchAll(/<div class="subject">([^<]*)<\/div>/g)].map((m) => m[1]);
  expect(subjects.length).toBe(Math.min(50, sent.length));
  expect(subjects[0]).toBe(escapeText(sent.at(-1)!.subject));
  expect(subjects.at(-1)).toBe(escapeText(sent.at(-Math.min(50, sent.length))!.subject));
  // Each body in full, its links clickable; the time of each on the simulated clock (2023), never the wall clock.
  expect(page).toContain('<pre class="body">');
  expect(page).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/tasks\/[A-Za-z0-9_-]{22}\?sig=/);
  expect(page).not.toContain('wall clock');
  expect(page).toMatch(/2023-09-0\d \d\d:\d\d:\d\d · 收件人 To:/);
  // Linked to the application each was about, in the workspace, and to its other emails here;
  // filtered by recipient; no button, no form that changes anything.
  expect(page).toContain(`href="/app/staff/applications/${ids.forum}"`);
  expect(page).toContain(`href="/_local/console/mailbox?application=${ids.forum}"`);
  expect(page).not.toContain('/_local/console/applications/');
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
  const workflow = await eventually(
    async () => {
      const html = await workflowOf(ids.salon);
      return html.includes(`${ids.salon}-s1`) ? html : undefined;
    },
    20_000,
    'the resumed execution',
  );
  const row = (name: string) =>
    workflow.slice(
      workflow.indexOf(`/executions/${name}"`),
      workflow.indexOf('</tr>', workflow.indexOf(`/executions/${name}"`)),
    );
  expect(row(ids.salon)).toContain('ABORTED · 被重启中止 stopped by a restart');
  expect(row(ids.salon)).not.toContain('当前 current');
  expect(row(`${ids.salon}-s1`)).toContain('重启后续跑（第 1 次）Resumed after a restart (#1)');
  expect(row(`${ids.salon}-s1`)).toContain('当前 current');
  // Still waiting on the same tasks; every email it was sent still in the mailbox, with its body.
  expect(workflow).toContain('纸质材料签收');
  expect((await stack.emails()).length).toBeGreaterThanOrEqual(before);
  const record = (await api.request('GET', `/applications/${ids.salon}`, { token: await api.staffToken() })).body;
  const mailbox = (await getPage(`/_local/console/mailbox?application=${ids.salon}`)).html;
  expect([...mailbox.matchAll(/<pre class="body">/g)]).toHaveLength(record.emails.length);

  // The executions list names the application of the resumed execution too.
  const list = (await getPage('/_local/console/executions')).html;
  const resumedRow = list.slice(
    list.indexOf(`/executions/${ids.salon}-s1"`),
    list.indexOf('</tr>', list.indexOf(`/executions/${ids.salon}-s1"`)),
  );
  expect(resumedRow).toContain(`href="/app/staff/applications/${ids.salon}"`);
  expect(resumedRow).toContain('形式检查通过 Formal check passed');
  const detail = (await getPage(`/_local/console/executions/${ids.salon}`)).html;
  expect(detail).toContain('stopped by a restart');
  expect(detail).toContain(`${ids.salon}-s1`);
});
