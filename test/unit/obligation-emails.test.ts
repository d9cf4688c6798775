import { type Call, getProjectType } from '@shared/domain/catalogue';
import {
  type Email,
  obligationReminderEmail,
  obligationsEmail,
  reportingRoundEmail,
  reportReviewedEmail,
  reportReviewRequestEmail,
} from '@shared/domain/email-texts';
import { endOfBeijingDay, type ObligationRecord, obligationsFor } from '@shared/domain/obligations';
import { call as theCall } from '../support/fixtures';
import { forumApplication } from '../support/email-fixtures';

/** The real 2024 call, as getCall('gdast-2024') gives it. */
const call: Call = theCall();
const forum = getProjectType(call, 'lingnan-forum')!;

const { form, app } = forumApplication({ status: 'AWARDED', updatedAt: '2023-11-20T10:30:05.000+08:00' });

const { unit } = forumApplication();
const staff = { name: forum.contact.name, email: forum.contact.email };

// The forum starts 2024-10-18 and lasts 2 days: its statistics are due 1 week after 10-19, its report 1 month after.
const obligations = obligationsFor(call, forum, app, '2023-11-20T10:30:05.000+08:00');
const of = (report: string) => obligations.find((o) => o.report === report)!;
const statistics = of('forum-statistics');
const development = of('development-report');
const summary = of('summary');
const summaryDue: ObligationRecord = {
  ...summary,
  dueOn: '2025-01-15',
  dueAt: endOfBeijingDay('2025-01-15'),
  state: 'OPEN',
};

const zhPart = (email: Email) => email.text.split('—— English ——')[0];
const enPart = (email: Email) => email.text.split('—— English ——')[1];

/** Every unit email: to the registered address only (the form's contact is no recipient), a one-line subject, Chinese then English. */
function expectUnitEmail(email: Email, template: string) {
  expect(email.to).toBe(unit.email);
  expect(email.cc).toBeUndefined();
  expect(email.template).toBe(template);
  expect(email.subject).not.toMatch(/[\r\n]/);
  expect(email.text.indexOf('—— English ——')).toBeGreaterThan(0);
  expect(zhPart(email)).toContain('李晓琳同志：您好！');
  expect(enPart(email)).toContain('Dear 李晓琳,');
  expect(email.text).toContain(app.applicationId);
}

describe('the obligations in these tests', () => {
  test('the forum owes its statistics, a development report and the summary', () => {
    expect(obligations.map((o) => [o.report, o.dueOn])).toEqual([
      ['forum-statistics', '2024-10-26'],
      ['development-report', '2024-11-19'],
      ['summary', undefined],
    ]);
  });
});

describe('obligationsEmail', () => {
  const email = obligationsEmail(app, call, unit, obligations);

  test('to the unit, template obligations', () => {
    expectUnitEmail(email, 'obligations');
    expect(email.subject).toContain(form.title);
  });

  test('each report owed, with its due date in Beijing time; the summary date comes with the reporting round', () => {
    const zh = zhPart(email);
    const en = enPart(email);
    expect(zh).toMatch(/1\. 论坛统计数据：.*截止时间：2024年10月26日 24时前/);
    expect(zh).toMatch(/2\. 产业（学术）发展报告：.*截止时间：2024年11月19日 24时前/);
    expect(zh).toMatch(/3\. 项目总结报告：.*提交日期：省科协开展项目总结时另行通知/);
    expect(en).toContain('due by 26 October 2024, 24:00 Beijing time');
    expect(en).toContain('due by 19 November 2024, 24:00 Beijing time');
    expect(en).toContain('its due date is set when the association opens the reporting round');
    expect(zh).toContain(statistics.text.zh);
    expect(en).toContain(development.text.en);
  });

  test('how to hand in: the files first, then POST /applications/{id}/reports/{kind}', () => {
    const zh = zhPart(email);
    expect(zh).toContain(`POST /applications/${app.applicationId}/reports/{kind}/attachments`);
    expect(zh).toContain(`POST /applications/${app.applicationId}/reports/{kind}，`);
    expect(zh.indexOf('先上传附件')).toBeLessThan(zh.indexOf('再提交报告'));
    expect(zh).toContain('forum-statistics');
    expect(zh).toContain('development-report');
    expect(zh).toContain('summary');
    expect(enPart(email)).toMatch(
      /upload the files first.*\n.*then hand in the report: POST \/applications\/app-0123456789abcdef\/reports\/\{kind\}/,
    );
  });

  test("the notice's reasons to bar the unit cited as the notice's, the department's as its assumption, a report awaiting review as no reason", () => {
    expect(zhPart(email)).toContain(
      '按通知要求（二（四）），未完成上一年度项目目标以及未提交项目总结报告的单位，均不得申报下一年度项目',
    );
    expect(zhPart(email)).toContain(
      '此外，按学会学术部的规定（工作假设，通知未作规定），项目总结报告逾期提交或项目总结报告被退回修改且截止日期前未重新提交的单位',
    );
    expect(zhPart(email)).not.toMatch(/按通知要求[^。]*逾期/);
    expect(zhPart(email)).toContain('报告按期提交后尚待省科协审核的，不影响申报');
    expect(enPart(email)).toContain("under the department's rule (working assumption");
    // Without the assumptions in the call data, the notice's reasons alone.
    const plain = obligationsEmail(app, { ...call, standingAssumptions: undefined }, unit, [statistics]);
    expect(plain.text).not.toContain('学会学术部的规定');
    expect(plain.text).not.toContain('逾期提交');
  });
});

