/**
 * Every email the product sends, as text a busy society secretary (on a phone) or a staff member
 * can act on: a greeting by name, dates the Chinese way in Beijing time, plain steps or one link
 * (never an API call), and a footer saying whom to ask. Chinese first, English after.
 *
 * Unit emails go to the unit's registered address (UnitAddressee, from the units data) and to no
 * other: the form's contact is greeted by name, but its free-text address is never a recipient, or
 * a form could make the association's sender write to an address of its choosing.
 */
import type { ApplicationRecord } from '@shared/domain/application-record';
import { prioritiesByRanking } from '@shared/domain/award-ranking';
import { getProjectType, type Bilingual, type Call, type ProjectType } from '@shared/domain/catalogue';
import { beijingDateTimeEn, beijingDateTimeZh, isoDateEn, isoDateZh } from '@shared/domain/beijing-dates';
import type { Email, UnitAddressee } from '@shared/domain/email';
import type { FormalCheckReason } from '@shared/domain/formal-check';
import { MIN_EXPERT_SCORES } from '@shared/domain/scoring';
import {
  endOfBeijingDay,
  type ObligationRecord,
  reportPathOf,
  SUMMARY_OBLIGATION,
  type TargetOutcome,
  targetsOf,
} from '@shared/domain/obligations';
import type { Assignee, StaffTaskKind } from '@shared/domain/task';

export type { Email, UnitAddressee } from '@shared/domain/email';

/** Every email is bilingual, Chinese first: the units are Chinese societies; English serves reviewers and auditors. */
const bilingual = (zh: string[], en: string[]) => [...zh, '', '—— English ——', '', ...en].join('\n');

// ---------------------------------------------------------------------------------------------
// Pieces

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const copiesEn = (n: number) => (n === 1 ? '1 copy' : `${n} copies`);

const typeOf = (app: ApplicationRecord, call: Call): ProjectType | undefined => getProjectType(call, app.projectTypeId);

const greetingZh = (name: string) => `${name}同志：您好！`;
const greetingEn = (name: string) => `Dear ${name},`;

/** A subject is one line whatever the form's title holds. */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** "10万元" / "5.5万元". */
const wanZh = (cny: number) => `${Number((cny / 10000).toFixed(4))}万元`;
/** "CNY 100,000". */
const cnyEn = (cny: number) => `CNY ${String(cny).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

const fundingZh = (type: ProjectType) =>
  type.funding.kind === 'fixed'
    ? `${wanZh(type.funding.amountCny)}/项`
    : `${wanZh(type.funding.minCny)}–${wanZh(type.funding.maxCny)}/项`;
const fundingEn = (type: ProjectType) =>
  type.funding.kind === 'fixed'
    ? `${cnyEn(type.funding.amountCny)} per project`
    : `${cnyEn(type.funding.minCny)}–${cnyEn(type.funding.maxCny)} per project`;

/** The project, named as the unit knows it. */
const projectZh = (app: ApplicationRecord) => `项目“${app.form.title}”（申报编号 ${app.applicationId}）`;
const projectEn = (app: ApplicationRecord) => `"${app.form.title}" (application ${app.applicationId})`;

function footerZh(app: ApplicationRecord, call: Call): string[] {
  const type = typeOf(app, call);
  const support = call.technicalSupport;
  return [
    '',
    '——————————',
    call.staffReview.department.zh,
    ...(type ? [`项目联系人：${type.contact.name}，电话 ${type.contact.phone}`] : []),
    `申报系统技术支持：${support.organisation.zh} ${support.contacts.map((c) => `${c.name} ${c.phone}`).join('、')}`,
    '本邮件由系统自动发送，请勿直接回复。',
  ];
}

function footerEn(app: ApplicationRecord, call: Call): string[] {
  const type = typeOf(app, call);
  const support = call.technicalSupport;
  return [
    '',
    '——————————',
    `${capitalise(call.staffReview.department.en)}, ${call.issuer.en}`,
    ...(type ? [`Contact for this project type: ${type.contact.name}, tel. ${type.contact.phone}`] : []),
    `Submission system technical support: ${support.organisation.en}, ${support.contacts.map((c) => `${c.name} ${c.phone}`).join(', ')}`,
    'This email was sent automatically; please do not reply to it.',
  ];
}

/** Plain steps to change the application in the submission system. */
function amendStepsZh(call: Call): string {
  const system = call.submissionSystem;
  return system ? `请登录${system.name.zh}（${system.url}）修改申请书后重新提交` : '请登录申报系统修改申请书后重新提交';
}
function amendStepsEn(call: Call): string {
  const system = call.submissionSystem;
  return system
    ? `Log in to the ${system.name.en} (${system.url}), amend the application and submit it again`
    : 'Log in to the submission system, amend the application and submit it again';
}

/** Exactly what to print, stamp and send, how many copies, where and by when. */
function paperStepsZh(app: ApplicationRecord, call: Call, deadline: Date): string[] {
  const paper = call.paperCopy;
  const form = call.applicationFormName ? `《${call.applicationFormName.zh}》` : '申请书';
  const recipient = paper?.recipient.zh ?? call.staffReview.department.zh;
  const steps = [
    `打印：${form}（与在线提交的版本一致），请在封面注明申报编号 ${app.applicationId}，便于签收登记；`,
    ...(paper?.sealRequired === false ? [] : ['盖章：在申请书上加盖单位公章；']),
    `份数：一式${paper?.copies ?? 1}份；`,
    `报送至：${recipient}${paper?.address ? `（地址：${paper.address.zh}）` : ''}；`,
    `截止时间：${beijingDateTimeZh(deadline)}前送达（以签收日期为准），逾期不予受理。`,
  ];
  return ['纸质材料报送要求：', ...steps.map((s, i) => `${i + 1}. ${s}`)];
}
function paperStepsEn(app: ApplicationRecord, call: Call, deadline: Date): string[] {
  const paper = call.paperCopy;
  const form = call.applicationFormName ? `the ${call.applicationFormName.en}` : 'the application form';
  const recipient = paper?.recipient.en ?? call.staffReview.department.en;
  const steps = [
    `Print ${form} (the same as the version submitted online), with the application id ${app.applicationId} on its cover so it can be logged;`,
    ...(paper?.sealRequired === false ? [] : ["stamp it with your unit's official seal (单位公章);"]),
    `copies: ${copiesEn(paper?.copies ?? 1)};`,
    `send it to ${recipient}${paper?.address ? ` (${paper.address.en})` : ''};`,
    `it must arrive by ${beijingDateTimeEn(deadline)} Beijing time (the date of receipt counts); late copies are not accepted.`,
  ];
  return ['Paper copy:', ...steps.map((s, i) => `${i + 1}. ${s}`)];
}

const numbered = (items: string[]) => items.map((item, i) => `${i + 1}. ${item}`);

/** An email to a unit: to its registered address only (see the top of this file). */
function toUnit(unit: UnitAddressee, template: string, subject: string, zh: string[], en: string[]): Email {
  return { to: unit.email, subject: oneLine(subject), text: bilingual(zh, en), template };
}

const unitOpeningZh = (app: ApplicationRecord) => [greetingZh(app.form.contact.name)];
const unitOpeningEn = (app: ApplicationRecord) => [greetingEn(app.form.contact.name)];

// ---------------------------------------------------------------------------------------------
// To the unit: the automatic stages

/** Sent when an application is stored. */
export function receiptEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const type = typeOf(app, call);
  const submittedAt = new Date(app.createdAt);
  const paperBy = new Date(call.paperCopyDeadline);
  return toUnit(
    unit,
    'receipt',
    `【申报回执】${app.form.title} / Application received`,
    [
      ...unitOpeningZh(app),
      `贵单位（${unit.unitName}）按《${call.title.zh}》（${call.documentNo}）在线提交的项目申报已收到：`,
      `项目类型：${type?.name.zh ?? app.projectTypeId}`,
      `项目名称：${app.form.title}`,
      `申报编号：${app.applicationId}`,
      `提交时间：${beijingDateTimeZh(submittedAt)}`,
      '',
      `接下来：系统将自动进行形式审查，结果另行邮件通知。形式审查通过后，须打印申请书一式${call.paperCopy?.copies ?? 1}份${call.paperCopy?.sealRequired === false ? '' : '并加盖单位公章'}，于${beijingDateTimeZh(paperBy)}前送达${call.paperCopy?.recipient.zh ?? call.staffReview.department.zh}，具体要求见届时的通知邮件。`,
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `The application of ${unit.unitName} under the ${call.title.en} (${call.documentNo}) has been received:`,
      `Project type: ${type?.name.en ?? app.projectTypeId}`,
      `Title: ${app.form.title}`,
      `Application id: ${app.applicationId}`,
      `Submitted: ${beijingDateTimeEn(submittedAt)} Beijing time`,
      '',
      `Next: an automatic formal check follows; you will be told its result by email. Once it passes, print ${copiesEn(call.paperCopy?.copies ?? 1)} of the application${call.paperCopy?.sealRequired === false ? '' : ", stamp it with your unit's seal"} and make sure it arrives at ${call.paperCopy?.recipient.en ?? call.staffReview.department.en} by ${beijingDateTimeEn(paperBy)} Beijing time; that email gives the details.`,
      ...footerEn(app, call),
    ],
  );
}

/** The automatic formal check passed: what to print, stamp, how many copies, where and by when. */
export function formalCheckPassedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const paperBy = new Date(call.paperCopyDeadline);
  return toUnit(
    unit,
    'formal-check-passed',
    `【请报送纸质材料】${app.form.title} 已通过自动形式审查 / Formal check passed: send the paper copy`,
    [
      ...unitOpeningZh(app),
      `贵单位申报的${projectZh(app)}已通过系统自动形式审查，${call.staffReview.department.zh}将进行形式审查。`,
      '请按以下要求报送纸质申请材料：',
      ...paperStepsZh(app, call, paperBy).slice(1),
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} has passed the automatic formal check; ${call.staffReview.department.en} now reviews it.`,
      'Please send the paper copy:',
      ...paperStepsEn(app, call, paperBy).slice(1),
      ...footerEn(app, call),
    ],
  );
}

