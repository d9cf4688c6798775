/** To an awarded unit: every report its project owes, and the reminders before (and after) each is due. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { type ObligationRecord, reportPathOf } from '@shared/domain/obligations';
import { projectName } from './application';
import { capitalise, dateTime } from './format';
import { type Lines, lines, numberedLines, toUnit, unitPage } from './frame';
import { barred, dueInstant, handInSteps, isSummary, reportNameOf } from './report-terms';

/** One report owed, with its due date (or, for the summary and the duties, that the date comes with the reporting round). */
function owed(o: ObligationRecord): Bilingual {
  const due = dueInstant(o);
  const name = reportNameOf(o);
  const when: Bilingual = due
    ? { zh: `截止时间：${dateTime(due).zh}前`, en: `due by ${dateTime(due).en} Beijing time` }
    : o.report === 'duty'
      ? {
          zh: '与项目总结报告同时提交，日期于省科协开展项目总结时另行通知',
          en: 'due with the project summary report: its date is set when the association opens the reporting round, and you will be told',
        }
      : {
          zh: '提交日期：省科协开展项目总结时另行通知',
          en: 'its due date is set when the association opens the reporting round, and you will be told',
        };
  return {
    zh: `${name.zh}：${o.text.zh.trim().replace(/。$/, '')}（${when.zh}）`,
    en: `${capitalise(name.en)}: ${o.text.en.trim().replace(/\.$/, '')} (${when.en})`,
  };
}

/** For a project owing statements on duties: what to write, and that the arrangement is the department's assumption. */
function dutiesNote(call: Call, obligations: readonly ObligationRecord[]): Lines {
  if (!obligations.some((o) => o.report === 'duty')) return lines();
  return lines(
    {
      zh: '职责履行情况说明：就上列每项职责，填写履行情况（fields.statement），并附签章的说明PDF，由省科协工作人员审核。',
      en: "Statements on duties: for each duty above, say how the project carried it out (fields.statement) with the signed statement as a PDF; the association's staff review each.",
    },
    call.dutyReports && {
      zh: `（学会学术部的工作假设，通知未作规定：${call.dutyReports.assumptions.zh}）`,
      en: `(The department's working assumption; the notice says nothing of it: ${call.dutyReports.assumptions.en})`,
    },
  );
}

/** How each report is handed in: on the project's page of the web app, or (without it) through the API. */
function howToHandIn(
  app: ApplicationRecord,
  unit: UnitAddressee,
  kinds: Array<{ path: string; name: Bilingual }>,
): Lines {
  const page = unitPage(unit, app);
  if (page)
    return lines({
      zh: `提交方式：登录申报系统，在项目页面的“立项后的义务与报告”中逐项填写并上传附件后提交：${page}`,
      en: `How to hand them in: sign in to the submission system and hand in each from the project's page, under "Duties and reports after the award": ${page}`,
    });
  return lines(
    {
      zh: `提交方式（每份报告相同，{kind} 为报告类别：${kinds.map((k) => `${k.name.zh} ${k.path}`).join('，')}）：`,
      en: `How to hand in a report (the same for each; {kind} is the report's kind: ${kinds.map((k) => `${k.path} for the ${k.name.en}`).join(', ')}):`,
    },
    handInSteps(app, { report: '{kind}' }),
  );
}

/** Sent when the project is awarded: every report it owes, when each is due, and how to hand one in. */
export function obligationsEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  obligations: ObligationRecord[],
): Email {
  const n = obligations.length;
  const project = projectName(app);
  const kinds = obligations.map((o) => ({ path: reportPathOf(o), name: reportNameOf(o) }));
  return toUnit(
    app,
    call,
    unit,
    'obligations',
    `【立项后须提交的报告】${app.form.title}（共${n}项）/ Reports your awarded project owes`,
    lines(
      {
        zh: `贵单位的${project.zh}已获立项。按通知要求，项目须按期提交以下报告（共${n}项）：`,
        en: `${project.en} is awarded. As the notice requires, it must hand in these reports (${n}):`,
      },
      numberedLines(lines(...obligations.map(owed))),
      dutiesNote(call, obligations),
      '',
      howToHandIn(app, unit, kinds),
      {
        zh: '提交后由省科协工作人员审核；需修改的将退回并说明意见，修改后按原方式重新提交。',
        en: "The association's staff review each report; one that needs changes is returned with their comments, and you hand it in again the same way.",
      },
      '',
      barred(call),
    ),
  );
}

