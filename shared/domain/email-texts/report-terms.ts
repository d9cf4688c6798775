/** After the award: how the emails name the reports a project owes, when each is due, and how one is handed in. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call, ReportKind } from '@shared/domain/catalogue';
import { endOfBeijingDay, type ObligationRecord, SUMMARY_OBLIGATION } from '@shared/domain/obligations';
import type { UnitAddressee } from '@shared/domain/email';
import { type Lines, lines, numberedLines, unitPage } from './frame';

/** Every report kind has its name here: a new kind does not compile until the emails can name it. */
const REPORT_NAMES: Record<ReportKind, Bilingual> = {
  'forum-statistics': { zh: '论坛统计数据', en: 'forum statistics' },
  'development-report': { zh: '产业（学术）发展报告', en: 'industry (academic) development report' },
  'communication-data-report': { zh: '传播数据分析报告', en: 'communication data analysis report' },
  summary: { zh: '项目总结报告', en: 'project summary report' },
  duty: { zh: '职责履行情况说明', en: 'statement on a duty' },
};

/** A stored record is not re-validated before an email: a kind unknown to this code is named as stored, not dropped. */
export const reportNameOf = (o: Pick<ObligationRecord, 'report'>): Bilingual =>
  (REPORT_NAMES as Partial<Record<string, Bilingual>>)[o.report] ?? { zh: o.report, en: o.report };

export const isSummary = (o: Pick<ObligationRecord, 'report' | 'obligationId'>) =>
  o.report === 'summary' || o.obligationId === SUMMARY_OBLIGATION;

/** The instant a report is due: its stored end of day, else the end of its due date. */
export function dueInstant(o: Pick<ObligationRecord, 'dueAt' | 'dueOn'>): Date | undefined {
  const at = o.dueAt ? new Date(o.dueAt) : o.dueOn ? new Date(endOfBeijingDay(o.dueOn)) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/**
 * Where a report is handed in (the unit's API). A duty's statement is handed in at its duty's id (a
 * project may owe several), any other report at its kind.
 */
const reportSegment = (o: { report: string; obligationId?: string }) =>
  o.report === 'duty' && o.obligationId ? o.obligationId : o.report;
const reportRoute = (app: ApplicationRecord, o: { report: string; obligationId?: string }) =>
  `/applications/${app.applicationId}/reports/${reportSegment(o)}`;

const FILE_RULES: Bilingual = {
  zh: '须有签章的报告PDF，可附照片（JPEG、PNG），每个文件不超过20MB，最多10个',
  en: 'the signed report as a PDF is required, photos (JPEG, PNG) may follow, each file up to 20 MB, at most 10',
};

/**
 * How to hand a report in: on the web app's page for it, when the unit has the app; else through the
 * API, the files first, then the report naming them (a report must name files already uploaded).
 */
export function handInSteps(
  app: ApplicationRecord,
  o: { report: string; obligationId?: string },
  unit?: UnitAddressee,
): Lines {
  const page = unitPage(unit, app, `reports/${reportSegment(o)}`);
  if (page)
    return numberedLines(
      lines(
        {
          zh: `登录申报系统，打开报告页面：${page}；`,
          en: `sign in to the submission system and open the report's page: ${page};`,
        },
        {
          zh: `填写报告内容，上传附件（${FILE_RULES.zh}）后提交。`,
          en: `fill in the report, upload its files (${FILE_RULES.en}) and hand it in.`,
        },
      ),
    );
  const route = reportRoute(app, o);
  return numberedLines(
    lines(
      {
        zh: `先上传附件：每个文件 POST ${route}/attachments（文件名、类型、大小），再按返回的地址上传文件；须有签章的报告PDF，可附照片（JPEG、PNG），每个文件不超过20MB，最多10个；`,
        en: `upload the files first: for each, POST ${route}/attachments (its name, type and size), then upload the file to the address it gives; the signed report as a PDF is required, photos (JPEG, PNG) may follow, each file up to 20 MB, at most 10;`,
      },
      {
        zh: `再提交报告：POST ${route}，填写报告内容（fields），并列出已上传附件的 key（attachments）。`,
        en: `then hand in the report: POST ${route} with its fields and the keys of the uploaded files (attachments).`,
      },
    ),
  );
}

/**
 * What bars a unit from next year's call, the notice's words apart from the department's
 * assumptions (the call's `standingAssumptions`): a report handed in on time never bars while it
 * awaits review, and the emails say so.
 */
export function barred(call: Call): Lines {
  const a = call.standingAssumptions;
  const extra = [
    a?.barIfSummaryLate && { zh: '项目总结报告逾期提交', en: 'hands in its project summary report late' },
    a?.barIfSummaryReturnedAndNotResubmitted && {
      zh: '项目总结报告被退回修改且截止日期前未重新提交',
      en: 'does not hand in again by its due date a summary report returned for changes',
    },
  ].filter((x): x is Bilingual => !!x);
  return lines(
    {
      zh: '按通知要求（二（四）），未完成上一年度项目目标以及未提交项目总结报告的单位，均不得申报下一年度项目。',
      en: "As the notice requires (2(4)), a unit that did not meet last year's project targets or did not hand in its project summary report may not apply to next year's call.",
    },
    extra.length > 0 && {
      zh: `此外，按学会学术部的规定（工作假设，通知未作规定），${extra.map((x) => x.zh).join('或')}的单位，也不得申报下一年度项目。`,
      en: `In addition, under the department's rule (working assumption; the notice says nothing of it), a unit that ${extra.map((x) => x.en).join(', or ')} may not apply either.`,
    },
    {
      zh: '报告按期提交后尚待省科协审核的，不影响申报。',
      en: "A report handed in on time and awaiting the association's review never keeps a unit from applying.",
    },
  );
}
