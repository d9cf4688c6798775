/** To staff: one application's review task (formal review, paper-copy receipt, performance-target review), one link. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import type { Assignee, StaffTaskKind } from '@shared/domain/tasks/record';
import { applicationSummary } from './application';
import { copiesEn, dateTime, oneLine } from './format';
import { applicationFooter, bilingualText, greeting, type Lines, lines, taskLink } from './frame';
import { paperCopyTerms } from './paper-copy';

interface StaffTask {
  name: Bilingual;
  /** What to check and how to answer, as the reviewer needs it on the page the link opens. */
  steps: (call: Call) => Lines;
}

function paperCopySteps(call: Call): Lines {
  const { copies, sealed, form } = paperCopyTerms(call);
  const deadline = dateTime(new Date(call.paperCopyDeadline));
  return lines(
    {
      zh: `收到该单位纸质材料后核对：是否为${form.zh}、一式${copies}份${sealed ? '、已加盖单位公章' : ''}、与在线提交版本一致。`,
      en: `When the unit's paper copy arrives, check that it is ${form.en}, ${copiesEn(copies)}${sealed ? ", stamped with the unit's official seal" : ''}, the same as the version submitted online.`,
    },
    {
      zh: `打开链接，填写实际收到的日期并确认签收；纸质材料报送截止时间为${deadline.zh}，此后收到的不予受理。`,
      en: `Open the link, enter the date it arrived and confirm. The paper-copy deadline is ${deadline.en} Beijing time; copies arriving later are not accepted.`,
    },
  );
}

/** Every staff task kind has its name and steps here: a new kind does not compile until it has its text. */
const STAFF_TASKS: Record<StaffTaskKind, StaffTask> = {
  'formal-review': {
    name: { zh: '形式审查', en: 'formal review' },
    steps: () =>
      lines(
        {
          zh: '审查要点：申报单位资格、项目类型与申请经费是否符合通知要求，申请书内容是否完整、真实（已通过系统自动形式审查）。',
          en: "Check the unit's eligibility, that the project type and the amount requested meet the notice, and that the application is complete and truthful (it has passed the automatic formal check).",
        },
        {
          zh: '打开链接可查看申请书全文，并选择：通过 / 退回修改（请写明修改意见，单位修改后再次审查）/ 不予受理（请写明理由）。',
          en: 'The link shows the whole application; answer: pass / return for correction (write what to correct; it is reviewed again once amended) / reject (write why).',
        },
      ),
  },
  'paper-copy': { name: { zh: '纸质材料签收', en: 'paper-copy receipt' }, steps: paperCopySteps },
  'target-review': {
    name: { zh: '绩效目标审核', en: 'performance-target review' },
    steps: () =>
      lines(
        {
          zh: '审核要点：绩效目标（产出指标的数量、质量、时效、成本，效益指标，满意度指标）是否完整、可量化，并与项目内容和预算相符。',
          en: 'Check that the performance targets (output: quantity, quality, timeliness, cost; effect; satisfaction) are complete, measurable and consistent with the project and its budget.',
        },
        {
          zh: '打开链接可查看申请书全文，并选择：通过 / 不通过（请写明理由；不通过的项目不进入下一阶段评审）。',
          en: 'The link shows the whole application; answer: pass / fail (write why; a failed application does not go on to the next stage of review).',
        },
      ),
  },
};

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
  const { name, steps } = STAFF_TASKS[kind];
  const unitName = unit?.unitName ?? app.unitId;
  return {
    to: assignee.email,
    subject: oneLine(`【待办：${name.zh}】${unitName}：${app.form.title}（${dateTime(dueAt).zh}前）/ Task: ${name.en}`),
    text: bilingualText(
      lines(
        greeting(assignee.name),
        { zh: `请对以下申报项目进行${name.zh}：`, en: `Please do the ${name.en} of this application:` },
        applicationSummary(app, call, unit),
        '',
        steps(call),
        taskLink(link, dueAt),
        applicationFooter(app, call),
      ),
    ),
    template: `${kind}-request`,
  };
}

/**
 * Whom an overdue reminder is copied to: the assignee's own escalation contact, else the department
 * head, named by title when the call gives one. Never the assignee themself (the head may be the assignee).
 */
function escalation(assignee: Assignee, call: Call, overdue: boolean): { cc?: string[]; head: Bilingual } {
  const head = assignee.escalateTo ?? call.staffReview.departmentHead;
  const title = call.staffReview.departmentHead.title;
  const named: Bilingual = assignee.escalateTo
    ? { zh: assignee.escalateTo.name, en: assignee.escalateTo.name }
    : { zh: title?.zh ?? head.name, en: title ? `the ${title.en.replace(/^the /i, '')}` : head.name };
  const copied = overdue && head.email.trim().toLowerCase() !== assignee.email.trim().toLowerCase();
  return copied ? { cc: [head.email], head: named } : { head: named };
}

/** The reminder's opening: due soon, or overdue (and whom it is copied to). */
function reminderOpening(name: Bilingual, dueAt: Date, overdue: boolean, copiedTo: Bilingual | undefined): Bilingual {
  const due = dateTime(dueAt);
  if (!overdue) {
    return {
      zh: `以下申报项目的${name.zh}任务将于${due.zh}到期，尚未办理，请及时处理。`,
      en: `The ${name.en} of this application is due ${due.en} Beijing time and has not been done yet.`,
    };
  }
  return {
    zh: `以下申报项目的${name.zh}任务已于${due.zh}到期，尚未办理，请尽快处理。${copiedTo ? `本提醒已抄送${copiedTo.zh}。` : ''}`,
    en: `The ${name.en} of this application was due ${due.en} Beijing time and has not been done; please do it as soon as possible.${copiedTo ? ` This reminder is copied to ${copiedTo.en}.` : ''}`,
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
  const { name, steps } = STAFF_TASKS[kind];
  const unitName = unit?.unitName ?? app.unitId;
  const { cc, head } = escalation(assignee, call, overdue);
  const due = dateTime(dueAt).zh;
  return {
    to: assignee.email,
    ...(cc ? { cc } : {}),
    subject: oneLine(
      overdue
        ? `【逾期未办：${name.zh}】${unitName}：${app.form.title}（已于${due}到期）/ Overdue: ${name.en}`
        : `【待办提醒：${name.zh}】${unitName}：${app.form.title}（${due}前）/ Reminder: ${name.en}`,
    ),
    text: bilingualText(
      lines(
        greeting(assignee.name),
        reminderOpening(name, dueAt, overdue, cc && head),
        applicationSummary(app, call, unit),
        '',
        steps(call),
        taskLink(link),
        applicationFooter(app, call),
      ),
    ),
    template: overdue ? `${kind}-task-overdue` : `${kind}-task-reminder`,
  };
}
