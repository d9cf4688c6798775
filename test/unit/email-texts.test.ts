import {
  beijingDateEn,
  beijingDateTimeEn,
  beijingDateTimeZh,
  beijingDateZh,
  isoDateEn,
  isoDateZh,
} from '@shared/domain/beijing-dates';
import { type Call, getProjectType } from '@shared/domain/catalogue';
import {
  correctionReminderEmail,
  type Email,
  excludedEmail,
  formalCheckPassedEmail,
  formalReviewPassedEmail,
  formalReviewReturnedEmail,
  paperCopyReceivedEmail,
  paperCopyReminderEmail,
  receiptEmail,
  rejectedEmail,
  returnedForCorrectionEmail,
  staffTaskEmail,
  staffTaskReminderEmail,
  targetReviewPassedEmail,
} from '@shared/domain/email-texts';
import type { Assignee, StaffTaskKind } from '@shared/domain/tasks/record';
import { call as theCall } from '../support/fixtures';
import { forumApplication } from '../support/email-fixtures';

/** The real 2024 call, as getCall('gdast-2024') gives it. */
const call: Call = theCall();
const type = getProjectType(call, 'lingnan-forum')!;

const { form, app } = forumApplication({
  status: 'RETURNED_FOR_CORRECTION',
  formalCheck: {
    passed: false,
    reasons: [
      {
        requirementId: 'offline-attendance',
        path: 'details.offlineAttendance',
        text: { zh: '线下参会人数（累计）不少于200人（填写150）', en: 'Offline attendance at least 200 (given 150)' },
      },
    ],
    checkedAt: '2023-09-20T10:30:05.000+08:00',
  },
});

const { unit } = forumApplication();
const assignee: Assignee = { name: type.contact.name, email: type.contact.email };
const link = 'https://api.example.org/tasks/t-5f3a9c2e7b1d4a6f8e0c?sig=abc123';
const dueAt = new Date('2023-09-23T17:00:00+08:00');
const correctionDueAt = new Date(call.submissionDeadline);

const unitEmails: Array<[string, Email]> = [
  ['receipt', receiptEmail(app, call, unit)],
  ['formal-check-passed', formalCheckPassedEmail(app, call, unit)],
  ['returned-for-correction', returnedForCorrectionEmail(app, call, unit, app.formalCheck!.reasons, correctionDueAt)],
  ['correction-reminder', correctionReminderEmail(app, call, unit, correctionDueAt)],
  ['rejected', rejectedEmail(app, call, unit, { zh: '逾期未修改', en: 'not corrected in time' })],
  [
    'formal-review-returned',
    formalReviewReturnedEmail(app, call, unit, ['预算明细与实施方案不一致'], new Date('2023-09-27T17:00:00+08:00')),
  ],
  ['formal-review-passed', formalReviewPassedEmail(app, call, unit)],
  ['paper-copy-received', paperCopyReceivedEmail(app, call, unit, '2023-09-27')],
  ['paper-copy-reminder', paperCopyReminderEmail(app, call, unit, new Date(call.paperCopyDeadline))],
  ['target-review-passed', targetReviewPassedEmail(app, call, unit)],
  ['excluded-formal-review', excludedEmail(app, call, unit, 'formal-review', ['申报单位不符合申报条件'])],
  ['excluded-paper-copy', excludedEmail(app, call, unit, 'paper-copy', [])],
  ['excluded-target-review', excludedEmail(app, call, unit, 'target-review', ['效益指标无法量化'])],
];

const KINDS: StaffTaskKind[] = ['formal-review', 'paper-copy', 'target-review'];
const staffEmails: Array<[string, Email]> = KINDS.flatMap((kind): Array<[string, Email]> => [
  [`${kind}-request`, staffTaskEmail(kind, assignee, app, call, link, dueAt, unit)],
  [`${kind}-task-reminder`, staffTaskReminderEmail(kind, assignee, app, call, link, dueAt, false, unit)],
  [`${kind}-task-overdue`, staffTaskReminderEmail(kind, assignee, app, call, link, dueAt, true, unit)],
]);

const allEmails = [...unitEmails, ...staffEmails];
const zhPart = (email: Email) => email.text.split('—— English ——')[0];

