/** Returned for correction, by the automatic check or the staff formal review, and the reminder before its deadline. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import type { FormalCheckReason } from '@shared/domain/formal-check';
import { projectName } from './application';
import { dateTime, numbered } from './format';
import { type Lines, lines, numberedLines, toUnit, unitPage, verbatim } from './frame';

/** Plain steps to change the application: the app's page for it when there is one (never an API call). */
function amendSteps(app: ApplicationRecord, call: Call, unit: UnitAddressee): Bilingual {
  const page = unitPage(unit, app, 'amend');
  if (page)
    return {
      zh: `请登录申报系统修改申请书后重新提交：${page}`,
      en: `Sign in to the submission system, amend the application and submit it again: ${page}`,
    };
  const system = call.submissionSystem;
  return system
    ? {
        zh: `请登录${system.name.zh}（${system.url}）修改申请书后重新提交`,
        en: `Log in to the ${system.name.en} (${system.url}), amend the application and submit it again`,
      }
    : {
        zh: '请登录申报系统修改申请书后重新提交',
        en: 'Log in to the submission system, amend the application and submit it again',
      };
}

const returnedSubject = (app: ApplicationRecord, dueAt: Date) =>
  `【退回修改】${app.form.title}（${dateTime(dueAt).zh}前修改）/ Returned for correction`;

/** The automatic formal check found problems: the reasons, and until when the unit may correct them. */
export function returnedForCorrectionEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  reasons: FormalCheckReason[],
  correctionDueAt: Date,
): Email {
  const project = projectName(app);
  const [steps, due] = [amendSteps(app, call, unit), dateTime(correctionDueAt)];
  return toUnit(
    app,
    call,
    unit,
    'returned-for-correction',
    returnedSubject(app, correctionDueAt),
    lines(
      {
        zh: `贵单位申报的${project.zh}未通过系统自动形式审查，现退回修改。需修改的问题：`,
        en: `${project.en} did not pass the automatic formal check and is returned for correction. To correct:`,
      },
      numberedLines({ zh: reasons.map((r) => r.text.zh), en: reasons.map((r) => r.text.en) }),
      '',
      {
        zh: `${steps.zh}，截止时间：${due.zh}前。重新提交后系统将再次进行形式审查；逾期未修改的申报不予受理。`,
        en: `${steps.en} by ${due.en} Beijing time. It is checked again once resubmitted; an application not corrected by then is not accepted.`,
      },
    ),
  );
}

/** The points a reminder repeats: the staff reviewer's words as written, else the automatic check's. */
function pointsToCorrect(app: ApplicationRecord, staffReasons: string[] | undefined): Lines {
  const reasons: Lines = staffReasons?.length
    ? verbatim(staffReasons)
    : {
        zh: (app.formalCheck?.reasons ?? []).map((r) => r.text.zh),
        en: (app.formalCheck?.reasons ?? []).map((r) => r.text.en),
      };
  if (!reasons.zh.length) {
    return lines({
      zh: '需修改的问题见此前的退回修改通知邮件。',
      en: 'The points to correct are in the earlier email that returned it.',
    });
  }
  return lines({ zh: '需修改的问题：', en: 'To correct:' }, numberedLines(reasons));
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
  const project = projectName(app);
  const [steps, due] = [amendSteps(app, call, unit), dateTime(deadline)];
  return toUnit(
    app,
    call,
    unit,
    'correction-reminder',
    `【修改提醒】${app.form.title}（${due.zh}前修改）/ Reminder: correction due`,
    lines(
      {
        zh: `贵单位申报的${project.zh}已退回修改，目前尚未重新提交。`,
        en: `${project.en} was returned for correction and has not been resubmitted yet.`,
      },
      {
        zh: `${steps.zh}，截止时间：${due.zh}前；逾期未修改的申报不予受理。`,
        en: `${steps.en} by ${due.en} Beijing time; an application not corrected by then is not accepted.`,
      },
      pointsToCorrect(app, staffReasons),
    ),
  );
}

/** The staff formal review returned the application: the reviewer's comments and the correction deadline. */
export function formalReviewReturnedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  reasons: string[],
  correctionDueAt: Date,
): Email {
  const department = call.staffReview.department;
  const project = projectName(app);
  const [steps, due] = [amendSteps(app, call, unit), dateTime(correctionDueAt)];
  return toUnit(
    app,
    call,
    unit,
    'formal-review-returned',
    returnedSubject(app, correctionDueAt),
    lines(
      {
        zh: `经${department.zh}形式审查，贵单位申报的${project.zh}需修改后重新提交。修改意见：`,
        en: `After the formal review by ${department.en}, ${project.en} must be amended and submitted again. The reviewer's comments (as written):`,
      },
      reasons.length
        ? verbatim(numbered(reasons))
        : {
            zh: '（审查人未填写具体意见，请致电下方项目联系人）',
            en: '(the reviewer gave no details; please call the contact below)',
          },
      '',
      {
        zh: `${steps.zh}，截止时间：${due.zh}前。重新提交后将再次审查；逾期未修改的申报不予受理。`,
        en: `${steps.en} by ${due.en} Beijing time. It is reviewed again once resubmitted; an application not corrected by then is not accepted.`,
      },
    ),
  );
}
