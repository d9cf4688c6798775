/** What a report handed in says, field by field, and for a summary what was achieved against each target. */
import type { ApplicationForm } from '@shared/domain/application-form';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { ObligationRecord, ReportSubmission } from '@shared/domain/obligations';
import { b, bi, biBlock, esc, para, row } from './frame';
import { groupThousands, scalarText } from './format';
import type { ReportReviewView } from './views';

const REPORT_NAMES: Record<string, Bilingual> = {
  'forum-statistics': { zh: '论坛统计数据', en: 'Forum statistics' },
  'development-report': { zh: '产业（学术）发展报告', en: 'Industry (academic) development report' },
  'communication-data-report': { zh: '传播数据分析报告', en: 'Communication data analysis report' },
  summary: { zh: '项目总结报告', en: 'Project summary report' },
  duty: { zh: '职责履行情况说明', en: 'Statement on a duty' },
};
export const reportName = (kind: string): Bilingual => REPORT_NAMES[kind] ?? { zh: kind, en: kind };

/** Labels of the reports' fields (REPORT_FIELDS in obligations.ts); others show their key. */
const REPORT_FIELD_LABELS: Record<string, Bilingual> = {
  startDate: { zh: '开始日期', en: 'First day' },
  endDate: { zh: '结束日期', en: 'Last day' },
  offlineAttendance: { zh: '线下参会人数', en: 'Offline attendance' },
  onlineAttendance: { zh: '线上参会人数', en: 'Online attendance' },
  speakers: { zh: '报告专家人数', en: 'Expert speakers' },
  papers: { zh: '交流论文（篇）', en: 'Papers' },
  mediaReports: { zh: '媒体报道（篇）', en: 'Media reports' },
  notes: { zh: '说明', en: 'Notes' },
  reportTitle: { zh: '报告题目', en: 'Title of the report' },
  summary: { zh: '内容摘要', en: 'Summary' },
  recommendations: { zh: '建议', en: 'Recommendations' },
  reach: { zh: '覆盖人数', en: 'Reach' },
  views: { zh: '浏览量', en: 'Views' },
  articles: { zh: '发布文章（篇）', en: 'Articles' },
  achieved: { zh: '绩效目标完成情况', en: 'Achieved against the targets' },
  statement: { zh: '履行情况', en: 'How the duty was carried out' },
};

/** The fields each report shows first, in this order (any other field follows, by its key). */
const REPORT_FIELD_ORDER: Record<string, readonly string[]> = {
  'forum-statistics': [
    'startDate',
    'endDate',
    'offlineAttendance',
    'onlineAttendance',
    'speakers',
    'papers',
    'mediaReports',
    'notes',
  ],
  'development-report': ['reportTitle', 'summary', 'recommendations'],
  'communication-data-report': ['reach', 'views', 'articles', 'summary'],
  summary: ['summary'],
  duty: ['statement'],
};
/** Long texts, kept as written (line breaks and all). */
const LONG_TEXT_FIELDS = new Set(['summary', 'notes', 'statement']);