type ReminderTier = 'before-7d' | 'before-1d' | 'missed';

/** How far off the due date is, in the reminders sent before it. */
const BEFORE: Record<Exclude<ReminderTier, 'missed'>, Bilingual> = {
  'before-7d': { zh: '7天后', en: 'in 7 days' },
  'before-1d': { zh: '明天', en: 'tomorrow' },
};

/** What a reminder needs of one obligation, worded once for both of its forms. */
function reminderTerms(app: ApplicationRecord, obligation: ObligationRecord, unit: UnitAddressee) {
  const due = dueInstant(obligation);
  const returned = obligation.state === 'RETURNED';
  return {
    name: reportNameOf(obligation),
    project: projectName(app),
    due: due
      ? { zh: dateTime(due).zh, en: `${dateTime(due).en} Beijing time` }
      : { zh: '截止日期', en: 'its due date' },
    pending: returned
      ? { zh: '已退回修改，尚未重新提交', en: 'was returned for changes and has not been handed in again' }
      : { zh: '尚未提交', en: 'has not been handed in' },
    required: { zh: `要求：${obligation.text.zh}`, en: `Required: ${obligation.text.en}` },
    howTo: lines({ zh: '提交方式：', en: 'How to hand it in:' }, handInSteps(app, obligation, unit)),
  };
}

/** The report was missed: a missed summary bars next year's call, any other is recorded as late. */
function missedBody(app: ApplicationRecord, call: Call, obligation: ObligationRecord, unit: UnitAddressee): Lines {
  const { name, project, due, pending, required, howTo } = reminderTerms(app, obligation, unit);
  return lines(
    {
      zh: `贵单位${project.zh}的${name.zh}已于${due.zh}（北京时间）截止，目前${pending.zh}。`,
      en: `The ${name.en} of ${project.en} was due by ${due.en} and ${pending.en}.`,
    },
    required,
    isSummary(obligation)
      ? lines(barred(call), {
          zh: '请仍尽快提交，以完成项目总结。',
          en: 'Please still hand it in as soon as you can, to complete the project.',
        })
      : { zh: '请尽快补交，逾期情况将予以记录。', en: 'Please hand it in as soon as you can; the delay is recorded.' },
    '',
    howTo,
  );
}

/** A report not yet handed in: 7 days and 1 day before it is due, or the day after it was missed. */
export function obligationReminderEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  obligation: ObligationRecord,
  tier: ReminderTier,
): Email {
  const { name, project, due, pending, required, howTo } = reminderTerms(app, obligation, unit);
  if (tier === 'missed') {
    const subject = `【报告逾期】${app.form.title}：${name.zh}已于${due.zh}截止 / Report overdue: ${name.en}`;
    return toUnit(app, call, unit, 'obligation-missed', subject, missedBody(app, call, obligation, unit));
  }
  const when = BEFORE[tier];
  return toUnit(
    app,
    call,
    unit,
    'obligation-reminder',
    `【报告提醒】${app.form.title}：${name.zh}（${due.zh}前）/ Reminder: ${name.en} due ${when.en}`,
    lines(
      {
        zh: `贵单位${project.zh}的${name.zh}将于${when.zh}截止（${due.zh}前，北京时间），目前${pending.zh}。`,
        en: `The ${name.en} of ${project.en} is due ${when.en}, by ${due.en}, and ${pending.en}.`,
      },
      required,
      '',
      howTo,
      isSummary(obligation) && lines('', barred(call)),
    ),
  );
}
