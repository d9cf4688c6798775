/** The association opens the reporting round: the summary report (and any duty statements) fall due. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import { type Call, getProjectType, type Obligation } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { endOfBeijingDay, targetsOf } from '@shared/domain/obligations';
import { projectName } from './application';
import { dateTime, isoDate } from './format';
import { type Lines, lines, toUnit } from './frame';
import { barred, handInSteps } from './report-terms';

/** The report form is the department's assumption, never passed off as the notice's words. */
function summaryForm(app: ApplicationRecord): Lines {
  const targets = targetsOf(app.form.performanceTargets);
  if (!targets.length) return lines();
  return lines(
    {
      zh: '本系统的总结报告表（学会学术部的工作假设，非通知原文）要求逐项说明以下绩效目标的完成情况（fields.achieved：每项的 path 与完成情况 achieved），并填写总结（fields.summary）：',
      en: "This system's report form (the department's working assumption, not the notice's words) asks what was achieved against each of these performance targets (fields.achieved: the path of each and what was achieved), with a summary (fields.summary):",
    },
    ...targets.map((t) => ({
      zh: `- ${t.path}：${t.indicator}（目标：${t.target}）`,
      en: `- ${t.path}: ${t.indicator} (target: ${t.target})`,
    })),
  );
}

/** The duties the notice gives no date for are answered for on the same day (@shared/domain/obligations). */
function dutyStatements(duties: Obligation[]): Lines {
  if (!duties.length) return lines();
  return lines(
    '',
    {
      zh: `同一截止时间前，还须就以下职责各提交一份职责履行情况说明（fields.statement，附签章PDF），提交地址同上，其中 summary 换为职责编号：`,
      en: "By the same time, hand in a statement on each of these duties (fields.statement, with the signed statement as a PDF), the same way with the duty's id in place of summary:",
    },
    ...duties.map((d) => ({ zh: `- ${d.id}：${d.text.zh}`, en: `- ${d.id}: ${d.text.en}` })),
  );
}

/** The association opened the reporting round: the summary report is due on `dueOn` (YYYY-MM-DD, Beijing). */
export function reportingRoundEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, dueOn: string): Email {
  const due = dateTime(new Date(endOfBeijingDay(dueOn)));
  const project = projectName(app);
  const duties = (getProjectType(call, app.projectTypeId)?.obligations ?? []).filter((o) => !o.report);
  return toUnit(
    app,
    call,
    unit,
    'summary-report-due',
    `【请提交项目总结报告】${app.form.title}（${due.zh}前）/ Project summary report due ${isoDate(dueOn).en}`,
    lines(
      {
        zh: `省科协现开展${call.year}年度学会学术项目总结。贵单位${project.zh}的项目总结报告须于${due.zh}前（北京时间）提交。`,
        en: `The association is collecting the summary reports of its ${call.year} society academic projects. The project summary report of ${project.en} is due by ${due.en} Beijing time (${isoDate(dueOn).en}).`,
      },
      { zh: `通知要求：${call.summaryReport.text.zh}`, en: `The notice: ${call.summaryReport.text.en}` },
      call.summaryReport.assumptions,
      summaryForm(app),
      '',
      { zh: '提交方式：', en: 'How to hand it in:' },
      handInSteps(app, { report: 'summary' }, unit),
      dutyStatements(duties),
      '',
      barred(call),
    ),
  );
}
