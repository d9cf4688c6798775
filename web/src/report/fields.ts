import type { ReportKind } from '@shared/domain/catalogue/project-type';
import type { Bilingual } from '../i18n';
import type { ObligationView } from '../types';

type FieldKind = 'date' | 'count' | 'text' | 'textarea' | 'lines';
export interface FieldSpec {
  key: string;
  label: Bilingual;
  kind: FieldKind;
  optional?: boolean;
  hint?: Bilingual;
}

/**
 * How each report's fields are shown and typed. What each field must hold is the domain's
 * (obligations/report-fields.ts, through readReport): checked here as the API checks it.
 */
export const FIELDS: { readonly [K in ReportKind]: readonly FieldSpec[] } = {
  'forum-statistics': [
    { key: 'startDate', label: { zh: '论坛开始日期', en: 'Forum start date' }, kind: 'date' },
    { key: 'endDate', label: { zh: '论坛结束日期', en: 'Forum end date' }, kind: 'date' },
    { key: 'offlineAttendance', label: { zh: '线下参会人数', en: 'Attendance in person' }, kind: 'count' },
    { key: 'onlineAttendance', label: { zh: '线上参会人数', en: 'Attendance online' }, kind: 'count' },
    { key: 'speakers', label: { zh: '报告嘉宾人数', en: 'Speakers' }, kind: 'count' },
    { key: 'papers', label: { zh: '征集论文数', en: 'Papers received' }, kind: 'count' },
    { key: 'mediaReports', label: { zh: '媒体报道数', en: 'Media reports' }, kind: 'count' },
    { key: 'notes', label: { zh: '备注（选填）', en: 'Notes (optional)' }, kind: 'textarea', optional: true },
  ],
  'development-report': [
    { key: 'reportTitle', label: { zh: '报告题目', en: 'Title of the report' }, kind: 'text' },
    { key: 'summary', label: { zh: '报告摘要', en: 'Summary' }, kind: 'textarea' },
    {
      key: 'recommendations',
      label: { zh: '建议（每行一条）', en: 'Recommendations (one a line)' },
      kind: 'lines',
    },
  ],
  'communication-data-report': [
    { key: 'reach', label: { zh: '传播覆盖人数', en: 'People reached' }, kind: 'count' },
    { key: 'views', label: { zh: '浏览量', en: 'Views' }, kind: 'count' },
    { key: 'articles', label: { zh: '发布稿件数', en: 'Articles published' }, kind: 'count' },
    { key: 'summary', label: { zh: '分析摘要', en: 'Summary of the analysis' }, kind: 'textarea' },
  ],
  duty: [
    {
      key: 'statement',
      label: { zh: '履行情况说明', en: 'How the duty was carried out' },
      kind: 'textarea',
      hint: { zh: '签章的说明请作为PDF附件上传。', en: 'Upload the signed statement as the PDF.' },
    },
  ],
  summary: [{ key: 'summary', label: { zh: '项目总结', en: 'Summary of the project' }, kind: 'textarea' }],
};

/** What was typed, by field key; what was achieved against a target under `achieved:<its path>`. */
export type Values = Record<string, string>;

export const achievedKey = (target: { path: string }) => `achieved:${target.path}`;

/** A count as typed; left as text when it is none, so the schema names the problem. */
const countValue = (raw: string) => {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
};

/** The report's `fields` from what was typed (an empty field is left out: the schema says it is required). */
export function fieldsOf(
  kind: ReportKind,
  values: Values,
  targets: ObligationView['targets'],
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const spec of FIELDS[kind]) {
    const raw = values[spec.key] ?? '';
    if (spec.kind === 'lines') {
      const lines = raw
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      if (lines.length) fields[spec.key] = lines;
    } else if (raw.trim() !== '') fields[spec.key] = spec.kind === 'count' ? countValue(raw) : raw;
  }
  if (kind === 'summary')
    fields.achieved = (targets ?? []).map((target) => ({
      path: target.path,
      achieved: values[achievedKey(target)] ?? '',
    }));
  return fields;
}
