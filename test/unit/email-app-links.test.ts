import { type Call } from '@shared/domain/catalogue';
import {
  type Email,
  formalCheckPassedEmail,
  obligationReminderEmail,
  obligationsEmail,
  paperCopyReminderEmail,
  receiptEmail,
  reportingRoundEmail,
  reportReviewedEmail,
  returnedForCorrectionEmail,
} from '@shared/domain/email-texts';
import { getProjectType } from '@shared/domain/catalogue';
import { obligationsFor } from '@shared/domain/obligations';
import { call as theCall } from '../support/fixtures';
import { forumApplication } from '../support/email-fixtures';

/**
 * A unit's emails send it to the web app's page of each step (follow the application, amend it,
 * print it for the seal, hand in a report), never to API calls; an addressee without the app's
 * address (a program's) still gets the steps in words.
 */
const call: Call = theCall();
const forum = getProjectType(call, 'lingnan-forum')!;
const APP = 'https://d1234.cloudfront.net/app/';
const { app, unit: withoutApp } = forumApplication({ status: 'AWARDED' });
const unit = { ...withoutApp, appUrl: APP };
const page = (suffix = '') => `${APP}applications/${app.applicationId}${suffix}`;
const obligations = obligationsFor(call, forum, app, '2023-11-20T10:30:05.000+08:00');
const statistics = obligations.find((o) => o.report === 'forum-statistics')!;
const reasons = app.formalCheck?.reasons ?? [];
const due = new Date(call.submissionDeadline);

const bothLanguages = (email: Email, text: string) => {
  const [zh, en] = email.text.split('—— English ——');
  expect(zh).toContain(text);
  expect(en).toContain(text);
};

test('the receipt links the application’s page', () => {
  bothLanguages(receiptEmail(app, call, unit), page());
});

test('a returned application links its amend page, the steps in words without the app', () => {
  bothLanguages(returnedForCorrectionEmail(app, call, unit, reasons, due), page('/amend'));
  const plain = returnedForCorrectionEmail(app, call, withoutApp, reasons, due);
  expect(plain.text).not.toContain('/amend');
  expect(plain.text).toContain('修改申请书后重新提交');
});

test('the paper copy is printed from the print view: in the request and the reminder', () => {
  bothLanguages(formalCheckPassedEmail(app, call, unit), page('/print'));
  bothLanguages(paperCopyReminderEmail(app, call, unit, new Date(call.paperCopyDeadline)), page('/print'));
  expect(formalCheckPassedEmail(app, call, withoutApp).text).toContain('请在封面注明申报编号');
});

test('reports are handed in on their pages, never by API calls written into an email', () => {
  const owed = obligationsEmail(app, call, unit, obligations);
  bothLanguages(owed, page());
  expect(owed.text).not.toContain('POST ');
  const reminder = obligationReminderEmail(app, call, unit, statistics, 'before-7d');
  bothLanguages(reminder, page('/reports/forum-statistics'));
  expect(reminder.text).not.toContain('POST ');
  bothLanguages(reportingRoundEmail(app, call, unit, '2025-01-15'), page('/reports/summary'));
  const returned = reportReviewedEmail(
    app,
    call,
    unit,
    { ...statistics, state: 'RETURNED' },
    {
      answer: 'return',
      reasons: ['请补充线上参会人数'],
    },
  );
  bothLanguages(returned, page('/reports/forum-statistics'));
  // A program's addressee (no app) keeps the API steps.
  expect(obligationReminderEmail(app, call, withoutApp, statistics, 'before-7d').text).toContain('POST ');
});
