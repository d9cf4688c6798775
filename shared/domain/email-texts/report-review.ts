/** The staff review of a report a project handed in: the task to staff, then the outcome to the unit. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import type { ObligationRecord, TargetOutcome } from '@shared/domain/obligations';
import { applicationSummary, projectName } from './application';
import { countEn, dateTime, numbered } from './format';
import {
  applicationFooter,
  greeting,
  type Lines,
  lines,
  numberedLines,
  taskLink,
  toPerson,
  toUnit,
  verbatim,
} from './frame';
import { dueInstant, handInSteps, isSummary, reportNameOf } from './report-terms';

/** The version under review (always the latest) and whether it came in after the report was due. */
function handedIn(obligation: ObligationRecord): Lines {
  const name = reportNameOf(obligation);
  const submission = obligation.latest;
  const due = dueInstant(obligation);
  const submittedAt = submission ? new Date(submission.submittedAt) : undefined;
  const at = submittedAt && !Number.isNaN(submittedAt.getTime()) ? submittedAt : undefined;
  const late = !!(due && at && at.getTime() > due.getTime());
  const files = submission?.files ?? 0;
  const version = submission?.version ?? obligation.versions;
  return lines(
    {
      zh: `报告：${name.zh}（第${version}次提交，附件${files}个）`,
      en: `Report: ${name.en} (version ${version}, ${countEn(files, 'file')})`,
    },
    { zh: `要求：${obligation.text.zh}`, en: `Required: ${obligation.text.en}` },
    due && { zh: `报告截止时间：${dateTime(due).zh}前`, en: `Report due: ${dateTime(due).en} Beijing time` },
    at && {
      zh: `提交时间：${dateTime(at).zh}${late ? '（逾期提交）' : ''}`,
      en: `Handed in: ${dateTime(at).en} Beijing time${late ? ' (late)' : ''}`,
    },
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
  return toPerson(
    assignee,
    'report-review-request',
    `【待办：报告审核】${unitName}：${app.form.title}（${name.zh}，${dateTime(dueAt).zh}前）/ Task: review the ${name.en}`,
    lines(
      greeting(assignee.name),
      {
        zh: `以下立项项目提交了${name.zh}，请审核：`,
        en: `This awarded project has handed in its ${name.en}; please review it:`,
      },
      applicationSummary(app, call, { unitName, email: '' }),
      handedIn(obligation),
      '',
      {
        zh: '打开链接可查看报告内容并下载附件，选择：通过 / 退回修改（请写明修改意见，单位修改后重新提交、再次审核）。',
        en: 'The link shows the report and its files to download; answer: accept / return for changes (write what to change; the unit hands it in again and it is reviewed again).',
      },
      isSummary(obligation) && {
        zh: '项目总结报告：选择“通过”时须逐项判定每项绩效目标“已完成”或“未完成”；未完成绩效目标的单位不得申报下一年度项目。',
        en: "Project summary report: to accept it, mark every performance target met or not met; a unit with a target not met may not apply to next year's call.",
      },
      taskLink(link, dueAt),
      applicationFooter(app, call),
    ),
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

const targetLine = (t: Pick<TargetOutcome, 'indicator' | 'target'>): Bilingual =>
  t.target
    ? { zh: `${t.indicator}（目标：${t.target}）`, en: `${t.indicator} (target: ${t.target})` }
    : { zh: t.indicator, en: t.indicator };

type Answer = { answer: string; reasons?: string[]; targets?: Record<string, boolean> };

/** Returned: the reviewer's words as written, and how to hand it in again. */
function returnedBody(
  app: ApplicationRecord,
  call: Call,
  obligation: ObligationRecord,
  reasons: string[],
  unit: UnitAddressee,
): Lines {
  const [name, project] = [reportNameOf(obligation), projectName(app)];
  const barsNextYear = isSummary(obligation) && call.standingAssumptions?.barIfSummaryReturnedAndNotResubmitted;
  return lines(
    {
      zh: `经省科协工作人员审核，贵单位${project.zh}提交的${name.zh}需修改后重新提交。修改意见：`,
      en: `After review by the association's staff, the ${name.en} of ${project.en} must be changed and handed in again. The reviewer's comments (as written):`,
    },
    reasons.length
      ? verbatim(numbered(reasons))
      : {
          zh: '（审核人未填写具体意见，请致电下方项目联系人）',
          en: '(the reviewer gave no details; please call the contact below)',
        },
    '',
    {
      zh: '请修改后按原方式重新提交（重新上传附件后再提交报告）：',
      en: 'Change it and hand it in again the same way (upload the files again, then hand in the report):',
    },
    handInSteps(app, obligation, unit),
    { zh: '重新提交后将再次审核。', en: 'It is reviewed again once handed in.' },
    barsNextYear && {
      zh: '按学会学术部的规定（工作假设，通知未作规定），项目总结报告被退回修改且截止日期前未重新提交的单位，不得申报下一年度项目，请尽快修改提交。',
      en: "Under the department's rule (working assumption; the notice says nothing of it), a unit that does not hand in again by its due date a summary report returned for changes may not apply to next year's call, so please hand it in again soon.",
    },
  );
}

/** Accepted: for a summary, the targets found not met (which bar next year's call), or that all were met. */
function acceptedOutcome(obligation: ObligationRecord, findings: Record<string, boolean> | undefined): Lines {
  if (!isSummary(obligation)) return lines();
  const unmet = unmetTargets(obligation, findings);
  if (!unmet.length) {
    return lines({
      zh: '经审核，项目的各项绩效目标均已完成。',
      en: 'The review found every performance target of the project met.',
    });
  }
  return lines(
    {
      zh: `经审核，以下绩效目标未完成（共${unmet.length}项）：`,
      en: `The review found ${unmet.length === 1 ? 'this performance target' : `these ${unmet.length} performance targets`} not met:`,
    },
    numberedLines(lines(...unmet.map(targetLine))),
    {
      zh: '按通知要求，未完成上一年度项目目标的单位不得申报下一年度项目。如有异议，请联系下方项目联系人。',
      en: "As the notice requires, a unit that did not meet the previous year's project targets may not apply to next year's call. If you disagree, please call the contact below.",
    },
  );
}

/** The staff review of a report: accepted (for a summary, the targets found not met), or returned with the reasons. */
export function reportReviewedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  obligation: ObligationRecord,
  answer: Answer,
): Email {
  const [name, project] = [reportNameOf(obligation), projectName(app)];
  if (answer.answer !== 'accept') {
    const reasons = (answer.reasons ?? []).map((r) => r.trim()).filter(Boolean);
    return toUnit(
      app,
      call,
      unit,
      'report-returned',
      `【报告退回修改】${app.form.title}：${name.zh} / Report returned for changes: ${name.en}`,
      returnedBody(app, call, obligation, reasons, unit),
    );
  }
  return toUnit(
    app,
    call,
    unit,
    'report-accepted',
    `【报告审核通过】${app.form.title}：${name.zh} / Report accepted: ${name.en}`,
    lines(
      { zh: `贵单位${project.zh}提交的${name.zh}已审核通过。`, en: `The ${name.en} of ${project.en} is accepted.` },
      acceptedOutcome(obligation, answer.targets),
    ),
  );
}
