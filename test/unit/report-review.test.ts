import { getCall, getProjectType } from '@shared/domain/catalogue';
import { readTaskAnswer, TARGET_FIELD_PREFIX, type TargetToJudge } from '@shared/domain/tasks/link-rules';
import { briefOf, type ObligationRecord, obligationsFor, type ReportSubmission } from '@shared/domain/obligations';
import {
  escapeHtml,
  renderAnswered,
  renderTaskPage,
  type ReportReviewView,
  type TaskPageView,
} from '@shared/domain/tasks/pages';
import type { TaskAnswer } from '@shared/domain/tasks/record';
import { exampleForm } from '../support/fixtures';

const call = getCall('gdast-2024')!;
const type = getProjectType(call, 'lingnan-forum')!;
const now = new Date('2025-01-10T10:00:00+08:00');
const hostile = `<script>alert("pwned")</script>"><img src=x onerror=alert(1)>`;
const POST_URL = 'http://127.0.0.1:3000/tasks/RrEeVvIiEeWw_-01?sig=abc_DEF-123&x=1';

const theForm = exampleForm('lingnan-forum');
const obligations = obligationsFor(
  call,
  type,
  { applicationId: 'app-0001', unitId: 'gd-physics-society', form: theForm },
  '2024-12-01T10:00:00.000+08:00',
);
const byReport = (report: string) => obligations.find((o) => o.report === report)!;
const summaryObligation = byReport('summary');
const targets: TargetToJudge[] = summaryObligation.targets!.map((t) => ({ path: t.path, indicator: t.indicator }));
const paths = targets.map((t) => t.path);

const allMet = Object.fromEntries(paths.map((p) => [p, true]));
const flatAllMet = Object.fromEntries(paths.map((p) => [`${TARGET_FIELD_PREFIX}${p}`, 'met']));

/** `null`: the reviewed report is not a summary (no targets to judge). */
const read = (body: unknown, withTargets: readonly TargetToJudge[] | null = targets) =>
  readTaskAnswer('report-review', body, { call, now, ...(withTargets ? { targets: withTargets } : {}) });
const detailPaths = (result: ReturnType<typeof read>) => (result.ok ? [] : result.details.map((d) => d.path));

