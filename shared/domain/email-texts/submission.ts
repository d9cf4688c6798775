/** To the unit as its application goes in: the receipt, the automatic formal check passed, or not accepted. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { projectName } from './application';
import { copiesEn, dateTime } from './format';
import { ASK_CONTACT, lines, toUnit, typeOf, unitPage } from './frame';
import { paperCopyTerms, paperSteps } from './paper-copy';

/** The receipt tells the unit early that a paper copy follows, so it is not caught out by the deadline. */
function afterReceipt(call: Call): Bilingual {
  const { copies, sealed, recipient } = paperCopyTerms(call);
  const paperBy = dateTime(new Date(call.paperCopyDeadline));
  return {
    zh: `接下来：系统将自动进行形式审查，结果另行邮件通知。形式审查通过后，须打印申请书一式${copies}份${sealed ? '并加盖单位公章' : ''}，于${paperBy.zh}前送达${recipient.zh}，具体要求见届时的通知邮件。`,
    en: `Next: an automatic formal check follows; you will be told its result by email. Once it passes, print ${copiesEn(copies)} of the application${sealed ? ", stamp it with your unit's seal" : ''} and make sure it arrives at ${recipient.en} by ${paperBy.en} Beijing time; that email gives the details.`,
  };
}

/** Sent when an application is stored. */
export function receiptEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const type = typeOf(app, call);
  const submittedAt = dateTime(new Date(app.createdAt));
  const page = unitPage(unit, app);
  return toUnit(
    app,
    call,
    unit,
    'receipt',
    `【申报回执】${app.form.title} / Application received`,
    lines(
      {
        zh: `贵单位（${unit.unitName}）按《${call.title.zh}》（${call.documentNo}）在线提交的项目申报已收到：`,
        en: `The application of ${unit.unitName} under the ${call.title.en} (${call.documentNo}) has been received:`,
      },
      {
        zh: `项目类型：${type?.name.zh ?? app.projectTypeId}`,
        en: `Project type: ${type?.name.en ?? app.projectTypeId}`,
      },
      { zh: `项目名称：${app.form.title}`, en: `Title: ${app.form.title}` },
      { zh: `申报编号：${app.applicationId}`, en: `Application id: ${app.applicationId}` },
      { zh: `提交时间：${submittedAt.zh}`, en: `Submitted: ${submittedAt.en} Beijing time` },
      page && { zh: `办理进度：${page}`, en: `Follow it here: ${page}` },
      '',
      afterReceipt(call),
    ),
  );
}

/** The automatic formal check passed: what to print, stamp, how many copies, where and by when. */
export function formalCheckPassedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const project = projectName(app);
  const department = call.staffReview.department;
  return toUnit(
    app,
    call,
    unit,
    'formal-check-passed',
    `【请报送纸质材料】${app.form.title} 已通过自动形式审查 / Formal check passed: send the paper copy`,
    lines(
      {
        zh: `贵单位申报的${project.zh}已通过系统自动形式审查，${department.zh}将进行形式审查。`,
        en: `${project.en} has passed the automatic formal check; ${department.en} now reviews it.`,
      },
      { zh: '请按以下要求报送纸质申请材料：', en: 'Please send the paper copy:' },
      paperSteps(app, call, new Date(call.paperCopyDeadline), unit),
    ),
  );
}

/** Not accepted (e.g. not corrected by the online deadline): the reason. */
export function rejectedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, reason: Bilingual): Email {
  const project = projectName(app);
  return toUnit(
    app,
    call,
    unit,
    'rejected',
    `【不予受理】${app.form.title} / Application not accepted`,
    lines(
      { zh: `贵单位申报的${project.zh}不予受理。`, en: `${project.en} is not accepted.` },
      { zh: `原因：${reason.zh}`, en: `Reason: ${reason.en}` },
      ASK_CONTACT,
    ),
  );
}