const own = (o: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The submission's fields; a stored submission without an object of fields has none. */
export const submittedFields = (submission: ReportSubmission): Record<string, unknown> =>
  (submission.fields && typeof submission.fields === 'object' ? submission.fields : {}) as Record<string, unknown>;

/** What the form promised for a forum's statistic (attendance, speakers), shown beside what the report says. */
function promised(key: string, form: ApplicationForm | undefined): string {
  const details = (form?.details ?? {}) as unknown as Record<string, unknown>;
  if (!own(details, key)) return '';
  const value = details[key];
  const n = Array.isArray(value) ? value.length : value;
  return typeof n === 'number'
    ? ` <span class="hint">${bi(`（申请书：${groupThousands(n)}）`, `(application: ${groupThousands(n)})`)}</span>`
    : '';
}

function reportFieldValue(key: string, value: unknown): string {
  if (typeof value === 'string' && LONG_TEXT_FIELDS.has(key)) return `<div class="pre">${esc(value)}</div>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return `<ol>${value.map((v) => `<li>${typeof v === 'string' ? `<span class="pre">${esc(v)}</span>` : scalarText(v)}</li>`).join('')}</ol>`;
  }
  return scalarText(value);
}

/** What a summary says was achieved, per target path (the report's fields, else as recorded on the obligation). */
export function achievedByPath(obligation: ObligationRecord, fields: Record<string, unknown>): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const t of obligation.targets ?? []) if (typeof t.achieved === 'string') byPath.set(t.path, t.achieved);
  for (const a of Array.isArray(fields.achieved) ? (fields.achieved as unknown[]) : []) {
    const entry = (a ?? {}) as { path?: unknown; achieved?: unknown };
    if (typeof entry.path === 'string')
      byPath.set(
        entry.path,
        typeof entry.achieved === 'string' ? entry.achieved : JSON.stringify(entry.achieved ?? ''),
      );
  }
  return byPath;
}

/** A summary's targets: each with its target and what the unit says it achieved. */
function achievedTable(obligation: ObligationRecord, fields: Record<string, unknown>): string {
  const byPath = achievedByPath(obligation, fields);
  const targets = obligation.targets ?? [];
  const known = new Set(targets.map((t) => t.path));
  const rows = [
    ...targets.map(
      (t) =>
        `<tr><td>${esc(t.indicator)}</td><td>${esc(t.target)}</td><td>${
          byPath.has(t.path)
            ? `<span class="pre">${esc(byPath.get(t.path))}</span>`
            : `<span class="bad">${bi('未填写', 'not given')}</span>`
        }</td></tr>`,
    ),
    ...[...byPath.entries()]
      .filter(([path]) => !known.has(path))
      .map(([path, text]) => `<tr><td>${esc(path)}</td><td>—</td><td><span class="pre">${esc(text)}</span></td></tr>`),
  ];
  if (rows.length === 0) return para('没有绩效目标。', 'No performance targets.');
  return [
    '<div class="scroll">',
    '<table>',
    `<thead><tr><th>${bi('指标', 'Indicator')}</th><th>${bi('目标值', 'Target')}</th><th>${bi('完成情况', 'Achieved')}</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
    '</div>',
  ].join('\n');
}

/** The report's fields as `dl.kv` rows: its kind's known fields first, a forum's statistics beside the promise. */
function reportFieldRows(report: ReportReviewView, form: ApplicationForm | undefined): string {
  const kind = report.obligation.report;
  const fields = submittedFields(report.submission);
  const order = REPORT_FIELD_ORDER[kind] ?? [];
  const keys = [
    ...order.filter((k) => own(fields, k)),
    ...Object.keys(fields).filter((k) => !order.includes(k) && k !== 'achieved'),
  ];
  return keys
    .filter((k) => fields[k] !== undefined)
    .map((k) => {
      const label = REPORT_FIELD_LABELS[k] ?? { zh: k, en: k };
      const extra = kind === 'forum-statistics' ? promised(k, form) : '';
      return row(label.zh, label.en, `${reportFieldValue(k, fields[k])}${extra}`);
    })
    .join('');
}

/** The report's own fields, readably for its kind. */
export function reportFieldsSection(report: ReportReviewView, form: ApplicationForm | undefined, call: Call): string {
  const { obligation } = report;
  const rows = reportFieldRows(report, form);
  const name = reportName(obligation.report);
  return [
    '<section>',
    `<h2>${biBlock(`报告内容：${name.zh}`, `The report: ${name.en}`)}</h2>`,
    rows ? `<dl class="kv">${rows}</dl>` : para('报告没有填写内容。', 'The report has no fields.'),
    // The per-target account is the report form's (the department's assumption), not the notice's: said so beside it.
    obligation.report === 'summary'
      ? `<h2>${biBlock('绩效目标完成情况', 'The targets and what was achieved')}</h2><p class="hint">${b(call.summaryReport.assumptions)}</p>${achievedTable(obligation, submittedFields(report.submission))}`
      : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}