/** The automatic formal check found problems: the reasons, and until when the unit may correct them. */
export function returnedForCorrectionEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  reasons: FormalCheckReason[],
  correctionDueAt: Date,
): Email {
  return toUnit(
    unit,
    'returned-for-correction',
    `【退回修改】${app.form.title}（${beijingDateTimeZh(correctionDueAt)}前修改）/ Returned for correction`,
    [
      ...unitOpeningZh(app),
      `贵单位申报的${projectZh(app)}未通过系统自动形式审查，现退回修改。需修改的问题：`,
      ...numbered(reasons.map((r) => r.text.zh)),
      '',
      `${amendStepsZh(call)}，截止时间：${beijingDateTimeZh(correctionDueAt)}前。重新提交后系统将再次进行形式审查；逾期未修改的申报不予受理。`,
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} did not pass the automatic formal check and is returned for correction. To correct:`,
      ...numbered(reasons.map((r) => r.text.en)),
      '',
      `${amendStepsEn(call)} by ${beijingDateTimeEn(correctionDueAt)} Beijing time. It is checked again once resubmitted; an application not corrected by then is not accepted.`,
      ...footerEn(app, call),
    ],
  );
}

/**
 * A returned application is still uncorrected as its deadline nears. The points to correct are the
 * automatic check's (app.formalCheck), or `staffReasons` when the staff formal review returned it.
 */
export function correctionReminderEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  deadline: Date,
  staffReasons?: string[],
): Email {
  const zhReasons = staffReasons?.length ? staffReasons : (app.formalCheck?.reasons ?? []).map((r) => r.text.zh);
  const enReasons = staffReasons?.length ? staffReasons : (app.formalCheck?.reasons ?? []).map((r) => r.text.en);
  return toUnit(
    unit,
    'correction-reminder',
    `【修改提醒】${app.form.title}（${beijingDateTimeZh(deadline)}前修改）/ Reminder: correction due`,
    [
      ...unitOpeningZh(app),
      `贵单位申报的${projectZh(app)}已退回修改，目前尚未重新提交。`,
      `${amendStepsZh(call)}，截止时间：${beijingDateTimeZh(deadline)}前；逾期未修改的申报不予受理。`,
      ...(zhReasons.length ? ['需修改的问题：', ...numbered(zhReasons)] : ['需修改的问题见此前的退回修改通知邮件。']),
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} was returned for correction and has not been resubmitted yet.`,
      `${amendStepsEn(call)} by ${beijingDateTimeEn(deadline)} Beijing time; an application not corrected by then is not accepted.`,
      ...(enReasons.length
        ? ['To correct:', ...numbered(enReasons)]
        : ['The points to correct are in the earlier email that returned it.']),
      ...footerEn(app, call),
    ],
  );
}

/** Not accepted (e.g. not corrected by the online deadline): the reason. */
export function rejectedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, reason: Bilingual): Email {
  return toUnit(
    unit,
    'rejected',
    `【不予受理】${app.form.title} / Application not accepted`,
    [
      ...unitOpeningZh(app),
      `贵单位申报的${projectZh(app)}不予受理。`,
      `原因：${reason.zh}`,
      '如有疑问，请联系下方项目联系人。',
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} is not accepted.`,
      `Reason: ${reason.en}`,
      'If you have questions, please call the contact below.',
      ...footerEn(app, call),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// To the unit: the association's reviews

/** The staff formal review returned the application: the reviewer's comments and the correction deadline. */
export function formalReviewReturnedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  reasons: string[],
  correctionDueAt: Date,
): Email {
  const department = call.staffReview.department;
  return toUnit(
    unit,
    'formal-review-returned',
    `【退回修改】${app.form.title}（${beijingDateTimeZh(correctionDueAt)}前修改）/ Returned for correction`,
    [
      ...unitOpeningZh(app),
      `经${department.zh}形式审查，贵单位申报的${projectZh(app)}需修改后重新提交。修改意见：`,
      ...(reasons.length ? numbered(reasons) : ['（审查人未填写具体意见，请致电下方项目联系人）']),
      '',
      `${amendStepsZh(call)}，截止时间：${beijingDateTimeZh(correctionDueAt)}前。重新提交后将再次审查；逾期未修改的申报不予受理。`,
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `After the formal review by ${department.en}, ${projectEn(app)} must be amended and submitted again. The reviewer's comments (as written):`,
      ...(reasons.length ? numbered(reasons) : ['(the reviewer gave no details; please call the contact below)']),
      '',
      `${amendStepsEn(call)} by ${beijingDateTimeEn(correctionDueAt)} Beijing time. It is reviewed again once resubmitted; an application not corrected by then is not accepted.`,
      ...footerEn(app, call),
    ],
  );
}

/** The staff formal review passed; the paper copy is still due if not sent. */
export function formalReviewPassedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const department = call.staffReview.department;
  const paperBy = new Date(call.paperCopyDeadline);
  const copies = call.paperCopy?.copies ?? 1;
  return toUnit(
    unit,
    'formal-review-passed',
    `【形式审查通过】${app.form.title} / Formal review passed`,
    [
      ...unitOpeningZh(app),
      `贵单位申报的${projectZh(app)}已通过${department.zh}形式审查，下一步将进行绩效目标审核，结果另行通知。`,
      `纸质材料：如尚未报送，请将加盖单位公章的申请书一式${copies}份于${beijingDateTimeZh(paperBy)}前送达${call.paperCopy?.recipient.zh ?? department.zh}，逾期不予受理；已报送的无需重复报送。`,
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} has passed the formal review by ${department.en}. The performance-target review comes next; you will be told its result.`,
      `Paper copy: if you have not sent it yet, ${copiesEn(copies)} of the application stamped with your unit's seal must arrive at ${call.paperCopy?.recipient.en ?? department.en} by ${beijingDateTimeEn(paperBy)} Beijing time; late copies are not accepted. If you have sent it, do not send it again.`,
      ...footerEn(app, call),
    ],
  );
}

/** Staff recorded the paper copy. */
export function paperCopyReceivedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  receivedOn: string,
): Email {
  const department = call.staffReview.department;
  return toUnit(
    unit,
    'paper-copy-received',
    `【纸质材料已签收】${app.form.title} / Paper copy received`,
    [
      ...unitOpeningZh(app),
      `${department.zh}已于${isoDateZh(receivedOn)}签收贵单位${projectZh(app)}的纸质申请材料，无需再次报送。`,
      '形式审查、绩效目标审核的结果将另行邮件通知。',
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${department.en} received the paper copy of ${projectEn(app)} on ${isoDateEn(receivedOn)}; there is no need to send it again.`,
      'You will be told the results of the formal review and the performance-target review by email.',
      ...footerEn(app, call),
    ],
  );
}

/** No paper copy recorded yet as the paper deadline nears (3 days and 1 day before). */
export function paperCopyReminderEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, deadline: Date): Email {
  const department = call.staffReview.department;
  return toUnit(
    unit,
    'paper-copy-reminder',
    `【纸质材料提醒】${app.form.title}（${beijingDateTimeZh(deadline)}前送达）/ Reminder: paper copy due`,
    [
      ...unitOpeningZh(app),
      `截至目前，${department.zh}尚未签收贵单位${projectZh(app)}的纸质申请材料。请于${beijingDateTimeZh(deadline)}前送达，逾期不予受理。`,
      ...paperStepsZh(app, call, deadline),
      '如已寄出，请确认能在截止时间前送达；签收后将邮件通知。',
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${department.en} has not yet received the paper copy of ${projectEn(app)}. It must arrive by ${beijingDateTimeEn(deadline)} Beijing time; late copies are not accepted.`,
      ...paperStepsEn(app, call, deadline),
      'If you have sent it already, make sure it arrives in time; you will be told by email once it is received.',
      ...footerEn(app, call),
    ],
  );
}