describe('beijing-dates', () => {
  test('whole hours drop the minutes; other minutes are written', () => {
    expect(beijingDateTimeZh(new Date('2023-09-28T17:00:00+08:00'))).toBe('2023年9月28日 17时');
    expect(beijingDateTimeZh(new Date('2023-09-28T09:05:00+08:00'))).toBe('2023年9月28日 9时5分');
    expect(beijingDateTimeZh(new Date('2023-09-25T23:59:00+08:00'))).toBe('2023年9月25日 23时59分');
    expect(beijingDateTimeZh(new Date('2023-09-28T17:30:45.500+08:00'))).toBe('2023年9月28日 17时30分'); // seconds truncated
    expect(beijingDateTimeEn(new Date('2023-09-28T09:05:00+08:00'))).toBe('28 September 2023, 09:05');
  });

  test("the last millisecond of a day is that day's 24时", () => {
    expect(beijingDateTimeZh(new Date('2023-09-25T23:59:59.999+08:00'))).toBe('2023年9月25日 24时');
    expect(beijingDateTimeEn(new Date('2023-09-25T23:59:59.999+08:00'))).toBe('25 September 2023, 24:00');
    expect(beijingDateZh(new Date('2023-09-25T23:59:59.999+08:00'))).toBe('2023年9月25日');
    expect(beijingDateTimeZh(new Date(call.paperCopyDeadline))).toBe('2023年9月28日 24时');
  });

  test('instants near midnight UTC are already the next day in Beijing', () => {
    expect(beijingDateTimeZh(new Date('2023-09-25T16:00:00.000Z'))).toBe('2023年9月26日 0时');
    expect(beijingDateTimeZh(new Date('2023-09-25T15:59:59.999Z'))).toBe('2023年9月25日 24时');
    expect(beijingDateTimeZh(new Date('2023-09-25T23:30:00.000Z'))).toBe('2023年9月26日 7时30分');
    expect(beijingDateZh(new Date('2023-12-31T16:00:00Z'))).toBe('2024年1月1日');
    expect(beijingDateEn(new Date('2023-12-31T16:00:00Z'))).toBe('1 January 2024');
  });

  test('calendar dates and bad input', () => {
    expect(isoDateZh('2023-09-07')).toBe('2023年9月7日');
    expect(isoDateEn('2023-09-07')).toBe('7 September 2023');
    expect(() => isoDateZh('2023-9-7')).toThrow(RangeError);
    expect(() => beijingDateTimeZh(new Date('nope'))).toThrow(RangeError);
  });
});

