/** A report under review: what was owed and when, what it says, and its files. */
import type { ApplicationForm } from '@shared/domain/application-form';
import type { Call } from '@shared/domain/catalogue';
import { b, bi, biBlock, esc, para, row } from './frame';
import { dayText, instantStringText, sizeText } from './format';
import { reportFieldsSection, reportName } from './report-fields';
import type { ReportReviewView } from './views';

const FILE_TYPES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

/** A link that is not http(s) is not made one: a stored URL must not become a script link. */
function downloadItem(d: ReportReviewView['downloads'][number]): string {
  const type = FILE_TYPES[String(d.contentType).toLowerCase()] ?? d.contentType;
  const meta = `<span class="hint">${esc(type)} · ${esc(sizeText(d.size))}</span>`;
  const safe = typeof d.url === 'string' && /^https?:\/\//i.test(d.url);
  return `<li>${safe ? `<a href="${esc(d.url)}" download="${esc(d.fileName)}" rel="noopener noreferrer">${esc(d.fileName)}</a>` : esc(d.fileName)} ${meta}</li>`;
}

/** The report's files, each a download link (name, type, size). */
function filesSection(report: ReportReviewView): string {
  const items = report.downloads.map(downloadItem);
  return [
    '<section>',
    `<h2>${biBlock(`附件（${items.length} 个）`, `Files (${items.length})`)}</h2>`,
    items.length ? `<ul>${items.join('')}</ul>` : `<p class="bad">${biBlock('没有附件。', 'No files.')}</p>`,
    items.length
      ? `<p class="hint">${biBlock('下载链接有效期有限；如已失效，请重新打开本页。', 'The download links expire after a while; if one no longer works, open this page again.')}</p>`
      : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function dueText(obligation: ReportReviewView['obligation']): string {
  if (obligation.dueOn) return dayText(obligation.dueOn);
  return obligation.dueAt ? instantStringText(obligation.dueAt) : bi('未设定', 'not set');
}

/** The obligation: what was owed, by when, and this submission (its version, when, on time or not). */
function obligationSection(report: ReportReviewView): string {
  const { obligation, submission } = report;
  const name = reportName(obligation.report);
  const dueAt = obligation.dueAt ? Date.parse(obligation.dueAt) : Number.NaN;
  const submittedAt = Date.parse(submission.submittedAt);
  const late = Number.isFinite(dueAt) && Number.isFinite(submittedAt) && submittedAt > dueAt;
  const previous =
    obligation.review?.answer === 'return' && submission.version > 1 ? (obligation.review.reasons ?? []) : [];
  const lateBadge = late ? ` <span class="badge">${bi('逾期提交', 'Late')}</span>` : '';
  return [
    `<section${late ? ' class="warn"' : ''}>`,
    `<h2>${biBlock(name.zh, name.en)}</h2>`,
    `<p>${b(obligation.text)}</p>`,
    '<dl class="kv">',
    row('截止日期', 'Due', dueText(obligation)),
    row('提交时间', 'Handed in', `${instantStringText(submission.submittedAt)}${lateBadge}`),
    row('提交次数', 'Version', esc(submission.version)),
    previous.length
      ? row(
          '上次退回意见',
          'Returned last time because',
          `<ol>${previous.map((r) => `<li>${esc(r)}</li>`).join('')}</ol>`,
        )
      : '',
    '</dl>',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

export function reportSections(call: Call, report: ReportReviewView | undefined, form?: ApplicationForm): string {
  if (!report)
    return [
      '<section class="warn">',
      para(
        '无法读取所提交的报告，请稍后重新打开本页。',
        'The report handed in could not be read; open this page again later.',
      ),
      '</section>',
    ].join('\n');
  return [obligationSection(report), reportFieldsSection(report, form, call), filesSection(report)].join('\n');
}