describe('obligationReminderEmail', () => {
  test('7 days before: template obligation-reminder, the due date in Beijing time, how to hand in', () => {
    const email = obligationReminderEmail(app, call, unit, statistics, 'before-7d');
    expectUnitEmail(email, 'obligation-reminder');
    expect(email.subject).toContain('2024年10月26日 24时前');
    expect(zhPart(email)).toContain('将于7天后截止（2024年10月26日 24时前，北京时间），目前尚未提交');
    expect(enPart(email)).toContain('is due in 7 days, by 26 October 2024, 24:00 Beijing time');
    expect(email.text).toContain(`POST /applications/${app.applicationId}/reports/forum-statistics/attachments`);
    expect(email.text).toContain(`POST /applications/${app.applicationId}/reports/forum-statistics，`);
    // only the summary decides next year's standing
    expect(email.text).not.toContain('下一年度');
  });

  test('1 day before: tomorrow; for the summary, what missing it means', () => {
    const email = obligationReminderEmail(app, call, unit, summaryDue, 'before-1d');
    expectUnitEmail(email, 'obligation-reminder');
    expect(zhPart(email)).toContain('项目总结报告将于明天截止（2025年1月15日 24时前');
    expect(enPart(email)).toContain('due tomorrow, by 15 January 2025, 24:00 Beijing time');
    expect(zhPart(email)).toContain('不得申报下一年度项目');
  });

  test('a returned report not yet handed in again says so', () => {
    const email = obligationReminderEmail(app, call, unit, { ...development, state: 'RETURNED' }, 'before-1d');
    expect(zhPart(email)).toContain('已退回修改，尚未重新提交');
    expect(enPart(email)).toContain('was returned for changes and has not been handed in again');
  });

  test('missed: template obligation-missed; a summary missed bars the unit from next year', () => {
    const email = obligationReminderEmail(app, call, unit, summaryDue, 'missed');
    expectUnitEmail(email, 'obligation-missed');
    expect(email.subject).toContain('已于2025年1月15日 24时截止');
    expect(zhPart(email)).toContain('已于2025年1月15日 24时（北京时间）截止，目前尚未提交');
    expect(zhPart(email)).toContain('未提交项目总结报告的单位，均不得申报下一年度项目');
    expect(zhPart(email)).not.toContain('按通知要求，未按期提交');
    expect(enPart(email)).toContain('was due by 15 January 2025, 24:00 Beijing time and has not been handed in');
    const other = obligationReminderEmail(app, call, unit, statistics, 'missed');
    expect(other.template).toBe('obligation-missed');
    expect(other.text).toContain('请尽快补交');
    expect(other.text).not.toContain('下一年度');
  });
});

