import { type ApplicationForm, validateApplication } from '@shared/domain/application-form';
import { getCall, getProjectType } from '@shared/domain/catalogue';
import {
  escapeHtml,
  renderAnswered,
  renderLinkProblem,
  renderStaffTaskList,
  renderTaskPage,
  type TaskPageView,
} from '@shared/domain/tasks/pages';
import type { LinkTaskKind } from '@shared/domain/tasks/record';
import { example, exampleForm } from '../support/fixtures';

const call = getCall('gdast-2024')!;
const type = getProjectType(call, 'lingnan-forum')!;

const POST_URL = 'http://127.0.0.1:3000/tasks/AbCdEfGhIjKlMnOpQr_-09?sig=abc_DEF-123&x=1';

function view(
  kind: LinkTaskKind,
  overrides: Partial<TaskPageView> = {},
  f: ApplicationForm = exampleForm('lingnan-forum'),
): TaskPageView {
  return {
    taskId: 'AbCdEfGhIjKlMnOpQr_-09',
    kind,
    state: 'OPEN',
    // 2023-09-28 17:00 Beijing
    dueAt: new Date('2023-09-28T09:00:00Z'),
    postUrl: POST_URL,
    assignee: { name: '邓梅' },
    application: {
      applicationId: 'app-0001',
      title: f.title,
      unitName: '广东省物理学会',
      typeName: type.name,
      requestedCny: f.budget.requestedCny,
      submittedAt: '2023-09-20T10:15:00.000+08:00',
      form: f,
    },
    type,
    call,
    ...overrides,
  };
}

/** The page's form, or undefined when it has none. */
const formOf = (html: string) => /<form\b[\s\S]*?<\/form>/.exec(html)?.[0];

