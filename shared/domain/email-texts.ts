import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Call, ProjectType } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import type { Email } from '@shared/domain/email';
import type { FormalCheckReason } from '@shared/domain/formal-check';

/** Every email is bilingual, Chinese first: the units are Chinese societies; English serves reviewers and auditors. */
const bilingual = (zh: string[], en: string[]) => [...zh, '', '—— English ——', '', ...en].join('\n');

const signature = (call: Call) => [``, `${call.issuer.zh}`];
const signatureEn = (call: Call) => [``, `${call.issuer.en}`];

export function receiptEmail(app: ApplicationRecord, call: Call, type: ProjectType, apiBase: string): Email {
  return {
    to: app.form.contact.email,
    subject: `【申报回执】${app.form.title} / Application received`,
    text: bilingual(
      [
        `${app.form.contact.name}：`,
        `贵单位按《${call.title.zh}》（${call.documentNo}）提交的申报已收到。`,
        `项目类型：${type.name.zh}`,
        `项目名称：${app.form.title}`,
        `申报编号：${app.applicationId}`,
        `提交时间：${app.createdAt}（北京时间）`,
        `系统将进行形式审查，结果将另行邮件通知。形式审查通过后，请打印申请书一式1份并加盖单位公章，于${toBeijingIso(new Date(call.paperCopyDeadline)).slice(0, 10)}前报送省科协学会学术部。`,
        `查询进度：GET ${apiBase}applications/${app.applicationId}`,
        ...signature(call),
      ],
      [
        `Dear ${app.form.contact.name},`,
        `Your application under the ${call.title.en} (${call.documentNo}) has been received.`,
        `Project type: ${type.name.en}`,
        `Title: ${app.form.title}`,
        `Application id: ${app.applicationId}`,
        `Submitted at: ${app.createdAt} (Beijing time)`,
        `An automatic formal check follows; you will be told its result by email. Once it passes, print the application, stamp it with your unit's seal and send one paper copy to the association's academic department by ${toBeijingIso(new Date(call.paperCopyDeadline)).slice(0, 10)}.`,
        `Status: GET ${apiBase}applications/${app.applicationId}`,
        ...signatureEn(call),
      ],
    ),
  };
}

export function formalCheckPassedEmail(app: ApplicationRecord, call: Call): Email {
  const paperBy = toBeijingIso(new Date(call.paperCopyDeadline)).slice(0, 10);
  return {
    to: app.form.contact.email,
    subject: `【形式审查通过】${app.form.title} / Formal check passed`,
    text: bilingual(
      [
        `${app.form.contact.name}：`,
        `申报项目“${app.form.title}”（编号 ${app.applicationId}）已通过自动形式审查。`,
        `请打印申请书一式1份并加盖单位公章，于${paperBy}前报送省科协学会学术部，逾期不予受理。`,
        ...signature(call),
      ],
      [
        `Dear ${app.form.contact.name},`,
        `"${app.form.title}" (${app.applicationId}) has passed the automatic formal check.`,
        `Print the application, stamp it with your unit's seal and send one paper copy to the academic department by ${paperBy}; late copies are not accepted.`,
        ...signatureEn(call),
      ],
    ),
  };
}

export function returnedForCorrectionEmail(app: ApplicationRecord, call: Call, reasons: FormalCheckReason[], apiBase: string): Email {
  const deadline = toBeijingIso(new Date(call.submissionDeadline)).replace('T', ' ').slice(0, 19);
  return {
    to: app.form.contact.email,
    subject: `【退回修改】${app.form.title} / Returned for correction`,
    text: bilingual(
      [
        `${app.form.contact.name}：`,
        `申报项目“${app.form.title}”（编号 ${app.applicationId}）未通过形式审查，现退回修改，原因如下：`,
        ...reasons.map((reason, i) => `${i + 1}. ${reason.text.zh}`),
        `请于${deadline}（北京时间）前修改后重新提交：PUT ${apiBase}applications/${app.applicationId}。逾期未修改的申报将不予受理。`,
        ...signature(call),
      ],
      [
        `Dear ${app.form.contact.name},`,
        `"${app.form.title}" (${app.applicationId}) did not pass the formal check and is returned for correction:`,
        ...reasons.map((reason, i) => `${i + 1}. ${reason.text.en}`),
        `Amend it by ${deadline} Beijing time with PUT ${apiBase}applications/${app.applicationId}; after that it is rejected.`,
        ...signatureEn(call),
      ],
    ),
  };
}

export function rejectedEmail(app: ApplicationRecord, call: Call, reason: { zh: string; en: string }): Email {
  return {
    to: app.form.contact.email,
    subject: `【不予受理】${app.form.title} / Application rejected`,
    text: bilingual(
      [`${app.form.contact.name}：`, `申报项目“${app.form.title}”（编号 ${app.applicationId}）不予受理：${reason.zh}`, ...signature(call)],
      [`Dear ${app.form.contact.name},`, `"${app.form.title}" (${app.applicationId}) is rejected: ${reason.en}`, ...signatureEn(call)],
    ),
  };
}

export function correctionReminderEmail(app: ApplicationRecord, call: Call, deadline: Date, apiBase: string): Email {
  const until = toBeijingIso(deadline).replace('T', ' ').slice(0, 19);
  const reasons = app.formalCheck?.reasons ?? [];
  return {
    to: app.form.contact.email,
    subject: `【修改提醒】${app.form.title} / Reminder: correction due ${until.slice(0, 10)}`,
    text: bilingual(
      [
        `${app.form.contact.name}：`,
        `申报项目“${app.form.title}”（编号 ${app.applicationId}）已退回修改，尚未重新提交。请于${until}（北京时间）前修改：PUT ${apiBase}applications/${app.applicationId}。逾期未修改的申报将不予受理。`,
        `待修改事项：`,
        ...reasons.map((reason, i) => `${i + 1}. ${reason.text.zh}`),
        ...signature(call),
      ],
      [
        `Dear ${app.form.contact.name},`,
        `"${app.form.title}" (${app.applicationId}) was returned for correction and has not been amended yet. Amend it by ${until} Beijing time with PUT ${apiBase}applications/${app.applicationId}; after that it is rejected.`,
        `To correct:`,
        ...reasons.map((reason, i) => `${i + 1}. ${reason.text.en}`),
        ...signatureEn(call),
      ],
    ),
  };
}