/** The performance-target review passed: the application now waits for the expert review. */
export function targetReviewPassedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  return toUnit(
    unit,
    'target-review-passed',
    `【绩效目标审核通过】${app.form.title} / Performance-target review passed`,
    [
      ...unitOpeningZh(app),
      `贵单位申报的${projectZh(app)}已通过绩效目标审核，进入专家评审阶段。`,
      '评审期间贵单位无需操作，评审结果将另行通知。',
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} has passed the performance-target review and goes on to the expert review.`,
      'Nothing is needed from your unit meanwhile; you will be told the result.',
      ...footerEn(app, call),
    ],
  );
}

export type ExclusionStage = 'formal-review' | 'paper-copy' | 'target-review';

/** Excluded by the association: a staff reject, a paper copy never received, or a failed target review. */
export function excludedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  stage: ExclusionStage,
  reasons: string[],
): Email {
  const department = call.staffReview.department;
  const paperBy = new Date(call.paperCopyDeadline);
  const listed = (head: string) => (reasons.length ? [head, ...numbered(reasons)] : []);
  const texts: Record<ExclusionStage, { subjectZh: string; subjectEn: string; zh: string[]; en: string[] }> = {
    'formal-review': {
      subjectZh: '不予受理',
      subjectEn: 'Application not accepted',
      zh: [`经${department.zh}形式审查，贵单位申报的${projectZh(app)}不予受理。`, ...listed('理由：')],
      en: [
        `After the formal review by ${department.en}, ${projectEn(app)} is not accepted.`,
        ...listed('Reasons (as written):'),
      ],
    },
    'paper-copy': {
      subjectZh: '未收到纸质材料，不予受理',
      subjectEn: 'No paper copy received: not accepted',
      zh: [
        `截至纸质材料报送截止时间（${beijingDateTimeZh(paperBy)}），${department.zh}未收到贵单位${projectZh(app)}的纸质申请材料。按通知要求，逾期不予受理，该申报不进入后续评审。`,
        ...listed('说明：'),
      ],
      en: [
        `By the paper-copy deadline (${beijingDateTimeEn(paperBy)} Beijing time) ${department.en} had not received the paper copy of ${projectEn(app)}. As the notice requires, it is not accepted and goes no further.`,
        ...listed('Notes (as written):'),
      ],
    },
    'target-review': {
      subjectZh: '绩效目标审核未通过',
      subjectEn: 'Performance-target review not passed',
      zh: [
        `贵单位申报的${projectZh(app)}绩效目标审核未通过，按照省科协财务管理要求，不进入下一阶段评审。`,
        ...listed('审核意见：'),
      ],
      en: [
        `${projectEn(app)} did not pass the performance-target review; under the association's financial management rules it does not go on to the next stage of review.`,
        ...listed("Reviewer's comments (as written):"),
      ],
    },
  };
  const t = texts[stage];
  return toUnit(
    unit,
    `excluded-${stage}`,
    `【${t.subjectZh}】${app.form.title} / ${t.subjectEn}`,
    [...unitOpeningZh(app), ...t.zh, '如有疑问，请联系下方项目联系人。', ...footerZh(app, call)],
    [...unitOpeningEn(app), ...t.en, 'If you have questions, please call the contact below.', ...footerEn(app, call)],
  );
}

// ---------------------------------------------------------------------------------------------
// To staff: one link, one task

const TASK_NAMES: Record<StaffTaskKind, Bilingual> = {
  'formal-review': { zh: '形式审查', en: 'formal review' },
  'paper-copy': { zh: '纸质材料签收', en: 'paper-copy receipt' },
  'target-review': { zh: '绩效目标审核', en: 'performance-target review' },
};

function taskStepsZh(kind: StaffTaskKind, call: Call): string[] {
  const paper = call.paperCopy;
  const form = call.applicationFormName ? `《${call.applicationFormName.zh}》` : '申请书';
  switch (kind) {
    case 'formal-review':
      return [
        '审查要点：申报单位资格、项目类型与申请经费是否符合通知要求，申请书内容是否完整、真实（已通过系统自动形式审查）。',
        '打开链接可查看申请书全文，并选择：通过 / 退回修改（请写明修改意见，单位修改后再次审查）/ 不予受理（请写明理由）。',
      ];
    case 'paper-copy':
      return [
        `收到该单位纸质材料后核对：是否为${form}、一式${paper?.copies ?? 1}份${paper?.sealRequired === false ? '' : '、已加盖单位公章'}、与在线提交版本一致。`,
        `打开链接，填写实际收到的日期并确认签收；纸质材料报送截止时间为${beijingDateTimeZh(new Date(call.paperCopyDeadline))}，此后收到的不予受理。`,
      ];
    case 'target-review':
      return [
        '审核要点：绩效目标（产出指标的数量、质量、时效、成本，效益指标，满意度指标）是否完整、可量化，并与项目内容和预算相符。',
        '打开链接可查看申请书全文，并选择：通过 / 不通过（请写明理由；不通过的项目不进入下一阶段评审）。',
      ];
  }
}

function taskStepsEn(kind: StaffTaskKind, call: Call): string[] {
  const paper = call.paperCopy;
  const form = call.applicationFormName ? `the ${call.applicationFormName.en}` : 'the application form';
  switch (kind) {
    case 'formal-review':
      return [
        "Check the unit's eligibility, that the project type and the amount requested meet the notice, and that the application is complete and truthful (it has passed the automatic formal check).",
        'The link shows the whole application; answer: pass / return for correction (write what to correct; it is reviewed again once amended) / reject (write why).',
      ];
    case 'paper-copy':
      return [
        `When the unit's paper copy arrives, check that it is ${form}, ${copiesEn(paper?.copies ?? 1)}${paper?.sealRequired === false ? '' : ", stamped with the unit's official seal"}, the same as the version submitted online.`,
        `Open the link, enter the date it arrived and confirm. The paper-copy deadline is ${beijingDateTimeEn(new Date(call.paperCopyDeadline))} Beijing time; copies arriving later are not accepted.`,
      ];
    case 'target-review':
      return [
        'Check that the performance targets (output: quantity, quality, timeliness, cost; effect; satisfaction) are complete, measurable and consistent with the project and its budget.',
        'The link shows the whole application; answer: pass / fail (write why; a failed application does not go on to the next stage of review).',
      ];
  }
}

function applicationSummaryZh(app: ApplicationRecord, call: Call, unit: UnitAddressee | undefined): string[] {
  const type = typeOf(app, call);
  return [
    `项目类型：${type ? `${type.name.zh}（资助额度${fundingZh(type)}）` : app.projectTypeId}`,
    `项目名称：${app.form.title}`,
    `申报单位：${unit?.unitName ?? app.unitId}`,
    `申请经费：${wanZh(app.form.budget.requestedCny)}`,
    `申报编号：${app.applicationId}`,
    `单位联系人：${app.form.contact.name} ${app.form.contact.phone}`,
  ];
}

function applicationSummaryEn(app: ApplicationRecord, call: Call, unit: UnitAddressee | undefined): string[] {
  const type = typeOf(app, call);
  return [
    `Project type: ${type ? `${type.name.en} (funding ${fundingEn(type)})` : app.projectTypeId}`,
    `Title: ${app.form.title}`,
    `Unit: ${unit?.unitName ?? app.unitId}`,
    `Amount requested: ${cnyEn(app.form.budget.requestedCny)}`,
    `Application id: ${app.applicationId}`,
    `Unit contact: ${app.form.contact.name} ${app.form.contact.phone}`,
  ];
}

const LINK_ONCE_ZH = '此链接仅用于本项任务，提交一次即失效（任务到期或撤销后也会失效），请勿转发。';
const LINK_ONCE_EN =
  'This link is for this one task only and works once: it stops working once answered (or when the task expires or is withdrawn). Please do not forward it.';

/**
 * Asks a staff member to do one task (formal review, paper-copy receipt, performance-target review)
 * for one application, through one link. `unit` names the applicant (falls back to its unit id).
 */
export function staffTaskEmail(
  kind: StaffTaskKind,
  assignee: Assignee,
  app: ApplicationRecord,
  call: Call,
  link: string,
  dueAt: Date,
  unit?: UnitAddressee,
): Email {
  const name = TASK_NAMES[kind];
  const unitName = unit?.unitName ?? app.unitId;
  return {
    to: assignee.email,
    subject: oneLine(
      `【待办：${name.zh}】${unitName}：${app.form.title}（${beijingDateTimeZh(dueAt)}前）/ Task: ${name.en}`,
    ),
    text: bilingual(
      [
        greetingZh(assignee.name),
        `请对以下申报项目进行${name.zh}：`,
        ...applicationSummaryZh(app, call, unit),
        '',
        ...taskStepsZh(kind, call),
        `办理时限：${beijingDateTimeZh(dueAt)}前`,
        `办理链接：${link}`,
        LINK_ONCE_ZH,
        ...footerZh(app, call),
      ],
      [
        greetingEn(assignee.name),
        `Please do the ${name.en} of this application:`,
        ...applicationSummaryEn(app, call, unit),
        '',
        ...taskStepsEn(kind, call),
        `Due: ${beijingDateTimeEn(dueAt)} Beijing time`,
        `Link: ${link}`,
        LINK_ONCE_EN,
        ...footerEn(app, call),
      ],
    ),
    template: `${kind}-request`,
  };
}

/**
 * Reminds a staff member of an unanswered task: before it is due, or (daily) once overdue, when the
 * department head (assignee.escalateTo, else call.staffReview.departmentHead) is copied.
 */