describe('readTaskAnswer: report-review', () => {
  test('the lingnan forum example has the targets these tests name', () => {
    expect(paths).toEqual([
      'output.quantity.0',
      'output.quantity.1',
      'output.quantity.2',
      'output.quality.0',
      'output.timeliness.0',
      'output.cost.0',
      'effect.0',
      'effect.1',
      'satisfaction.0',
    ]);
  });

  test('accept of a report that is not a summary: nothing more needed, no targets carried', () => {
    const result = read({ answer: 'accept' }, null);
    expect(result).toEqual({ ok: true, answer: { answer: 'accept', answeredAt: '' } });
  });

  test('return needs reasons; given as text, one per line', () => {
    expect(read({ answer: 'return' }, null)).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'reasons', code: 'REQUIRED' })],
    });
    expect(read({ answer: 'return', reasons: '  \n ' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'reasons', code: 'REQUIRED' })],
    });
    const result = read({ answer: 'return', reasons: '附件未盖章\r\n参会人数与签到表不符' });
    expect(result).toEqual({
      ok: true,
      answer: { answer: 'return', answeredAt: '', reasons: ['附件未盖章', '参会人数与签到表不符'] },
    });
  });

  test('return of a summary needs no findings, and findings given with it are not carried', () => {
    const result = read({ answer: 'return', reasons: ['请补充满意度调查'], ...flatAllMet });
    expect(result.ok && result.answer.targets).toBeUndefined();
    expect(read({ answer: 'return', reasons: ['x'] }).ok).toBe(true);
  });

  test('only accept and return are answers', () => {
    expect(detailPaths(read({ answer: 'pass' }))).toEqual(['answer']);
    expect(detailPaths(read({}))).toEqual(['answer']);
  });

  test('JSON: a summary accept with every target carries targets (path → met)', () => {
    const findings = { ...allMet, 'effect.0': false, 'satisfaction.0': false };
    const result = read({ answer: 'accept', targets: findings });
    expect(result).toEqual({ ok: true, answer: { answer: 'accept', answeredAt: '', targets: findings } });
  });

  test('form-encoded: target.<path> = met | not-met, the same answer', () => {
    const result = read({
      answer: 'accept',
      ...flatAllMet,
      'target.effect.0': 'not-met',
      'target.output.cost.0': ' MET ',
    });
    expect(result).toEqual({
      ok: true,
      answer: { answer: 'accept', answeredAt: '', targets: { ...allMet, 'effect.0': false } },
    });
  });

  test('JSON findings may also be written met / not-met', () => {
    const result = read({ answer: 'accept', targets: { ...allMet, 'effect.1': 'not-met' } });
    expect(result.ok && result.answer.targets?.['effect.1']).toBe(false);
  });

  test('a summary accept must answer EVERY target: each missing one is named targets.<path>', () => {
    const { 'effect.0': _e, 'satisfaction.0': _s, ...some } = allMet;
    const result = read({ answer: 'accept', targets: some });
    expect(result).toEqual({
      ok: false,
      details: [
        expect.objectContaining({
          path: 'targets.effect.0',
          code: 'REQUIRED',
          message: expect.stringContaining('形成产业（学术）发展报告'),
        }),
        expect.objectContaining({ path: 'targets.satisfaction.0', code: 'REQUIRED' }),
      ],
    });
    expect(detailPaths(read({ answer: 'accept' }))).toEqual(paths.map((p) => `targets.${p}`));
  });

  test('unknown paths are refused by name', () => {
    const result = read({ answer: 'accept', targets: { ...allMet, 'output.quantity.9': true, __proto__x: false } });
    expect(detailPaths(result)).toEqual(['targets.output.quantity.9', 'targets.__proto__x']);
    expect(!result.ok && result.details[0].code).toBe('UNKNOWN_TARGET');
    const proto = read(
      JSON.parse(`{"answer":"accept","targets":${JSON.stringify({ ...allMet })},"target.__proto__":"met"}`),
    );
    expect(detailPaths(proto)).toEqual(['targets']); // both forms at once
    const protoKey = read(JSON.parse(`{"answer":"accept","targets":{"__proto__":true}}`));
    expect(detailPaths(protoKey)).toEqual(['targets.__proto__', ...paths.map((p) => `targets.${p}`)]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a finding that is neither met nor not met is named (not also reported missing)', () => {
    const result = read({ answer: 'accept', ...flatAllMet, 'target.effect.0': 'maybe' });
    expect(result).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'targets.effect.0', code: 'INVALID_VALUE' })],
    });
    expect(detailPaths(read({ answer: 'accept', targets: { ...allMet, 'effect.0': 1 } }))).toEqual([
      'targets.effect.0',
    ]);
  });

  test('targets that are not an object, or both forms at once, are refused', () => {
    expect(read({ answer: 'accept', targets: [true] })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'targets', code: 'INVALID_TYPE' })],
    });
    expect(read({ answer: 'accept', targets: allMet, ...flatAllMet })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'targets', code: 'AMBIGUOUS' })],
    });
  });

  test('findings on a report that is not a summary are refused', () => {
    expect(read({ answer: 'accept', 'target.effect.0': 'met' }, null)).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'targets.effect.0', code: 'UNKNOWN_TARGET' })],
    });
  });

  test('thousands of unknown paths: a bounded list of details', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x.${i}`, true]));
    const result = read({ answer: 'accept', targets: { ...allMet, ...many } });
    expect(!result.ok && result.details.length).toBeLessThanOrEqual(21);
  });

  test('other kinds are unchanged: a target field on a target-review is ignored', () => {
    expect(
      readTaskAnswer('target-review', { answer: 'pass', 'target.effect.0': 'met' }, { call, now, targets }),
    ).toEqual({
      ok: true,
      answer: { answer: 'pass', answeredAt: '' },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The page

const at = '2025-01-05T09:30:00.000+08:00';
const pdf = { fileName: '总结报告（盖章）.pdf', contentType: 'application/pdf', size: 1_572_864 };
const photo = { fileName: 'photo-1.jpg', contentType: 'image/jpeg', size: 820 * 1024 };
const url = (i: number) => `https://files.example.org/reports/v1/${i}?X-Amz-Signature=abc&X-Amz-Expires=900`;

function report(
  obligation: ObligationRecord,
  fields: Record<string, unknown>,
  downloads = [pdf, photo],
): ReportReviewView {
  const submission: ReportSubmission = {
    fields,
    attachments: downloads.map((d, i) => ({ ...d, key: `reports/v1/${i}` })),
    submittedAt: at,
    version: 1,
  };
  return {
    obligation: { ...obligation, state: 'SUBMITTED', versions: 1, latest: briefOf(submission) },
    submission,
    downloads: downloads.map((d, i) => ({ ...d, url: url(i) })),
  };
}

const summaryFields = {
  summary: '论坛如期举办，\n成效显著。',
  achieved: paths.map((p, i) => ({ path: p, achieved: `完成情况${i}` })),
};
const summaryObligationDue: ObligationRecord = {
  ...summaryObligation,
  dueOn: '2025-01-15',
  dueAt: '2025-01-15T15:59:59.999Z',
  state: 'OPEN',
};

function view(r: ReportReviewView | undefined, overrides: Partial<TaskPageView> = {}): TaskPageView {
  return {
    taskId: 'RrEeVvIiEeWw_-01',
    kind: 'report-review',
    state: 'OPEN',
    dueAt: new Date('2025-01-12T09:00:00Z'),
    postUrl: POST_URL,
    assignee: { name: '邓梅' },
    application: {
      applicationId: 'app-0001',
      title: theForm.title,
      unitName: '广东省物理学会',
      typeName: type.name,
      requestedCny: theForm.budget.requestedCny,
      submittedAt: '2023-09-20T10:15:00.000+08:00',
      form: theForm,
    },
    type,
    call,
    ...(r ? { report: r } : {}),
    ...overrides,
  };
}

const forms = (html: string) => html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
const noScript = (html: string) => {
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
};

describe('renderTaskPage: report-review of a summary report', () => {
  const html = renderTaskPage(view(report(summaryObligationDue, summaryFields)));
  const [theForm_ = ''] = forms(html);

  test('titled 报告审核 / Report review, with the application, its unit, the obligation and its due date', () => {
    expect(html).toContain('<title>报告审核 · ');
    expect(html).toMatch(/<h1>报告审核<span class="en block" lang="en">Report review<\/span><\/h1>/);
    expect(html).toContain(escapeHtml(theForm.title));
    expect(html).toContain('广东省物理学会');
    expect(html).toContain(escapeHtml(call.summaryReport.text.zh));
    expect(html).toContain('2025年1月15日');
    expect(html).toContain('项目总结报告');
  });

  test("the notice's words, and the per-target form labelled the department's working assumption, not the notice's", () => {
    const obligationPart = html.slice(html.indexOf('<h2>项目总结报告'), html.indexOf('<h2>报告内容'));
    expect(obligationPart).toContain(escapeHtml(call.summaryReport.text.zh));
    expect(obligationPart).not.toContain('逐项说明');
    const targetsPart = html.slice(html.indexOf('<h2>绩效目标完成情况'));
    const hint = targetsPart.match(/<p class="hint">([\s\S]*?)<\/p>/)?.[1] ?? '';
    expect(hint).toContain(escapeHtml('逐项说明绩效目标完成情况'));
    expect(hint).toContain('工作假设');
    expect(hint).toContain('working assumption');
  });

  test('the summary text, and per target the target beside what was achieved', () => {
    expect(html).toContain('论坛如期举办，\n成效显著。');
    for (const t of summaryObligation.targets!) {
      expect(html).toContain(escapeHtml(t.indicator));
      expect(html).toContain(escapeHtml(t.target));
    }
    paths.forEach((_, i) => expect(html).toContain(`完成情况${i}`));
  });

  test('the files as download links, with name, type and size', () => {
    expect(html).toContain(
      `<a href="${escapeHtml(url(0))}" download="${escapeHtml(pdf.fileName)}" rel="noopener noreferrer">${escapeHtml(pdf.fileName)}</a>`,
    );
    expect(html).toContain(`href="${escapeHtml(url(1))}"`);
    expect(html).toContain('PDF · 1.5 MB');
    expect(html).toContain('JPEG · 820 KB');
    expect(html).toMatch(/附件（2 个）/);
  });

  test('one met / not-met radio pair per target, named target.<path>, and accept / return with reasons', () => {
    for (const p of paths) {
      const radios =
        theForm_.match(
          new RegExp(`<input type="radio" name="target\\.${p.replace(/\./g, '\\.')}" value="(met|not-met)">`, 'g'),
        ) ?? [];
      expect(radios).toHaveLength(2);
    }
    expect(theForm_.match(/name="target\./g)).toHaveLength(2 * paths.length);
    expect(theForm_).toContain('<input type="radio" name="answer" value="accept" required>');
    expect(theForm_).toContain('<input type="radio" name="answer" value="return" required>');
    expect(theForm_).toContain('通过');
    expect(theForm_).toContain('退回修改');
    expect(theForm_).toContain('name="reasons"');
    expect(theForm_).toContain(`action="${escapeHtml(POST_URL)}"`);
    noScript(html);
  });

  test('what the page posts is an answer readTaskAnswer takes', () => {
    const body: Record<string, string> = { answer: 'accept' };
    for (const m of theForm_.matchAll(/name="(target\.[^"]+)" value="met"/g)) body[m[1]] = 'met';
    expect(read(body)).toEqual({ ok: true, answer: expect.objectContaining({ targets: allMet }) });
  });
});

describe('renderTaskPage: report-review of the other reports', () => {
  test('forum statistics: the numbers, beside what the application promised', () => {
    const fields = {
      startDate: '2024-10-18',
      endDate: '2024-10-19',
      offlineAttendance: 356,
      onlineAttendance: 12000,
      speakers: 5,
      papers: 31,
      mediaReports: 4,
    };
    const html = renderTaskPage(view(report(byReport('forum-statistics'), fields)));
    expect(html).toContain('论坛统计数据');
    expect(html).toContain('线下参会人数');
    expect(html).toContain('356');
    expect(html).toContain('12,000');
    expect(html).toContain('（申请书：320）');
    expect(html).toContain('（申请书：4）'); // four speakers named on the form
    expect(html).toContain('2024年10月18日');
    expect(html).not.toContain('name="target.');
  });

  test('development report: title, summary and recommendations', () => {
    const fields = { reportTitle: '量子科技产业发展建议', summary: '摘要', recommendations: ['建议一', '建议二'] };
    const html = renderTaskPage(view(report(byReport('development-report'), fields)));
    expect(html).toContain('量子科技产业发展建议');
    expect(html).toMatch(
      /<ol><li><span class="pre">建议一<\/span><\/li><li><span class="pre">建议二<\/span><\/li><\/ol>/,
    );
  });

  test('communication data: reach, views, articles, summary', () => {
    const obligation: ObligationRecord = {
      ...byReport('forum-statistics'),
      report: 'communication-data-report',
      text: { zh: '传播要求', en: 'Comms' },
    };
    const html = renderTaskPage(
      view(report(obligation, { reach: 1_200_000, views: 350_000, articles: 12, summary: '传播总结' })),
    );
    expect(html).toContain('传播数据分析报告');
    expect(html).toContain('1,200,000');
    expect(html).toContain('覆盖人数');
    expect(html).toContain('传播总结');
  });

  test('a report handed in after its due date is marked late', () => {
    const late = { ...byReport('forum-statistics'), dueAt: '2025-01-01T15:59:59.999Z' };
    const html = renderTaskPage(
      view(
        report(late, {
          startDate: '2024-10-18',
          endDate: '2024-10-19',
          offlineAttendance: 1,
          onlineAttendance: 1,
          speakers: 1,
          papers: 1,
          mediaReports: 1,
        }),
      ),
    );
    expect(html).toContain('逾期提交');
  });

  test('no report to show: a warning, not a crash', () => {
    expect(renderTaskPage(view(undefined))).toContain('无法读取所提交的报告');
  });
});

describe('renderTaskPage: report-review escapes hostile text', () => {
  const obligation: ObligationRecord = {
    ...summaryObligationDue,
    text: { zh: hostile, en: hostile },
    targets: [{ path: `effect.0"><script>x</script>`, indicator: hostile, target: hostile }],
  };
  const fields = {
    summary: hostile,
    achieved: [{ path: `effect.0"><script>x</script>`, achieved: hostile }],
    [hostile]: hostile,
  };
  const downloads = [{ fileName: hostile, contentType: hostile, size: 10, url: `javascript:alert(1)` }];
  const html = renderTaskPage(
    view(report(obligation, fields, []), {
      application: { ...view(undefined).application, title: hostile, unitName: hostile },
    }),
  );
  const withFiles = renderTaskPage(view({ ...report(obligation, fields, []), downloads }));

  test('no script, no element, no handler, no javascript: link', () => {
    noScript(html);
    noScript(withFiles);
    expect(withFiles).not.toContain('javascript:');
    expect(html).toContain(escapeHtml(hostile));
    expect(html).toContain(`name="target.effect.0&quot;&gt;&lt;script&gt;x&lt;/script&gt;"`);
  });
});

describe('an answered report review shows the findings', () => {
  const answer: TaskAnswer = {
    answer: 'accept',
    targets: { ...allMet, 'effect.0': false },
    answeredAt: '2025-01-11T10:00:00.000+08:00',
  };
  const r = report(summaryObligationDue, summaryFields);

  test('renderAnswered: the answer and each target, met or not', () => {
    const html = renderAnswered(view(r, { answer, state: 'DONE' }));
    expect(html).toContain('通过');
    expect(html).toContain('绩效目标完成情况');
    expect(html).toContain('未完成 1 项，共 9 项');
    expect(html).toMatch(/形成产业（学术）发展报告（1份）：<strong class="bad">未完成/);
    expect(html).toMatch(/参会人员满意度（≥90%）：<strong>已完成/);
  });

  test('the task page once done: the findings, and no form', () => {
    const html = renderTaskPage(view(r, { answer, state: 'DONE' }));
    expect(forms(html)).toHaveLength(0);
    expect(html).toContain('此任务已处理');
    expect(html).toContain('未完成 1 项，共 9 项');
  });

  test('a returned report: the reasons', () => {
    const html = renderAnswered(
      view(r, {
        answer: { answer: 'return', reasons: ['请补充<签到表>'], answeredAt: '2025-01-11T10:00:00.000+08:00' },
        state: 'DONE',
      }),
    );
    expect(html).toContain('退回修改');
    expect(html).toContain('请补充&lt;签到表&gt;');
    expect(html).not.toContain('绩效目标完成情况');
  });
});