describe('escapeHtml', () => {
  test('escapes the five characters that matter', () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;',
    );
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('every page', () => {
  const hostile = `<script>alert("pwned")</script>"><img src=x onerror=alert(1)>`;
  const f = exampleForm('lingnan-forum', (b) => {
    b.title = `论坛 ${hostile}`;
    b.lead.name = `<b>陈</b>"`;
    b.summary = `</details>${hostile}`;
    b.budget.items[0].name = hostile;
    b.performanceTargets.effect[0].name = hostile;
    b.details.speakers[0].affiliation = hostile;
  });
  const pages = {
    formal: renderTaskPage(
      view(
        'formal-review',
        {
          assignee: { name: hostile },
          application: {
            ...view('formal-review', {}, f).application,
            unitName: hostile,
            formalCheckReasons: [{ text: { zh: hostile, en: hostile } }],
          },
        },
        f,
      ),
    ),
    target: renderTaskPage(view('target-review', {}, f)),
    paper: renderTaskPage(view('paper-copy', { postUrl: `${POST_URL}"><script>x</script>` }, f)),
    done: renderTaskPage(
      view(
        'formal-review',
        {
          state: 'DONE',
          answer: { answer: 'return', reasons: [hostile], answeredAt: '2023-09-27T10:00:00.000+08:00' },
        },
        f,
      ),
    ),
    answered: renderAnswered(
      view(
        'target-review',
        { state: 'DONE', answer: { answer: 'fail', reasons: [hostile], answeredAt: '2023-09-27T10:00:00.000+08:00' } },
        f,
      ),
    ),
    problem: renderLinkProblem('VALIDATION_FAILED', hostile, [{ path: hostile, message: hostile }]),
    list: renderStaffTaskList(
      [
        {
          taskId: 'x',
          kind: 'paper-copy',
          title: hostile,
          unitName: hostile,
          dueAt: new Date(),
          link: `https://x/"><script>`,
          overdue: true,
        },
      ],
      new Date(),
    ),
  };

  test.each(Object.entries(pages))('%s: escapes every dynamic value', (_name, html) => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>陈');
    expect(html).not.toMatch(/"><(script|img)/);
    expect(html).not.toContain('</details><');
  });

  test('a hostile title shows as text', () => {
    expect(pages.formal).toContain(
      '论坛 &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
    );
    expect(pages.paper).toContain(`action="${escapeHtml(`${POST_URL}"><script>x</script>`)}"`);
  });

  test.each(Object.entries(pages))('%s: a whole document for a phone, in Chinese', (_name, html) => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta name="referrer" content="same-origin">');
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });
});

describe('renderTaskPage: formal-review', () => {
  const html = renderTaskPage(view('formal-review'));
  const f = formOf(html)!;

  test('posts to the link itself, form-encoded', () => {
    expect(f).toContain(
      `<form method="post" action="${escapeHtml(POST_URL)}" enctype="application/x-www-form-urlencoded"`,
    );
  });

  test('offers pass / return / reject, Chinese before English, and says when reasons are needed', () => {
    for (const [value, zh, en] of [
      ['pass', '通过', 'Pass'],
      ['return', '退回修改', 'Return for correction'],
      ['reject', '不予受理', 'Reject'],
    ]) {
      const input = f.indexOf(`name="answer" value="${value}"`);
      expect(input).toBeGreaterThan(-1);
      const zhAt = f.indexOf(zh, input);
      expect(zhAt).toBeGreaterThan(input);
      expect(f.indexOf(en, input)).toBeGreaterThan(zhAt);
    }
    expect(f).toContain('<textarea id="reasons" name="reasons"');
    expect(f).toContain('每行一条');
    expect(f).toMatch(/退回修改.*不予受理.*必填/);
    expect(f).toContain('required for return and reject');
    expect(f).toContain('name="correctionDueOn"');
    expect(f).toMatch(/<input type="date" id="correctionDueOn" name="correctionDueOn"/);
  });

  test('shows the application summary', () => {
    expect(html).toContain('2024岭南科学论坛——量子科技赋能未来产业发展');
    expect(html).toContain('广东省物理学会');
    expect(html).toContain('岭南科学论坛');
    expect(html).toContain('Lingnan Science Forum');
    expect(html).toContain('10 万元（100,000 元）');
    expect(html).toContain('CNY 100,000');
    expect(html).toContain('2024年3月1日');
    expect(html).toContain('2024年11月30日');
    expect(html).toContain('2023年9月20日 10时15分');
    expect(html).toContain('陈志远');
    expect(html).toContain('李晓琳');
    expect(html).toContain('href="tel:02084110002"');
    expect(html).toContain('app-0001');
    // the type-specific details, labelled
    expect(html).toContain('线下参会人数');
    expect(html).toContain('量子精密测量');
  });

  test('lists what to check: the type requirements and the automatic findings', () => {
    for (const r of type.requirements) expect(html).toContain(escapeHtml(r.text.zh));
    expect(html).toContain('自动形式审查未发现问题');
    const withReasons = renderTaskPage(
      view('formal-review', {
        application: {
          ...view('formal-review').application,
          formalCheckReasons: [{ text: { zh: '线下参会人数不足200人', en: 'Offline attendance under 200' } }],
        },
      }),
    );
    expect(withReasons).toContain('线下参会人数不足200人');
    expect(withReasons).toContain('Offline attendance under 200');
  });

  test('writes the due time the Chinese way, in Beijing time, before the English', () => {
    expect(html).toContain('2023年9月28日 17时（北京时间）');
    expect(html).toContain('28 September 2023, 17:00 (Beijing time)');
    expect(html.indexOf('2023年9月28日 17时')).toBeLessThan(html.indexOf('28 September 2023, 17:00'));
    const endOfDay = renderTaskPage(view('formal-review', { dueAt: new Date('2023-09-25T23:59:59.999+08:00') }));
    expect(endOfDay).toContain('2023年9月25日 24时');
    const minutes = renderTaskPage(view('formal-review', { dueAt: new Date('2023-09-26T09:30:00+08:00') }));
    expect(minutes).toContain('2023年9月26日 9时30分');
  });

  test('headings put Chinese first', () => {
    expect(html.indexOf('形式审查确认')).toBeLessThan(html.indexOf('Formal review'));
    expect(html.indexOf('申报项目')).toBeLessThan(html.indexOf('The application'));
  });
});

describe('renderTaskPage: paper-copy', () => {
  const html = renderTaskPage(view('paper-copy', { answerableUntil: new Date('2023-10-01T23:59:59.999+08:00') }));
  const f = formOf(html)!;

  test('asks for the date received, with a single received button', () => {
    expect(f).toContain('<input type="hidden" name="answer" value="received">');
    expect(f).toMatch(/<input type="date" id="receivedOn" name="receivedOn" required/);
    expect(f).toMatch(/<button type="submit">已收到 <span class="en" lang="en">Received<\/span><\/button>/);
    expect(f).not.toContain('name="reasons"');
  });

  test('says only copies received by the paper deadline count, and until when staff may record', () => {
    expect(html).toContain('2023年9月28日 24时（北京时间）前收到的纸质申请书有效');
    expect(html).toContain(
      'Only copies received by the paper deadline, 28 September 2023, 24:00 (Beijing time), count',
    );
    expect(html).toContain('可登记至 2023年10月1日 24时');
    expect(html).toContain('may be recorded until 1 October 2023, 24:00');
    expect(html).toContain('加盖申报单位公章');
  });
});

describe('renderTaskPage: target-review', () => {
  const html = renderTaskPage(view('target-review'));
  const f = formOf(html)!;

  test('offers pass / fail, reasons required for fail', () => {
    expect(f).toContain('name="answer" value="pass"');
    expect(f).toContain('name="answer" value="fail"');
    expect(f).toMatch(/value="pass"[^]*通过[^]*Pass/);
    expect(f).toMatch(/value="fail"[^]*不通过[^]*Fail/);
    expect(f).toContain('name="reasons"');
    expect(f).toMatch(/不通过.*必填/);
    expect(f).not.toContain('correctionDueOn');
    expect(f).not.toContain('receivedOn');
  });

  test('shows every performance target with its target and unit', () => {
    const targets = exampleForm('lingnan-forum').performanceTargets;
    const all = [
      ...targets.output.quantity,
      ...targets.output.quality,
      ...targets.output.timeliness,
      ...targets.output.cost,
      ...targets.effect,
      ...targets.satisfaction,
    ];
    expect(all.length).toBeGreaterThan(5);
    for (const i of all) {
      expect(html).toContain(escapeHtml(i.name));
      expect(html).toContain(escapeHtml(typeof i.target === 'number' ? i.target.toLocaleString('en-US') : i.target));
      expect(html).toContain(escapeHtml(i.unit));
    }
    for (const group of [
      '产出指标—数量指标',
      '产出指标—质量指标',
      '产出指标—时效指标',
      '产出指标—成本指标',
      '效益指标',
      '满意度指标',
    ]) {
      expect(html).toContain(group);
    }
    expect(html).toContain('≥90');
    expect(html).toContain('2024年10月底前');
  });

  test('shows the type requirements and the budget against the funding', () => {
    for (const r of type.requirements) expect(html).toContain(escapeHtml(r.text.zh));
    const budget = exampleForm('lingnan-forum').budget;
    for (const item of budget.items) expect(html).toContain(item.name);
    expect(html).toContain('专家咨询及报告劳务费');
    expect(html).toContain('30,000');
    expect(html).toContain('本类型资助额度');
    expect(html).toContain('每项 10 万元');
    expect(html).toContain('CNY 100,000 per award');
  });

  test('shows matching funds and a range funding when there are', () => {
    const psType = getProjectType(call, 'public-service-capacity')!;
    const body = example('public-service-capacity');
    body.budget.matchingFundsCny = 25000;
    const r = validateApplication(call, body);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const page = renderTaskPage({ ...view('target-review', {}, r.value), type: psType });
    expect(page).toContain('自筹配套经费');
    expect(page).toContain('2.5 万元（25,000 元）');
    expect(page).toContain('每项 5–10 万元');
    // the chosen objective, by its text
    const chosen = (r.value.details as { objective: string }).objective;
    const objective = psType.objectives!.find((o) => o.id === chosen)!;
    expect(page).toContain(escapeHtml(objective.text.zh));
  });
});

describe('renderTaskPage when the task is not open', () => {
  const answer = {
    answer: 'return',
    reasons: ['缺少第3位报告专家的职称', '预算明细需细化'],
    correctionDueAt: '2023-09-25T15:59:59.999Z',
    answeredAt: '2023-09-27T10:00:00.000+08:00',
  };

  test('DONE: no form, the answer shown', () => {
    const html = renderTaskPage(view('formal-review', { state: 'DONE', answer }));
    expect(formOf(html)).toBeUndefined();
    expect(html).not.toContain('name="answer"');
    expect(html).toContain('此任务已处理');
    expect(html).toContain('This task has already been answered');
    expect(html).toContain('退回修改');
    expect(html).toContain('缺少第3位报告专家的职称');
    expect(html).toContain('预算明细需细化');
    expect(html).toContain('2023年9月25日 24时');
    expect(html).toContain('2023年9月27日 10时');
  });

  test('CLOSING: no form, being recorded', () => {
    const html = renderTaskPage(
      view('paper-copy', {
        state: 'CLOSING',
        answer: { answer: 'received', receivedOn: '2023-09-27', answeredAt: '2023-09-27T10:00:00.000+08:00' },
      }),
    );
    expect(formOf(html)).toBeUndefined();
    expect(html).toContain('正在登记');
    expect(html).toContain('2023年9月27日');
    expect(html).toContain('已收到');
  });

  test.each(['EXPIRED', 'CANCELLED'] as const)('%s: no form, the link no longer works', (state) => {
    const html = renderTaskPage(view('target-review', { state }));
    expect(formOf(html)).toBeUndefined();
    expect(html).not.toContain('<button');
    expect(html).toMatch(
      state === 'EXPIRED' ? /此链接已过期[^]*This link has expired/ : /此链接已失效[^]*This link no longer works/,
    );
  });
});

describe('renderAnswered', () => {
  test('says what was recorded, Chinese then English', () => {
    const html = renderAnswered(
      view('paper-copy', {
        state: 'DONE',
        answer: { answer: 'received', receivedOn: '2023-09-27', answeredAt: '2023-09-28T09:12:00.000+08:00' },
      }),
    );
    expect(formOf(html)).toBeUndefined();
    expect(html.indexOf('已登记')).toBeLessThan(html.indexOf('Recorded'));
    expect(html).toContain('已收到');
    expect(html).toContain('2023年9月27日');
    expect(html).toContain('27 September 2023');
    expect(html).toContain('2023年9月28日 9时12分');
    expect(html).toContain('app-0001');
  });

  test('lists the reasons given', () => {
    const html = renderAnswered(
      view('target-review', {
        state: 'DONE',
        answer: { answer: 'fail', reasons: ['成本指标与预算不符'], answeredAt: '2023-10-03T11:00:00.000+08:00' },
      }),
    );
    expect(html).toContain('不通过');
    expect(html).toContain('Fail');
    expect(html).toContain('成本指标与预算不符');
  });
});

describe('renderLinkProblem', () => {
  test.each([
    ['LINK_INVALID', '链接无效', 'This link is not valid'],
    ['LINK_EXPIRED', '链接已失效', 'This link has expired'],
    ['ALREADY_DONE', '此任务已处理', 'This task has already been answered'],
    ['NOT_FOUND', '未找到此任务', 'Task not found'],
    ['VALIDATION_FAILED', '答复未能登记', 'The answer could not be recorded'],
  ] as const)('%s explains itself and whom to contact', (code, zh, en) => {
    const html = renderLinkProblem(code, 'the message');
    expect(html).toContain(zh);
    expect(html).toContain(en);
    expect(html.indexOf(zh)).toBeLessThan(html.indexOf(en));
    expect(html).toContain('请联系向您发送此邮件的省科协工作人员');
    expect(html).toContain('the message');
    expect(html).toContain(code);
    expect(formOf(html)).toBeUndefined();
  });

  test('lists the field details', () => {
    const html = renderLinkProblem('VALIDATION_FAILED', 'the answer is invalid', [
      { path: 'reasons', message: 'reasons are required when returning' },
      { path: 'correctionDueOn', message: 'must be a real date written YYYY-MM-DD' },
    ]);
    expect(html).toContain('reasons are required when returning');
    expect(html).toContain('correctionDueOn');
  });
});

describe('renderStaffTaskList', () => {
  const now = new Date('2023-09-29T09:00:00+08:00');
  const tasks = [
    {
      taskId: 'c',
      kind: 'target-review' as const,
      title: '项目丙',
      unitName: '单位丙',
      dueAt: new Date('2023-10-05T17:00:00+08:00'),
      link: 'http://x/tasks/c?sig=3&a=b',
      overdue: false,
    },
    {
      taskId: 'a',
      kind: 'paper-copy' as const,
      title: '项目甲',
      unitName: '单位甲',
      dueAt: new Date('2023-09-28T23:59:59.999+08:00'),
      link: 'http://x/tasks/a?sig=1',
      overdue: true,
    },
    {
      taskId: 'b',
      kind: 'formal-review' as const,
      title: '项目乙',
      unitName: '单位乙',
      dueAt: new Date('2023-09-30T17:00:00+08:00'),
      link: 'http://x/tasks/b?sig=2',
      overdue: false,
    },
  ];
  const html = renderStaffTaskList(tasks, now);

  test('lists the tasks soonest due first, without reordering the input', () => {
    expect(html.indexOf('项目甲')).toBeLessThan(html.indexOf('项目乙'));
    expect(html.indexOf('项目乙')).toBeLessThan(html.indexOf('项目丙'));
    expect(tasks.map((t) => t.taskId)).toEqual(['c', 'a', 'b']);
  });

  test('highlights the overdue ones', () => {
    expect(html.match(/class="task overdue"/g)).toHaveLength(1);
    expect(html.match(/已逾期/g)).toHaveLength(1);
    const overdueCard = /<section class="task overdue">[\s\S]*?<\/section>/.exec(html)![0];
    expect(overdueCard).toContain('项目甲');
    expect(html).toContain('共 3 项，其中逾期 1 项');
  });

  test('links each task, with its kind and due time', () => {
    expect(html).toContain('href="http://x/tasks/c?sig=3&amp;a=b"');
    expect(html).toContain('纸质申请书签收');
    expect(html).toContain('2023年9月30日 17时');
    expect(html).toContain('2023年9月28日 24时');
  });

  test('says so when there is nothing to do', () => {
    expect(renderStaffTaskList([], now)).toContain('暂无待办任务');
  });
});