describe('every email', () => {
  test('template ids are distinct', () => {
    const ids = allEmails.map(([, email]) => email.template);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(allEmails)('%s has a kebab-case template id', (id, email) => {
    expect(email.template).toBe(id);
  });

  test.each(allEmails)(
    '%s has the footer: department, type contact and phone, technical support, do not reply',
    (_id, email) => {
      for (const part of [zhPart(email), email.text]) {
        expect(part).toContain(call.staffReview.department.zh);
        expect(part).toContain(type.contact.name);
        expect(part).toContain(type.contact.phone);
        expect(part).toContain(call.technicalSupport.organisation.zh);
        for (const c of call.technicalSupport.contacts) {
          expect(part).toContain(c.name);
          expect(part).toContain(c.phone);
        }
      }
      expect(zhPart(email)).toContain('本邮件由系统自动发送，请勿直接回复');
      expect(email.text).toContain('please do not reply');
    },
  );

  test.each(allEmails)('%s has no ISO timestamp and no API command', (_id, email) => {
    for (const s of [email.subject, email.text]) {
      expect(s).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(s).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(s).not.toMatch(/\b(PUT|GET|POST) /);
      expect(s).not.toContain('/applications/');
    }
  });

  test.each(allEmails)('%s: Chinese first, then English; subject on one line', (_id, email) => {
    expect(email.text.indexOf('您好！')).toBeLessThan(email.text.indexOf('—— English ——'));
    expect(email.text.indexOf('Dear ')).toBeGreaterThan(email.text.indexOf('—— English ——'));
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});

describe('emails to the unit', () => {
  test.each(unitEmails)(
    "%s goes to the registered address only (the form's contact is no recipient), greeting the contact",
    (_id, email) => {
      expect(form.contact.email).not.toBe(unit.email);
      expect(email.to).toBe(unit.email);
      expect(email.cc).toBeUndefined();
      expect(email.text.startsWith('李晓琳同志：您好！\n')).toBe(true);
      expect(email.text).toContain('Dear 李晓琳,');
      expect(email.text).toContain(app.form.title);
    },
  );

  test('the receipt gives the submission time the Chinese way', () => {
    expect(receiptEmail(app, call, unit).text).toContain('提交时间：2023年9月20日 10时30分');
  });

  test('the paper-copy instructions: form, seal, copies, recipient, address, deadline, late not accepted', () => {
    for (const email of [
      formalCheckPassedEmail(app, call, unit),
      paperCopyReminderEmail(app, call, unit, new Date(call.paperCopyDeadline)),
    ]) {
      const zh = zhPart(email);
      expect(zh).toContain(`《${call.applicationFormName!.zh}》`);
      expect(zh).toContain('单位公章');
      expect(zh).toContain(`一式${call.paperCopy!.copies}份`);
      expect(zh).toContain(call.paperCopy!.recipient.zh);
      expect(zh).toContain(call.paperCopy!.address!.zh);
      expect(zh).toContain('2023年9月28日 24时前');
      expect(zh).toContain('逾期不予受理');
      expect(zh).toContain(app.applicationId);
      expect(email.text).toContain('28 September 2023, 24:00');
    }
  });

  test('corrections: reasons, the deadline, plain steps in the submission system', () => {
    const returned = returnedForCorrectionEmail(app, call, unit, app.formalCheck!.reasons, correctionDueAt);
    expect(returned.text).toContain('1. 线下参会人数（累计）不少于200人（填写150）');
    expect(returned.text).toContain('1. Offline attendance at least 200 (given 150)');
    expect(returned.text).toContain('2023年9月25日 24时前');
    expect(returned.text).toContain(`请登录${call.submissionSystem!.name.zh}`);
    expect(returned.text).toContain('修改申请书后重新提交');

    const reminder = correctionReminderEmail(app, call, unit, correctionDueAt);
    expect(reminder.text).toContain('线下参会人数（累计）不少于200人');
    expect(reminder.subject).toContain('2023年9月25日 24时前');
    const staffReturned = correctionReminderEmail(app, call, unit, correctionDueAt, ['预算明细与实施方案不一致']);
    expect(staffReturned.text).toContain('1. 预算明细与实施方案不一致');

    const byStaff = formalReviewReturnedEmail(
      app,
      call,
      unit,
      ['预算明细与实施方案不一致'],
      new Date('2023-09-27T17:00:00+08:00'),
    );
    expect(byStaff.text).toContain('1. 预算明细与实施方案不一致');
    expect(byStaff.text).toContain('2023年9月27日 17时前');
  });

  test('the outcomes say what happened and what comes next', () => {
    expect(paperCopyReceivedEmail(app, call, unit, '2023-09-27').text).toContain('已于2023年9月27日签收');
    expect(targetReviewPassedEmail(app, call, unit).text).toContain('进入专家评审阶段');
    expect(excludedEmail(app, call, unit, 'target-review', ['效益指标无法量化']).text).toContain(
      '绩效目标审核未通过，按照省科协财务管理要求，不进入下一阶段评审',
    );
    expect(excludedEmail(app, call, unit, 'paper-copy', []).text).toContain('逾期不予受理');
    expect(excludedEmail(app, call, unit, 'formal-review', ['申报单位不符合申报条件']).text).toContain(
      '1. 申报单位不符合申报条件',
    );
    expect(rejectedEmail(app, call, unit, { zh: '逾期未修改', en: 'not corrected in time' }).text).toContain(
      '原因：逾期未修改',
    );
  });
});

describe('emails to staff', () => {
  test.each(staffEmails)(
    '%s goes to the assignee, greets them, holds the link once and the application',
    (_id, email) => {
      expect(email.to).toBe(assignee.email);
      expect(email.text.startsWith(`${assignee.name}同志：您好！\n`)).toBe(true);
      const zh = zhPart(email);
      expect(zh.split(link).length - 1).toBe(1);
      expect(zh).toContain('提交一次即失效');
      expect(zh).toContain(type.name.zh);
      expect(zh).toContain(app.form.title);
      expect(zh).toContain(unit.unitName);
      expect(zh).toContain('申请经费：10万元');
      expect(zh).toContain('2023年9月23日 17时');
      expect(email.text).toContain('CNY 100,000');
    },
  );

  test.each(KINDS)('the %s task says what to do', (kind) => {
    const zh = zhPart(staffTaskEmail(kind, assignee, app, call, link, dueAt, unit));
    const expected = { 'formal-review': '形式审查', 'paper-copy': '纸质材料签收', 'target-review': '绩效目标审核' }[
      kind
    ];
    expect(zh).toContain(`请对以下申报项目进行${expected}`);
    expect(zh).toContain('办理时限：2023年9月23日 17时前');
  });

  test('reminders: before due, no cc; overdue, the department head in cc and said so', () => {
    const before = staffTaskReminderEmail('formal-review', assignee, app, call, link, dueAt, false, unit);
    expect(before.cc).toBeUndefined();
    expect(before.text).toContain('将于2023年9月23日 17时到期');

    const overdue = staffTaskReminderEmail('formal-review', assignee, app, call, link, dueAt, true, unit);
    expect(overdue.cc).toEqual([call.staffReview.departmentHead.email]);
    expect(overdue.text).toContain('已于2023年9月23日 17时到期');
    expect(overdue.text).toContain(`本提醒已抄送${call.staffReview.departmentHead.title!.zh}`);
    expect(overdue.subject).toContain('逾期');

    const escalated = staffTaskReminderEmail(
      'target-review',
      { ...assignee, escalateTo: { name: '王部长', email: 'wang@gdast.example.org' } },
      app,
      call,
      link,
      dueAt,
      true,
    );
    expect(escalated.cc).toEqual(['wang@gdast.example.org']);
    expect(escalated.text).toContain('本提醒已抄送王部长');
    expect(escalated.text).toContain(`申报单位：${app.unitId}`);
  });
});