describe('reportReviewRequestEmail', () => {
  const link = 'https://api.example.org/tasks/t-report-1?sig=abc';
  const dueAt = new Date('2025-01-22T09:00:00Z');
  const handedIn: ObligationRecord = {
    ...summaryDue,
    state: 'SUBMITTED',
    versions: 1,
    latest: { version: 1, submittedAt: '2025-01-16T09:00:00.000+08:00', files: 1 },
  };
  const email = reportReviewRequestEmail(staff, app, call, unit.unitName, handedIn, link, dueAt);

  test('to the staff member only, template report-review-request, one link', () => {
    expect(email.to).toBe(staff.email);
    expect(email.cc).toBeUndefined();
    expect(email.template).toBe('report-review-request');
    expect(email.text.split(link)).toHaveLength(3); // once in Chinese, once in English
    expect(email.text.match(/https?:\/\//g)).toHaveLength(2);
    expect(email.subject).toContain('广东省物理学会');
    expect(email.subject).toContain('项目总结报告');
  });

  test('the report, the unit, when it was handed in (late here), the task due, and what a summary review decides', () => {
    const zh = zhPart(email);
    expect(zh).toContain('申报单位：广东省物理学会');
    expect(zh).toContain('报告：项目总结报告（第1次提交，附件1个）');
    expect(zh).toContain('提交时间：2025年1月16日 9时（逾期提交）');
    expect(zh).toContain('办理时限：2025年1月22日 17时前');
    expect(zh).toContain('逐项判定每项绩效目标');
    expect(enPart(email)).toContain('Handed in: 16 January 2025, 09:00 Beijing time (late)');
    expect(enPart(email)).toContain('Due: 22 January 2025, 17:00 Beijing time');
  });
});

describe('reportReviewedEmail', () => {
  test('returned: template report-returned, the reasons, and to hand it in again the same way', () => {
    const email = reportReviewedEmail(
      app,
      call,
      unit,
      { ...statistics, state: 'RETURNED' },
      { answer: 'return', reasons: ['签到表缺页', '线上人数无来源'] },
    );
    expectUnitEmail(email, 'report-returned');
    const zh = zhPart(email);
    expect(zh).toContain('1. 签到表缺页');
    expect(zh).toContain('2. 线上人数无来源');
    expect(zh).toContain('请修改后按原方式重新提交');
    expect(zh).toContain(`POST /applications/${app.applicationId}/reports/forum-statistics`);
    expect(enPart(email)).toContain('hand it in again the same way');
  });

  test('accepted: template report-accepted; a report that is not the summary says nothing of targets', () => {
    const email = reportReviewedEmail(app, call, unit, { ...development, state: 'ACCEPTED' }, { answer: 'accept' });
    expectUnitEmail(email, 'report-accepted');
    expect(zhPart(email)).toContain('提交的产业（学术）发展报告已审核通过');
    expect(email.text).not.toContain('绩效目标');
  });

  test('an accepted summary with every target met', () => {
    const findings = Object.fromEntries(summary.targets!.map((t) => [t.path, true]));
    const email = reportReviewedEmail(
      app,
      call,
      unit,
      { ...summaryDue, state: 'ACCEPTED' },
      { answer: 'accept', targets: findings },
    );
    expectUnitEmail(email, 'report-accepted');
    expect(zhPart(email)).toContain('各项绩效目标均已完成');
    expect(email.text).not.toContain('不得申报');
  });

  test('an accepted summary: the targets found not met, and what that means for next year', () => {
    const findings = {
      ...Object.fromEntries(summary.targets!.map((t) => [t.path, true])),
      'effect.0': false,
      'satisfaction.0': false,
    };
    const email = reportReviewedEmail(
      app,
      call,
      unit,
      { ...summaryDue, state: 'ACCEPTED' },
      { answer: 'accept', targets: findings },
    );
    const zh = zhPart(email);
    expect(zh).toContain('以下绩效目标未完成（共2项）');
    expect(zh).toContain('1. 形成产业（学术）发展报告（目标：1份）');
    expect(zh).toContain('2. 参会人员满意度（目标：≥90%）');
    expect(zh).toContain('不得申报下一年度项目');
    expect(enPart(email)).toContain('these 2 performance targets not met');
    expect(enPart(email)).toContain("may not apply to next year's call");
  });

  test('without findings in the answer, the ones recorded on the obligation count', () => {
    const recorded: ObligationRecord = {
      ...summaryDue,
      state: 'ACCEPTED',
      targets: summary.targets!.map((t) => ({ ...t, met: t.path !== 'effect.1' })),
    };
    const email = reportReviewedEmail(app, call, unit, recorded, { answer: 'accept' });
    expect(zhPart(email)).toContain('1. 促成产学研合作意向（目标：3项）');
  });
});

describe('reportingRoundEmail', () => {
  const email = reportingRoundEmail(app, call, unit, '2025-01-15');

  test('to the unit, template summary-report-due: the summary report is due on that date', () => {
    expectUnitEmail(email, 'summary-report-due');
    expect(email.subject).toContain('2025年1月15日 24时前');
    expect(zhPart(email)).toContain('项目总结报告须于2025年1月15日 24时前（北京时间）提交');
    expect(enPart(email)).toContain('due by 15 January 2025, 24:00 Beijing time');
  });

  test('each target to report on, by its path, and how to hand it in', () => {
    const zh = zhPart(email);
    for (const t of summary.targets!) expect(zh).toContain(`- ${t.path}：${t.indicator}（目标：${t.target}）`);
    expect(zh).toContain(`POST /applications/${app.applicationId}/reports/summary/attachments`);
    expect(zh).toContain(`POST /applications/${app.applicationId}/reports/summary，`);
    expect(zh).toContain('不得申报下一年度项目');
  });

  test("the notice's words apart from the report form, which is labelled the department's working assumption", () => {
    const zh = zhPart(email).split('\n');
    const en = enPart(email).split('\n');
    expect(zh).toContain(`通知要求：${call.summaryReport.text.zh}`);
    expect(en).toContain(`The notice: ${call.summaryReport.text.en}`);
    // 逐项说明绩效目标完成情况 is the product's form, not the notice's: every line asking it says so.
    const formZh = zh.filter((line) => line.includes('逐项说明'));
    const formEn = en.filter((line) => /against each/.test(line));
    expect(formZh.length).toBeGreaterThanOrEqual(1);
    expect(formEn.length).toBeGreaterThanOrEqual(1);
    for (const line of formZh) expect(line).toContain('工作假设');
    for (const line of formEn) expect(line).toContain('working assumption');
  });
});

describe("the notice's duties without a date of their own", () => {
  const comms = getProjectType(call, 'communication-programme')!;
  const owed = obligationsFor(call, comms, app, '2023-11-20T10:30:05.000+08:00');
  const email = obligationsEmail(app, call, unit, owed);

  test('the award email lists each duty, due with the summary report, where to hand in its statement, and whose arrangement that is', () => {
    const zh = zhPart(email);
    expect(zh).toContain('职责履行情况说明：按照《岭南科学论坛》管理办法（修订）');
    expect(zh).toContain('职责履行情况说明：项目相关图文及音视频资料必须统一保存以备后用（与项目总结报告同时提交');
    expect(zh).toContain('职责履行情况说明 opinion-guidance-review');
    expect(zh).toContain('职责履行情况说明 keep-media-material');
    expect(zh).toContain('学会学术部的工作假设，通知未作规定');
    expect(enPart(email)).toContain('keep-media-material for the statement on a duty');
    expect(enPart(email)).toContain("The department's working assumption; the notice says nothing of it");
  });

  test('the reporting round names the duty statements due with the summary, and a forum (no such duty) none', () => {
    const round = reportingRoundEmail({ ...app, projectTypeId: comms.typeId }, call, unit, '2025-01-15');
    expect(zhPart(round)).toContain('同一截止时间前，还须就以下职责各提交一份职责履行情况说明');
    expect(zhPart(round)).toContain('- opinion-guidance-review：按照《岭南科学论坛》管理办法');
    expect(zhPart(round)).toContain('- keep-media-material：项目相关图文及音视频资料必须统一保存以备后用');
    expect(enPart(round)).toContain('hand in a statement on each of these duties');
    expect(reportingRoundEmail(app, call, unit, '2025-01-15').text).not.toContain('职责履行情况说明');
  });

  test("a duty's reminder points at its own route", () => {
    const duty = {
      ...owed.find((o) => o.obligationId === 'keep-media-material')!,
      dueOn: '2025-01-15',
      dueAt: endOfBeijingDay('2025-01-15'),
      state: 'OPEN' as const,
    };
    expect(obligationReminderEmail(app, call, unit, duty, 'before-7d').text).toContain(
      `POST /applications/${app.applicationId}/reports/keep-media-material，`,
    );
  });
});