export function staffTaskReminderEmail(
  kind: StaffTaskKind,
  assignee: Assignee,
  app: ApplicationRecord,
  call: Call,
  link: string,
  dueAt: Date,
  overdue: boolean,
  unit?: UnitAddressee,
): Email {
  const name = TASK_NAMES[kind];
  const unitName = unit?.unitName ?? app.unitId;
  const head = assignee.escalateTo ?? call.staffReview.departmentHead;
  const headTitle = call.staffReview.departmentHead.title;
  const headNameZh = assignee.escalateTo ? assignee.escalateTo.name : (headTitle?.zh ?? head.name);
  const headNameEn = assignee.escalateTo
    ? assignee.escalateTo.name
    : headTitle
      ? `the ${headTitle.en.replace(/^the /i, '')}`
      : head.name;
  const cc =
    overdue && head.email.trim().toLowerCase() !== assignee.email.trim().toLowerCase() ? [head.email] : undefined;
  const due = { zh: beijingDateTimeZh(dueAt), en: beijingDateTimeEn(dueAt) };
  return {
    to: assignee.email,
    ...(cc ? { cc } : {}),
    subject: oneLine(
      overdue
        ? `【逾期未办：${name.zh}】${unitName}：${app.form.title}（已于${due.zh}到期）/ Overdue: ${name.en}`
        : `【待办提醒：${name.zh}】${unitName}：${app.form.title}（${due.zh}前）/ Reminder: ${name.en}`,
    ),
    text: bilingual(
      [
        greetingZh(assignee.name),
        overdue
          ? `以下申报项目的${name.zh}任务已于${due.zh}到期，尚未办理，请尽快处理。${cc ? `本提醒已抄送${headNameZh}。` : ''}`
          : `以下申报项目的${name.zh}任务将于${due.zh}到期，尚未办理，请及时处理。`,
        ...applicationSummaryZh(app, call, unit),
        '',
        ...taskStepsZh(kind, call),
        `办理链接：${link}`,
        LINK_ONCE_ZH,
        ...footerZh(app, call),
      ],
      [
        greetingEn(assignee.name),
        overdue
          ? `The ${name.en} of this application was due ${due.en} Beijing time and has not been done; please do it as soon as possible.${cc ? ` This reminder is copied to ${headNameEn}.` : ''}`
          : `The ${name.en} of this application is due ${due.en} Beijing time and has not been done yet.`,
        ...applicationSummaryEn(app, call, unit),
        '',
        ...taskStepsEn(kind, call),
        `Link: ${link}`,
        LINK_ONCE_EN,
        ...footerEn(app, call),
      ],
    ),
    template: overdue ? `${kind}-task-overdue` : `${kind}-task-reminder`,
  };
}

// ---------------------------------------------------------------------------------------------
// Expert review and award: pieces

/** One application as an expert is asked to review it: the name, the type, the unit, its own link. */
export interface ExpertReviewItem {
  title: string;
  typeName: Bilingual;
  unitName: string;
  link: string;
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinalEn(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

/** The project types named by the items (an item carries only the type's name). */
const typesNamed = (call: Call, items: ExpertReviewItem[]): ProjectType[] =>
  call.projectTypes.filter((t) => items.some((item) => item.typeName.zh === t.name.zh));

/** The footer of an email about no one application: the department, the types' contacts (if any), technical support. */
function callFooterZh(call: Call, types: ProjectType[] = []): string[] {
  const support = call.technicalSupport;
  const contacts = [...new Map(types.map((t) => [`${t.contact.name} ${t.contact.phone}`, t.contact])).values()];
  return [
    '',
    '——————————',
    call.staffReview.department.zh,
    ...contacts.map((c) => `项目联系人：${c.name}，电话 ${c.phone}`),
    `申报系统技术支持：${support.organisation.zh} ${support.contacts.map((c) => `${c.name} ${c.phone}`).join('、')}`,
    '本邮件由系统自动发送，请勿直接回复。',
  ];
}
function callFooterEn(call: Call, types: ProjectType[] = []): string[] {
  const support = call.technicalSupport;
  const contacts = [...new Map(types.map((t) => [`${t.contact.name} ${t.contact.phone}`, t.contact])).values()];
  return [
    '',
    '——————————',
    `${capitalise(call.staffReview.department.en)}, ${call.issuer.en}`,
    ...contacts.map((c) => `Contact: ${c.name}, tel. ${c.phone}`),
    `Submission system technical support: ${support.organisation.en}, ${support.contacts.map((c) => `${c.name} ${c.phone}`).join(', ')}`,
    'This email was sent automatically; please do not reply to it.',
  ];
}

/** An email to one person (an expert, a staff member): no copies. */
const toPerson = (to: { email: string }, template: string, subject: string, zh: string[], en: string[]): Email => ({
  to: to.email,
  subject: oneLine(subject),
  text: bilingual(zh, en),
  template,
});

function reviewItemZh(item: ExpertReviewItem, n?: number): string[] {
  const head = n === undefined ? '' : `${n}. `;
  const indent = n === undefined ? '' : '   ';
  return [
    `${head}项目名称：${oneLine(item.title)}`,
    `${indent}项目类型：${item.typeName.zh}`,
    `${indent}申报单位：${item.unitName}`,
    `${indent}评审链接：${item.link}`,
  ];
}
function reviewItemEn(item: ExpertReviewItem, n?: number): string[] {
  const head = n === undefined ? '' : `${n}. `;
  const indent = n === undefined ? '' : '   ';
  return [
    `${head}Title: ${oneLine(item.title)}`,
    `${indent}Project type: ${item.typeName.en}`,
    `${indent}Unit: ${item.unitName}`,
    `${indent}Review link: ${item.link}`,
  ];
}

/** What every expert email says: the deadline, the conflict check first, conflict or decline by the same link, anonymity. */
function expertNotesZh(call: Call, dueAt: Date, several: boolean): string[] {
  const link = several ? '该项目的评审链接' : '评审链接';
  return [
    `评审截止时间：${beijingDateTimeZh(dueAt)}前（北京时间）`,
    '评审须知：',
    ...numbered([
      `打开${link}后，页面会先请您确认与该项目不存在利益冲突（例如您是申报单位的会员或在其任职、申请书中列有您本人，或申报单位申请您回避），确认后方可按评分表打分并提交。`,
      `如存在利益冲突，或无法在截止时间前完成评审，请通过同一链接声明利益冲突或婉拒评审，${call.staffReview.department.zh}将另行安排其他专家。`,
      '评审专家的姓名不会向申报单位和申报人公开，请勿与申报单位联系或透露评审情况。',
      several
        ? '每个链接仅用于对应项目的评审，提交一次即失效（评审截止或撤销后也会失效），请勿转发。'
        : '此链接仅用于本项目的评审，提交一次即失效（评审截止或撤销后也会失效），请勿转发。',
    ]),
  ];
}
function expertNotesEn(call: Call, dueAt: Date, several: boolean): string[] {
  const link = several ? "an application's review link" : 'the review link';
  return [
    `Review due: ${beijingDateTimeEn(dueAt)} Beijing time`,
    'Please note:',
    ...numbered([
      `When you open ${link}, the page first asks you to confirm that you have no conflict of interest with the application (for example, you are a member or officer of the applying unit, the application names you, or the unit asked that you not review it); only then can you score it on the scoring form and submit.`,
      `If you have a conflict of interest, or cannot finish the review by the deadline, declare the conflict or decline through the same link; ${call.staffReview.department.en} will ask another expert.`,
      "Experts' names are never shown to the applying units or the applicants; please do not contact the units or discuss the review.",
      several
        ? "Each link is for that one application's review and works once: it stops working once answered (or when the review closes or is withdrawn). Please do not forward them."
        : 'This link is for this one review and works once: it stops working once answered (or when the review closes or is withdrawn). Please do not forward it.',
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------
// To the experts

/** One email per expert for the review round: every application assigned to them, each with its own link. */
export function expertDigestEmail(
  expert: { name: string; email: string },
  call: Call,
  items: ExpertReviewItem[],
  dueAt: Date,
): Email {
  const n = items.length;
  const types = typesNamed(call, items);
  return toPerson(
    expert,
    'expert-review-request',
    `【专家评审邀请】${call.year}年度学会学术项目（共${n}项，${beijingDateTimeZh(dueAt)}前）/ Expert review: ${n === 1 ? '1 application' : `${n} applications`}`,
    [
      greetingZh(expert.name),
      `${call.issuer.zh}诚邀您担任《${call.title.zh}》（${call.documentNo}）的评审专家。分配给您评审的申报项目共${n}项，每项有单独的评审链接：`,
      '',
      ...items.flatMap((item, i) => reviewItemZh(item, i + 1)),
      '',
      ...expertNotesZh(call, dueAt, true),
      ...callFooterZh(call, types),
    ],
    [
      greetingEn(expert.name),
      `You are invited by ${call.issuer.en} to review applications under the ${call.title.en} (${call.documentNo}). You are asked to review ${n === 1 ? '1 application' : `${n} applications`}, each with its own link:`,
      '',
      ...items.flatMap((item, i) => reviewItemEn(item, i + 1)),
      '',
      ...expertNotesEn(call, dueAt, true),
      ...callFooterEn(call, types),
    ],
  );
}

/** A single invitation (a replacement after a decline or conflict, or an expert staff added). */
export function expertInvitationEmail(
  expert: { name: string; email: string },
  call: Call,
  item: ExpertReviewItem,
  dueAt: Date,
): Email {
  const types = typesNamed(call, [item]);
  return toPerson(
    expert,
    'expert-review-invitation',
    `【专家评审邀请】${item.title}（${beijingDateTimeZh(dueAt)}前）/ Expert review invitation`,
    [
      greetingZh(expert.name),
      `${call.issuer.zh}诚邀您评审《${call.title.zh}》（${call.documentNo}）的以下申报项目：`,
      ...reviewItemZh(item),
      '',
      ...expertNotesZh(call, dueAt, false),
      ...callFooterZh(call, types),
    ],
    [
      greetingEn(expert.name),
      `You are invited by ${call.issuer.en} to review this application under the ${call.title.en} (${call.documentNo}):`,
      ...reviewItemEn(item),
      '',
      ...expertNotesEn(call, dueAt, false),
      ...callFooterEn(call, types),
    ],
  );
}

/** Reminder before the review deadline (3 days, 1 day). */
export function expertReminderEmail(
  expert: { name: string; email: string },
  call: Call,
  item: ExpertReviewItem,
  dueAt: Date,
): Email {
  const types = typesNamed(call, [item]);
  return toPerson(
    expert,
    'expert-review-reminder',
    `【评审提醒】${item.title}（${beijingDateTimeZh(dueAt)}前）/ Reminder: expert review due`,
    [
      greetingZh(expert.name),
      `您尚未完成以下申报项目的评审，评审将于${beijingDateTimeZh(dueAt)}（北京时间）截止，请及时评审：`,
      ...reviewItemZh(item),
      '',
      ...expertNotesZh(call, dueAt, false),
      ...callFooterZh(call, types),
    ],
    [
      greetingEn(expert.name),
      `Your review of this application is not done yet; the review closes ${beijingDateTimeEn(dueAt)} Beijing time:`,
      ...reviewItemEn(item),
      '',
      ...expertNotesEn(call, dueAt, false),
      ...callFooterEn(call, types),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// To staff: the expert review

/**
 * To staff: an application has fewer than `needed` valid scores after the deadline; what they can do
 * (add an expert, or extend the review), and that it never proceeds on fewer than 3.
 */
export function reviewShortEmail(
  to: { name: string; email: string },
  app: ApplicationRecord,
  call: Call,
  unitName: string,
  valid: number,
  needed: number,
  notReturned: number,
): Email {
  const unit: UnitAddressee = { unitName, email: '' };
  const experts = `/applications/${app.applicationId}/experts`;
  const extend = `/applications/${app.applicationId}/review-deadline`;
  return toPerson(
    to,
    'review-short-of-scores',
    `【评审评分不足】${unitName}：${app.form.title}（有效评分${valid}份，需${needed}份）/ Short of scores: ${valid} of ${needed}`,
    [
      greetingZh(to.name),
      `专家评审期限已过，以下申报项目只收到${valid}份有效评分，需要${needed}份${notReturned > 0 ? `；另有${notReturned}位专家未返回评分` : ''}。`,
      ...applicationSummaryZh(app, call, unit),
      '',
      '可选择的处理方式：',
      ...numbered([
        `增补评审专家：POST ${experts}，新专家将收到评审邀请；`,
        `延长该项目的评审期限：POST ${extend}${notReturned > 0 ? '，未返回评分的专家可在新期限前继续评审' : ''}。`,
      ]),
      `有效评分不足${MIN_EXPERT_SCORES}份的申报项目不会进入排名和立项，系统会一直等待处理。`,
      ...footerZh(app, call),
    ],
    [
      greetingEn(to.name),
      `The review deadline has passed and this application has only ${valid} valid ${valid === 1 ? 'score' : 'scores'} of the ${needed} needed${notReturned > 0 ? `; ${notReturned} ${notReturned === 1 ? 'expert has' : 'experts have'} not returned a score` : ''}.`,
      ...applicationSummaryEn(app, call, unit),
      '',
      'What you can do:',
      ...numbered([
        `add an expert: POST ${experts} (the new expert is sent an invitation);`,
        `extend this application's review: POST ${extend}${notReturned > 0 ? ' (the experts who have not returned a score may still score it by the new deadline)' : ''}.`,
      ]),
      `An application with fewer than ${MIN_EXPERT_SCORES} valid scores is never ranked or awarded; it waits until you act.`,
      ...footerEn(app, call),
    ],
  );
}

/** The most unserved applications an email lists; the rest are counted. */
const UNSERVED_LISTED = 50;

/**
 * To staff: the pool could not serve every application when the review round opened by itself;
 * lists each unserved application id and why (at most 50 lines, then "and N more").
 */
export function expertRoundBlockedEmail(
  to: { name: string; email: string },
  call: Call,
  unserved: { applicationId: string; reason: string }[],
): Email {
  const n = unserved.length;
  const listed = unserved.slice(0, UNSERVED_LISTED);
  const more = n - listed.length;
  const opensAt = new Date(call.review.opensAt);
  const perApplication = call.review.expertsPerApplication;
  return toPerson(
    to,
    'expert-round-blocked',
    `【专家评审未能开始】${n}项申报无法分配评审专家 / Expert review blocked: ${n === 1 ? '1 application' : `${n} applications`} cannot be served`,
    [
      greetingZh(to.name),
      `《${call.title.zh}》的专家评审按计划于${beijingDateTimeZh(opensAt)}自动开始，但评审专家库无法为每项申报安排${perApplication}名无利益冲突且评审量未满的专家，评审未能开始。无法安排的申报项目共${n}项：`,
      ...listed.map((u, i) => `${i + 1}. ${u.applicationId}：${u.reason}`),
      ...(more > 0 ? [`另有${more}项未列出。`] : []),
      '',
      `处理方式：在专家库中增加专家或调整现有专家的评审上限（PUT /experts/{expertId}，maxLoad），使上述申报各有${perApplication}名可安排的专家；专家库能够安排全部申报后，专家评审方可开始。`,
      ...callFooterZh(call),
    ],
    [
      greetingEn(to.name),
      `The expert review of the ${call.title.en} was due to open by itself at ${beijingDateTimeEn(opensAt)} Beijing time, but the expert pool cannot give every application ${perApplication} experts with no conflict of interest and capacity left, so the review has not started. ${n === 1 ? 'The application' : `The ${n} applications`} that cannot be served:`,
      ...listed.map((u, i) => `${i + 1}. ${u.applicationId}: ${u.reason}`),
      ...(more > 0 ? [`and ${more} more.`] : []),
      '',
      `What to do: add experts to the pool or raise existing experts' load caps (PUT /experts/{expertId}, maxLoad) so that each of these applications has ${perApplication} experts available; the review can start only once the pool can serve every application.`,
      ...callFooterEn(call),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// The award

/**
 * What the ranking weighed beyond the score: the notice's priorities it could not read from the
 * form (per type, for the department head to weigh), and the further tie-breaks, as the
 * department's assumptions (call data: awardRanking).
 */
function rankingBasisZh(call: Call): string[] {
  const missed = call.projectTypes
    .map((t) => ({ t, notApplied: prioritiesByRanking(t).notApplied }))
    .filter((x) => x.notApplied.length);
  return [
    '同分排序：先按通知规定的“同等条件下优先”条件（仅限能从申请书核对的条件）。',
    ...(missed.length
      ? [
          '以下优先条件无法从申请书核对，排名未采用，请您确认时自行斟酌：',
          ...missed.flatMap(({ t, notApplied }) => notApplied.map((p) => `- ${t.name.zh}：${p.text.zh}`)),
        ]
      : []),
    `其后依次：${call.awardRanking.furtherTieBreaks.map((b) => b.text.zh).join('；')}。${call.awardRanking.assumptions.zh}`,
  ];
}

function rankingBasisEn(call: Call): string[] {
  const missed = call.projectTypes
    .map((t) => ({ t, notApplied: prioritiesByRanking(t).notApplied }))
    .filter((x) => x.notApplied.length);
  return [
    "Ties are broken first by the notice's priority criteria (only those the form can show).",
    ...(missed.length
      ? [
          'These priority criteria cannot be checked from the form and were NOT applied by the ranking; weigh them yourself when you confirm:',
          ...missed.flatMap(({ t, notApplied }) => notApplied.map((p) => `- ${t.name.en}: ${p.text.en}`)),
        ]
      : []),
    `Then: ${call.awardRanking.furtherTieBreaks.map((b) => b.text.en).join('; ')}. ${call.awardRanking.assumptions.en}`,
  ];
}

/**
 * To the department head: the award proposal waits for confirmation at `link`; summary counts, and
 * the notice's priorities the ranking did not apply.
 */
export function awardConfirmationEmail(
  head: { name: string; email: string },
  call: Call,
  link: string,
  summary: { version: number; types: number; awarded: number; totalCny: number; unfilled: number },
  dueAt: Date,
): Email {
  return toPerson(
    head,
    'award-confirmation-request',
    `【待确认：立项建议】${call.year}年度学会学术项目（第${summary.version}版，${beijingDateTimeZh(dueAt)}前）/ Award proposal to confirm (version ${summary.version})`,
    [
      greetingZh(head.name),
      `《${call.title.zh}》（${call.documentNo}）的专家评审已完成，系统按评审得分生成了立项建议（第${summary.version}版），请审核确认：`,
      `项目类型：${summary.types}类`,
      `拟立项：${summary.awarded}项`,
      `拟资助总额：${wanZh(summary.totalCny)}`,
      `未用满的立项名额：${summary.unfilled}个`,
      '',
      ...rankingBasisZh(call),
      '',
      '打开链接可查看各项目类型的排名、得分和拟资助金额，并选择：确认 / 退回修改（请写明意见，修改后将发送新版本）。立项结果经确认后方通知各申报单位。',
      `办理时限：${beijingDateTimeZh(dueAt)}前`,
      `办理链接：${link}`,
      LINK_ONCE_ZH,
      ...callFooterZh(call),
    ],
    [
      greetingEn(head.name),
      `The expert review of the ${call.title.en} (${call.documentNo}) is complete, and the system has drawn up an award proposal from the scores (version ${summary.version}) for you to confirm:`,
      `Project types: ${summary.types}`,
      `Proposed awards: ${summary.awarded}`,
      `Total proposed funding: ${cnyEn(summary.totalCny)}`,
      `Award places left unfilled: ${summary.unfilled}`,
      '',
      ...rankingBasisEn(call),
      '',
      "The link shows each type's ranking, scores and proposed amounts; answer: confirm / revise (write what to change; a new version follows). The units are told their outcomes only once it is confirmed.",
      `Due: ${beijingDateTimeEn(dueAt)} Beijing time`,
      `Link: ${link}`,
      LINK_ONCE_EN,
      ...callFooterEn(call),
    ],
  );
}

/**
 * To the unit: its outcome, with its score (two decimals) and rank within the type, the amount when
 * awarded and what comes next (finish by the type's finish date, hand in a summary report). Never
 * names an expert.
 */
export function awardOutcomeEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  outcome: { awarded: boolean; amountCny: number; score: number; rank: number; ofCount: number; quota: number },
): Email {
  const type = typeOf(app, call);
  const score = outcome.score.toFixed(2);
  const rankZh = `第${outcome.rank}名，共${outcome.ofCount}项`;
  const rankEn = `ranked ${ordinalEn(outcome.rank)} of ${outcome.ofCount}`;
  const typeZh = type?.name.zh ?? app.projectTypeId;
  const typeEn = type?.name.en ?? app.projectTypeId;
  const common = {
    zh: [`项目类型：${typeZh}（本类型立项${outcome.quota}项）`, `专家评审得分：${score}分（${rankZh}）`],
    en: [
      `Project type: ${typeEn} (${outcome.quota === 1 ? '1 award' : `${outcome.quota} awards`} in this type)`,
      `Expert review score: ${score} (${rankEn})`,
    ],
  };
  const anonymousZh = '评审专家名单及个人评分不予公开。';
  const anonymousEn = "The experts' names and their individual scores are not disclosed.";
  if (outcome.awarded) {
    const finishZh = type ? `${isoDateZh(type.finishBy)}前` : '通知要求的时间内';
    const finishEn = type ? `by ${isoDateEn(type.finishBy)}` : 'within the time the notice sets';
    return toUnit(
      unit,
      'award-outcome',
      `【立项通知】${app.form.title} 获立项资助 / Awarded`,
      [
        ...unitOpeningZh(app),
        `经专家评审，贵单位申报的${projectZh(app)}获立项资助。`,
        ...common.zh,
        `资助金额：${wanZh(outcome.amountCny)}`,
        '',
        '接下来：',
        ...numbered([
          `请按申请书组织实施项目，于${finishZh}完成；`,
          '项目完结后，请按省科协项目总结通知要求及时提交项目总结报告（未提交总结报告的单位不得申报下一年度项目）。',
        ]),
        anonymousZh,
        ...footerZh(app, call),
      ],
      [
        ...unitOpeningEn(app),
        `After the expert review, ${projectEn(app)} is awarded funding.`,
        ...common.en,
        `Amount awarded: ${cnyEn(outcome.amountCny)}`,
        '',
        'Next:',
        ...numbered([
          `carry out the project as the application describes and finish it ${finishEn};`,
          "once it ends, file a project summary report in time, as the association's summary notice requires (a unit that files none may not apply next year).",
        ]),
        anonymousEn,
        ...footerEn(app, call),
      ],
    );
  }
  return toUnit(
    unit,
    'award-outcome',
    `【评审结果】${app.form.title} 未获立项 / Not awarded`,
    [
      ...unitOpeningZh(app),
      `经专家评审，贵单位申报的${projectZh(app)}未获立项资助。`,
      ...common.zh,
      `本类型按评审得分从高到低立项${outcome.quota}项，贵单位项目未进入立项范围。感谢贵单位的支持，欢迎继续申报省科协后续项目。`,
      anonymousZh,
      '如有疑问，请联系下方项目联系人。',
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `After the expert review, ${projectEn(app)} is not awarded funding.`,
      ...common.en,
      `This type funds the ${outcome.quota === 1 ? 'highest-scoring application' : `${outcome.quota} highest-scoring applications`}; yours is not among them. Thank you for applying; we welcome your unit's applications to the association's future calls.`,
      anonymousEn,
      'If you have questions, please call the contact below.',
      ...footerEn(app, call),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// After the award: the reports a project owes

const REPORT_NAMES: Record<string, Bilingual> = {
  'forum-statistics': { zh: '论坛统计数据', en: 'forum statistics' },
  'development-report': { zh: '产业（学术）发展报告', en: 'industry (academic) development report' },
  'communication-data-report': { zh: '传播数据分析报告', en: 'communication data analysis report' },
  summary: { zh: '项目总结报告', en: 'project summary report' },
  duty: { zh: '职责履行情况说明', en: 'statement on a duty' },
};
const reportNameOf = (o: Pick<ObligationRecord, 'report'>): Bilingual =>
  REPORT_NAMES[o.report] ?? { zh: o.report, en: o.report };

const isSummary = (o: Pick<ObligationRecord, 'report' | 'obligationId'>) =>
  o.report === 'summary' || o.obligationId === SUMMARY_OBLIGATION;

/** The instant a report is due: its stored end of day, else the end of its due date. */
function dueInstant(o: Pick<ObligationRecord, 'dueAt' | 'dueOn'>): Date | undefined {
  const at = o.dueAt ? new Date(o.dueAt) : o.dueOn ? new Date(endOfBeijingDay(o.dueOn)) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** Where a report is handed in (the unit's API): the files first, then the report naming them. */
/** A duty's statement is handed in at its duty's id (a project may owe several), any other report at its kind. */
const reportRoute = (app: ApplicationRecord, o: { report: string; obligationId?: string }) =>
  `/applications/${app.applicationId}/reports/${o.report === 'duty' && o.obligationId ? o.obligationId : o.report}`;

function handInStepsZh(route: string): string[] {
  return numbered([
    `先上传附件：每个文件 POST ${route}/attachments（文件名、类型、大小），再按返回的地址上传文件；须有签章的报告PDF，可附照片（JPEG、PNG），每个文件不超过20MB，最多10个；`,
    `再提交报告：POST ${route}，填写报告内容（fields），并列出已上传附件的 key（attachments）。`,
  ]);
}
function handInStepsEn(route: string): string[] {
  return numbered([
    `upload the files first: for each, POST ${route}/attachments (its name, type and size), then upload the file to the address it gives; the signed report as a PDF is required, photos (JPEG, PNG) may follow, each file up to 20 MB, at most 10;`,
    `then hand in the report: POST ${route} with its fields and the keys of the uploaded files (attachments).`,
  ]);
}

/**
 * What bars a unit from next year's call, the notice's words apart from the department's
 * assumptions (the call's `standingAssumptions`): a report handed in on time never bars while it
 * awaits review, and the emails say so.
 */
function barredZh(call: Call): string[] {
  const a = call.standingAssumptions;
  const extra = [
    a?.barIfSummaryLate ? '项目总结报告逾期提交' : '',
    a?.barIfSummaryReturnedAndNotResubmitted ? '项目总结报告被退回修改且截止日期前未重新提交' : '',
  ].filter(Boolean);
  return [
    '按通知要求（二（四）），未完成上一年度项目目标以及未提交项目总结报告的单位，均不得申报下一年度项目。',
    ...(extra.length
      ? [`此外，按学会学术部的规定（工作假设，通知未作规定），${extra.join('或')}的单位，也不得申报下一年度项目。`]
      : []),
    '报告按期提交后尚待省科协审核的，不影响申报。',
  ];
}
function barredEn(call: Call): string[] {
  const a = call.standingAssumptions;
  const extra = [
    a?.barIfSummaryLate ? 'hands in its project summary report late' : '',
    a?.barIfSummaryReturnedAndNotResubmitted
      ? 'does not hand in again by its due date a summary report returned for changes'
      : '',
  ].filter(Boolean);
  return [
    "As the notice requires (2(4)), a unit that did not meet last year's project targets or did not hand in its project summary report may not apply to next year's call.",
    ...(extra.length
      ? [
          `In addition, under the department's rule (working assumption; the notice says nothing of it), a unit that ${extra.join(', or ')} may not apply either.`,
        ]
      : []),
    "A report handed in on time and awaiting the association's review never keeps a unit from applying.",
  ];
}

/** One report owed, with its due date (or, for the summary, that the date comes with the reporting round). */
function owedZh(o: ObligationRecord): string {
  const due = dueInstant(o);
  const when = due
    ? `截止时间：${beijingDateTimeZh(due)}前`
    : o.report === 'duty'
      ? '与项目总结报告同时提交，日期于省科协开展项目总结时另行通知'
      : '提交日期：省科协开展项目总结时另行通知';
  return `${reportNameOf(o).zh}：${o.text.zh.trim().replace(/。$/, '')}（${when}）`;
}
function owedEn(o: ObligationRecord): string {
  const due = dueInstant(o);
  const when = due
    ? `due by ${beijingDateTimeEn(due)} Beijing time`
    : o.report === 'duty'
      ? 'due with the project summary report: its date is set when the association opens the reporting round, and you will be told'
      : 'its due date is set when the association opens the reporting round, and you will be told';
  return `${capitalise(reportNameOf(o).en)}: ${o.text.en.trim().replace(/\.$/, '')} (${when})`;
}

/** For a project owing statements on duties: what to write, and that the arrangement is the department's assumption. */
function dutiesNoteZh(call: Call, obligations: readonly ObligationRecord[]): string[] {
  if (!obligations.some((o) => o.report === 'duty')) return [];
  return [
    '职责履行情况说明：就上列每项职责，填写履行情况（fields.statement），并附签章的说明PDF，由省科协工作人员审核。',
    ...(call.dutyReports ? [`（学会学术部的工作假设，通知未作规定：${call.dutyReports.assumptions.zh}）`] : []),
  ];
}
function dutiesNoteEn(call: Call, obligations: readonly ObligationRecord[]): string[] {
  if (!obligations.some((o) => o.report === 'duty')) return [];
  return [
    "Statements on duties: for each duty above, say how the project carried it out (fields.statement) with the signed statement as a PDF; the association's staff review each.",
    ...(call.dutyReports
      ? [`(The department's working assumption; the notice says nothing of it: ${call.dutyReports.assumptions.en})`]
      : []),
  ];
}

/** Sent when the project is awarded: every report it owes, when each is due, and how to hand one in. */
export function obligationsEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  obligations: ObligationRecord[],
): Email {
  const n = obligations.length;
  return toUnit(
    unit,
    'obligations',
    `【立项后须提交的报告】${app.form.title}（共${n}项）/ Reports your awarded project owes`,
    [
      ...unitOpeningZh(app),
      `贵单位的${projectZh(app)}已获立项。按通知要求，项目须按期提交以下报告（共${n}项）：`,
      ...numbered(obligations.map(owedZh)),
      ...dutiesNoteZh(call, obligations),
      '',
      `提交方式（每份报告相同，{kind} 为报告类别：${obligations.map((o) => `${reportNameOf(o).zh} ${reportPathOf(o)}`).join('，')}）：`,
      ...handInStepsZh(reportRoute(app, { report: '{kind}' })),
      '提交后由省科协工作人员审核；需修改的将退回并说明意见，修改后按原方式重新提交。',
      '',
      ...barredZh(call),
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `${projectEn(app)} is awarded. As the notice requires, it must hand in these reports (${n}):`,
      ...numbered(obligations.map(owedEn)),
      ...dutiesNoteEn(call, obligations),
      '',
      `How to hand in a report (the same for each; {kind} is the report's kind: ${obligations.map((o) => `${reportPathOf(o)} for the ${reportNameOf(o).en}`).join(', ')}):`,
      ...handInStepsEn(reportRoute(app, { report: '{kind}' })),
      "The association's staff review each report; one that needs changes is returned with their comments, and you hand it in again the same way.",
      '',
      ...barredEn(call),
      ...footerEn(app, call),
    ],
  );
}

/** A report not yet handed in: 7 days and 1 day before it is due, or the day after it was missed. */
export function obligationReminderEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  obligation: ObligationRecord,
  tier: 'before-7d' | 'before-1d' | 'missed',
): Email {
  const name = reportNameOf(obligation);
  const due = dueInstant(obligation);
  const dueZh = due ? beijingDateTimeZh(due) : '截止日期';
  const dueEn = due ? `${beijingDateTimeEn(due)} Beijing time` : 'its due date';
  const summary = isSummary(obligation);
  const returned = obligation.state === 'RETURNED';
  const pendingZh = returned ? `已退回修改，尚未重新提交` : '尚未提交';
  const pendingEn = returned ? 'was returned for changes and has not been handed in again' : 'has not been handed in';
  if (tier === 'missed') {
    return toUnit(
      unit,
      'obligation-missed',
      `【报告逾期】${app.form.title}：${name.zh}已于${dueZh}截止 / Report overdue: ${name.en}`,
      [
        ...unitOpeningZh(app),
        `贵单位${projectZh(app)}的${name.zh}已于${dueZh}（北京时间）截止，目前${pendingZh}。`,
        `要求：${obligation.text.zh}`,
        ...(summary ? [...barredZh(call), '请仍尽快提交，以完成项目总结。'] : ['请尽快补交，逾期情况将予以记录。']),
        '',
        '提交方式：',
        ...handInStepsZh(reportRoute(app, obligation)),
        ...footerZh(app, call),
      ],
      [
        ...unitOpeningEn(app),
        `The ${name.en} of ${projectEn(app)} was due by ${dueEn} and ${pendingEn}.`,
        `Required: ${obligation.text.en}`,
        ...(summary
          ? [...barredEn(call), 'Please still hand it in as soon as you can, to complete the project.']
          : ['Please hand it in as soon as you can; the delay is recorded.']),
        '',
        'How to hand it in:',
        ...handInStepsEn(reportRoute(app, obligation)),
        ...footerEn(app, call),
      ],
    );
  }
  const whenZh = tier === 'before-7d' ? '7天后' : '明天';
  const whenEn = tier === 'before-7d' ? 'in 7 days' : 'tomorrow';
  return toUnit(
    unit,
    'obligation-reminder',
    `【报告提醒】${app.form.title}：${name.zh}（${dueZh}前）/ Reminder: ${name.en} due ${whenEn}`,
    [
      ...unitOpeningZh(app),
      `贵单位${projectZh(app)}的${name.zh}将于${whenZh}截止（${dueZh}前，北京时间），目前${pendingZh}。`,
      `要求：${obligation.text.zh}`,
      '',
      '提交方式：',
      ...handInStepsZh(reportRoute(app, obligation)),
      ...(summary ? ['', ...barredZh(call)] : []),
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `The ${name.en} of ${projectEn(app)} is due ${whenEn}, by ${dueEn}, and ${pendingEn}.`,
      `Required: ${obligation.text.en}`,
      '',
      'How to hand it in:',
      ...handInStepsEn(reportRoute(app, obligation)),
      ...(summary ? ['', ...barredEn(call)] : []),
      ...footerEn(app, call),
    ],
  );
}

/** To staff: review one report an awarded project handed in, through one link. */
export function reportReviewRequestEmail(
  assignee: { name: string; email: string },
  app: ApplicationRecord,
  call: Call,
  unitName: string,
  obligation: ObligationRecord,
  link: string,
  dueAt: Date,
): Email {
  const name = reportNameOf(obligation);
  const unit: UnitAddressee = { unitName, email: '' };
  // A review is about the latest version.
  const submission = obligation.latest;
  const due = dueInstant(obligation);
  const submittedAt = submission ? new Date(submission.submittedAt) : undefined;
  const handedIn = submittedAt && !Number.isNaN(submittedAt.getTime()) ? submittedAt : undefined;
  const late = !!(due && handedIn && handedIn.getTime() > due.getTime());
  const files = submission?.files ?? 0;
  const version = submission?.version ?? obligation.versions;
  const summary = isSummary(obligation);
  return toPerson(
    assignee,
    'report-review-request',
    `【待办：报告审核】${unitName}：${app.form.title}（${name.zh}，${beijingDateTimeZh(dueAt)}前）/ Task: review the ${name.en}`,
    [
      greetingZh(assignee.name),
      `以下立项项目提交了${name.zh}，请审核：`,
      ...applicationSummaryZh(app, call, unit),
      `报告：${name.zh}（第${version}次提交，附件${files}个）`,
      `要求：${obligation.text.zh}`,
      ...(due ? [`报告截止时间：${beijingDateTimeZh(due)}前`] : []),
      ...(handedIn ? [`提交时间：${beijingDateTimeZh(handedIn)}${late ? '（逾期提交）' : ''}`] : []),
      '',
      '打开链接可查看报告内容并下载附件，选择：通过 / 退回修改（请写明修改意见，单位修改后重新提交、再次审核）。',
      ...(summary
        ? [
            '项目总结报告：选择“通过”时须逐项判定每项绩效目标“已完成”或“未完成”；未完成绩效目标的单位不得申报下一年度项目。',
          ]
        : []),
      `办理时限：${beijingDateTimeZh(dueAt)}前`,
      `办理链接：${link}`,
      LINK_ONCE_ZH,
      ...footerZh(app, call),
    ],
    [
      greetingEn(assignee.name),
      `This awarded project has handed in its ${name.en}; please review it:`,
      ...applicationSummaryEn(app, call, unit),
      `Report: ${name.en} (version ${version}, ${files === 1 ? '1 file' : `${files} files`})`,
      `Required: ${obligation.text.en}`,
      ...(due ? [`Report due: ${beijingDateTimeEn(due)} Beijing time`] : []),
      ...(handedIn ? [`Handed in: ${beijingDateTimeEn(handedIn)} Beijing time${late ? ' (late)' : ''}`] : []),
      '',
      'The link shows the report and its files to download; answer: accept / return for changes (write what to change; the unit hands it in again and it is reviewed again).',
      ...(summary
        ? [
            "Project summary report: to accept it, mark every performance target met or not met; a unit with a target not met may not apply to next year's call.",
          ]
        : []),
      `Due: ${beijingDateTimeEn(dueAt)} Beijing time`,
      `Link: ${link}`,
      LINK_ONCE_EN,
      ...footerEn(app, call),
    ],
  );
}

/** The targets found not met: from the answer's findings, else as recorded on the obligation. */
function unmetTargets(
  obligation: ObligationRecord,
  findings: Record<string, boolean> | undefined,
): Array<Pick<TargetOutcome, 'indicator' | 'target'>> {
  const targets = obligation.targets ?? [];
  if (!findings) return targets.filter((t) => t.met === false);
  const has = (path: string) => Object.prototype.hasOwnProperty.call(findings, path);
  const known = new Set(targets.map((t) => t.path));
  return [
    ...targets.filter((t) => has(t.path) && findings[t.path] === false),
    ...Object.keys(findings)
      .filter((path) => !known.has(path) && findings[path] === false)
      .map((path) => ({ indicator: path, target: '' })),
  ];
}
const targetLineZh = (t: Pick<TargetOutcome, 'indicator' | 'target'>) =>
  t.target ? `${t.indicator}（目标：${t.target}）` : t.indicator;
const targetLineEn = (t: Pick<TargetOutcome, 'indicator' | 'target'>) =>
  t.target ? `${t.indicator} (target: ${t.target})` : t.indicator;

/** The staff review of a report: accepted (for a summary, the targets found not met), or returned with the reasons. */
export function reportReviewedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  obligation: ObligationRecord,
  answer: { answer: string; reasons?: string[]; targets?: Record<string, boolean> },
): Email {
  const name = reportNameOf(obligation);
  const summary = isSummary(obligation);
  const reasons = (answer.reasons ?? []).map((r) => r.trim()).filter(Boolean);
  if (answer.answer !== 'accept') {
    return toUnit(
      unit,
      'report-returned',
      `【报告退回修改】${app.form.title}：${name.zh} / Report returned for changes: ${name.en}`,
      [
        ...unitOpeningZh(app),
        `经省科协工作人员审核，贵单位${projectZh(app)}提交的${name.zh}需修改后重新提交。修改意见：`,
        ...(reasons.length ? numbered(reasons) : ['（审核人未填写具体意见，请致电下方项目联系人）']),
        '',
        '请修改后按原方式重新提交（重新上传附件后再提交报告）：',
        ...handInStepsZh(reportRoute(app, obligation)),
        '重新提交后将再次审核。',
        ...(summary && call.standingAssumptions?.barIfSummaryReturnedAndNotResubmitted
          ? [
              '按学会学术部的规定（工作假设，通知未作规定），项目总结报告被退回修改且截止日期前未重新提交的单位，不得申报下一年度项目，请尽快修改提交。',
            ]
          : []),
        ...footerZh(app, call),
      ],
      [
        ...unitOpeningEn(app),
        `After review by the association's staff, the ${name.en} of ${projectEn(app)} must be changed and handed in again. The reviewer's comments (as written):`,
        ...(reasons.length ? numbered(reasons) : ['(the reviewer gave no details; please call the contact below)']),
        '',
        'Change it and hand it in again the same way (upload the files again, then hand in the report):',
        ...handInStepsEn(reportRoute(app, obligation)),
        'It is reviewed again once handed in.',
        ...(summary && call.standingAssumptions?.barIfSummaryReturnedAndNotResubmitted
          ? [
              "Under the department's rule (working assumption; the notice says nothing of it), a unit that does not hand in again by its due date a summary report returned for changes may not apply to next year's call, so please hand it in again soon.",
            ]
          : []),
        ...footerEn(app, call),
      ],
    );
  }
  const unmet = summary ? unmetTargets(obligation, answer.targets) : [];
  const outcomeZh = !summary
    ? []
    : unmet.length
      ? [
          `经审核，以下绩效目标未完成（共${unmet.length}项）：`,
          ...numbered(unmet.map(targetLineZh)),
          '按通知要求，未完成上一年度项目目标的单位不得申报下一年度项目。如有异议，请联系下方项目联系人。',
        ]
      : ['经审核，项目的各项绩效目标均已完成。'];
  const outcomeEn = !summary
    ? []
    : unmet.length
      ? [
          `The review found ${unmet.length === 1 ? 'this performance target' : `these ${unmet.length} performance targets`} not met:`,
          ...numbered(unmet.map(targetLineEn)),
          "As the notice requires, a unit that did not meet the previous year's project targets may not apply to next year's call. If you disagree, please call the contact below.",
        ]
      : ['The review found every performance target of the project met.'];
  return toUnit(
    unit,
    'report-accepted',
    `【报告审核通过】${app.form.title}：${name.zh} / Report accepted: ${name.en}`,
    [
      ...unitOpeningZh(app),
      `贵单位${projectZh(app)}提交的${name.zh}已审核通过。`,
      ...outcomeZh,
      ...footerZh(app, call),
    ],
    [...unitOpeningEn(app), `The ${name.en} of ${projectEn(app)} is accepted.`, ...outcomeEn, ...footerEn(app, call)],
  );
}

/** The association opened the reporting round: the summary report is due on `dueOn` (YYYY-MM-DD, Beijing). */
export function reportingRoundEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, dueOn: string): Email {
  const due = new Date(endOfBeijingDay(dueOn));
  const summary = { report: 'summary' as const };
  const targets = targetsOf(app.form.performanceTargets);
  // The duties the notice gives no date for are answered for on the same day (obligations.ts).
  const duties = (getProjectType(call, app.projectTypeId)?.obligations ?? []).filter((o) => !o.report);
  return toUnit(
    unit,
    'summary-report-due',
    `【请提交项目总结报告】${app.form.title}（${beijingDateTimeZh(due)}前）/ Project summary report due ${isoDateEn(dueOn)}`,
    [
      ...unitOpeningZh(app),
      `省科协现开展${call.year}年度学会学术项目总结。贵单位${projectZh(app)}的项目总结报告须于${beijingDateTimeZh(due)}前（北京时间）提交。`,
      // The notice's words, then the report form: the department's assumption, never passed off as the notice's.
      `通知要求：${call.summaryReport.text.zh}`,
      call.summaryReport.assumptions.zh,
      ...(targets.length
        ? [
            '本系统的总结报告表（学会学术部的工作假设，非通知原文）要求逐项说明以下绩效目标的完成情况（fields.achieved：每项的 path 与完成情况 achieved），并填写总结（fields.summary）：',
            ...targets.map((t) => `- ${t.path}：${t.indicator}（目标：${t.target}）`),
          ]
        : []),
      '',
      '提交方式：',
      ...handInStepsZh(reportRoute(app, summary)),
      ...(duties.length
        ? [
            '',
            `同一截止时间前，还须就以下职责各提交一份职责履行情况说明（fields.statement，附签章PDF），提交地址同上，其中 summary 换为职责编号：`,
            ...duties.map((d) => `- ${d.id}：${d.text.zh}`),
          ]
        : []),
      '',
      ...barredZh(call),
      ...footerZh(app, call),
    ],
    [
      ...unitOpeningEn(app),
      `The association is collecting the summary reports of its ${call.year} society academic projects. The project summary report of ${projectEn(app)} is due by ${beijingDateTimeEn(due)} Beijing time (${isoDateEn(dueOn)}).`,
      `The notice: ${call.summaryReport.text.en}`,
      call.summaryReport.assumptions.en,
      ...(targets.length
        ? [
            "This system's report form (the department's working assumption, not the notice's words) asks what was achieved against each of these performance targets (fields.achieved: the path of each and what was achieved), with a summary (fields.summary):",
            ...targets.map((t) => `- ${t.path}: ${t.indicator} (target: ${t.target})`),
          ]
        : []),
      '',
      'How to hand it in:',
      ...handInStepsEn(reportRoute(app, summary)),
      ...(duties.length
        ? [
            '',
            "By the same time, hand in a statement on each of these duties (fields.statement, with the signed statement as a PDF), the same way with the duty's id in place of summary:",
            ...duties.map((d) => `- ${d.id}: ${d.text.en}`),
          ]
        : []),
      '',
      ...barredEn(call),
      ...footerEn(app, call),
    ],
  );
}
