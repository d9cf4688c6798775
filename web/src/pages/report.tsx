import type { ReportKind } from '@shared/domain/catalogue/project-type';
import type { ObligationState } from '@shared/domain/obligations/records';
import { readReport } from '@shared/domain/obligations/report-fields';
import { ATTACHMENT_RULES } from '@shared/domain/obligations/report-files';
import { reportNameOf } from '@shared/domain/email-texts/report-terms';
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, type FieldDetail } from '../api';
import { appPath } from '../config';
import { problemFromDetail, type Problem } from '../form/checks';
import { instantText, useText, type Bilingual, type Lang } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Link } from '../router';
import type { ApplicationView, ObligationView, UploadGrant } from '../types';

/** Where an obligation stands, in words (every state has them, or this does not compile). */
export const OBLIGATION_STATE_WORDS: { readonly [S in ObligationState]: Bilingual } = {
  AWAITING_DATE: { zh: '截止日期待定', en: 'Due date not yet set' },
  OPEN: { zh: '待提交', en: 'To hand in' },
  SUBMITTED: { zh: '已提交，待省科协审核', en: 'Handed in, with the association for review' },
  RETURNED: { zh: '退回修改，请重新提交', en: 'Returned: correct it and hand it in again' },
  ACCEPTED: { zh: '已通过审核', en: 'Accepted' },
};

/** The route segment a report is handed in at: its kind, or a duty's statement at the duty's id. */
export const reportPath = (o: Pick<ObligationView, 'kind' | 'obligationId'>) =>
  o.kind === 'duty' || !o.kind ? o.obligationId : o.kind;

export const reportName = (o: Pick<ObligationView, 'kind'>) =>
  reportNameOf({ report: (o.kind ?? 'duty') as ReportKind });

/** A due date as a person reads it: the instant in Beijing time, or that it is still to be set. */
export function dueText(o: Pick<ObligationView, 'dueAt'>, lang: Lang): string {
  if (!o.dueAt) return lang === 'en' ? 'to be set (the association will announce it)' : '待定（省科协通知后确定）';
  return lang === 'en' ? `${instantText(o.dueAt, lang)} (Beijing time)` : `${instantText(o.dueAt, lang)}（北京时间）`;
}

type FieldKind = 'date' | 'count' | 'text' | 'textarea' | 'lines';
interface FieldSpec {
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
const FIELDS: { readonly [K in ReportKind]: readonly FieldSpec[] } = {
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

type Values = Record<string, string>;

/** A count as typed; left as text when it is none, so the schema names the problem. */
const countValue = (raw: string) => {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
};

/** The report's `fields` from what was typed (an empty field is left out: the schema says it is required). */
function fieldsOf(kind: ReportKind, values: Values, targets: ObligationView['targets']): Record<string, unknown> {
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
      achieved: values[`achieved:${target.path}`] ?? '',
    }));
  return fields;
}

interface Upload {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  loaded: number;
  state: 'asking' | 'uploading' | 'done' | 'failed';
  key?: string;
  problem?: Bilingual;
}

const TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
const contentTypeOf = (file: File) =>
  file.type || TYPE_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || 'application/octet-stream';

/** PUTs the bytes to the presigned URL, reporting progress; resolves on S3's 200. */
function putFile(file: File, grant: UploadGrant, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(grant.upload.method || 'PUT', grant.upload.url);
    // The browser sets Content-Length itself (a script may not); Content-Type is signed, so it is sent as given.
    for (const [name, value] of Object.entries(grant.upload.headers))
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
}

/** Where this device keeps what was typed in a report handed in (to correct it if returned). */
const savedKey = (applicationId: string, o: ObligationView) => `gdast.report.${applicationId}.${o.obligationId}`;

async function load(applicationId: string, report: string) {
  const [app, { obligations }] = await Promise.all([
    api<ApplicationView>('GET', `/applications/${applicationId}`),
    api<{ obligations: ObligationView[] }>('GET', '/units/me/obligations'),
  ]);
  const obligation = obligations.find((o) => o.applicationId === applicationId && reportPath(o) === report);
  if (!obligation) throw new ApiError(404, 'NOT_FOUND', `No report ${report} is owed by this application`);
  // Accepted: what was typed for a resubmission is no longer needed on this device.
  if (obligation.state === 'ACCEPTED') localStorage.removeItem(savedKey(applicationId, obligation));
  return { app, obligation };
}

/** One report of an awarded project: what it asks, where it stands, the reviewer's reasons, and the form to hand it in. */
export function ReportPage({ applicationId, report }: { applicationId: string; report: string }) {
  const { t, b, lang } = useText();
  const loaded = useLoad(() => load(applicationId, report), [applicationId, report]);
  const [sent, setSent] = useState(false);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { app, obligation } = loaded.data;
  const open = obligation.state === 'OPEN' || obligation.state === 'AWAITING_DATE' || obligation.state === 'RETURNED';
  const reasons = obligation.review?.answer === 'return' ? (obligation.review.reasons ?? []) : [];
  return (
    <>
      <p class="hint">
        <Link href={appPath(`applications/${applicationId}`)}>{String(app.form.title ?? applicationId)}</Link>
      </p>
      <h1>{b(reportName(obligation))}</h1>
      <p>{b(obligation.text)}</p>
      <dl class="facts">
        <dt>{t('截止时间', 'Due')}</dt>
        <dd>{dueText(obligation, lang)}</dd>
        <dt>{t('状态', 'State')}</dt>
        <dd>
          <span class="report-state" role="status">
            {b(OBLIGATION_STATE_WORDS[obligation.state])}
          </span>
        </dd>
        {(obligation.submissions ?? 0) > 0 && [
          <dt key="n">{t('已提交次数', 'Times handed in')}</dt>,
          <dd key="nd">{obligation.submissions}</dd>,
        ]}
      </dl>
      {sent && obligation.state === 'SUBMITTED' && (
        <p class="card">
          {t(
            '报告已提交，省科协审核后将以邮件通知。',
            'The report was handed in; the association will email you its review.',
          )}
        </p>
      )}
      {reasons.length > 0 && (
        <section class="card" aria-labelledby="review-reasons">
          <h2 id="review-reasons">{t('退回意见', "The reviewer's reasons")}</h2>
          <ul>
            {reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
          {obligation.review && (
            <p class="hint">
              {t('退回时间：', 'Returned on ')}
              {instantText(obligation.review.at, lang)}
            </p>
          )}
        </section>
      )}
      {obligation.state === 'ACCEPTED' && obligation.review && (
        <p class="card">
          {t('省科协已于', 'The association accepted it on ')}
          {instantText(obligation.review.at, lang)}
          {t('审核通过此报告。', '.')}
        </p>
      )}
      {open && app.status === 'AWARDED' && (
        <ReportForm
          key={`${obligation.obligationId}-${obligation.submissions ?? 0}`}
          applicationId={applicationId}
          obligation={obligation}
          onSent={() => {
            setSent(true);
            loaded.reload();
          }}
        />
      )}
    </>
  );
}

/** What was typed the last time this report was handed in (to correct a returned one without typing it again). */
function savedValues(applicationId: string, o: ObligationView): Values {
  try {
    return (JSON.parse(localStorage.getItem(savedKey(applicationId, o)) ?? '{}') as Values) ?? {};
  } catch {
    return {};
  }
}

function ReportForm(props: { applicationId: string; obligation: ObligationView; onSent: () => void }) {
  const { t, b } = useText();
  const { applicationId, obligation } = props;
  const kind = (obligation.kind ?? 'duty') as ReportKind;
  const specs = FIELDS[kind] ?? FIELDS.duty;
  const route = `/applications/${applicationId}/reports/${reportPath(obligation)}`;
  const [values, setValues] = useState<Values>(() => {
    const saved = savedValues(applicationId, obligation);
    for (const target of obligation.targets ?? [])
      if (target.achieved !== undefined && saved[`achieved:${target.path}`] === undefined)
        saved[`achieved:${target.path}`] = target.achieved;
    return saved;
  });
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [apiProblems, setApiProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<Error>();
  const [sending, setSending] = useState(false);
  /** set at once on the first click, so a double click hands the report in once */
  const inFlight = useRef(false);

  const fields = fieldsOf(kind, values, obligation.targets);
  const done = uploads.filter((u) => u.state === 'done');
  const checked = readReport(
    { report: kind, targets: obligation.targets ?? [] },
    { fields, attachments: done.map((u) => ({ key: u.key })) },
  );
  const problems: Problem[] = [...(checked.ok ? [] : checked.details.map(reportProblem))];
  if (done.length && !done.some((u) => u.contentType === 'application/pdf'))
    problems.push({
      path: 'attachments',
      text: { zh: '须上传签章的报告PDF', en: 'attach the signed report as a PDF' },
    });
  const all = [...apiProblems, ...problems.filter((p) => !apiProblems.some((a) => a.path === p.path))];
  const shown = (path: string) =>
    all.filter(
      (p) =>
        (p.path === path || p.path.startsWith(`${path}.`)) && (showAll || touched.has(path) || apiProblems.includes(p)),
    );

  const set = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setApiProblems((ps) => ps.filter((p) => !(p.path === `fields.${key}` || p.path.startsWith(`fields.${key}.`))));
  };
  const touch = (path: string) => setTouched((s) => new Set([...s, path]));
  const patch = (id: string, change: Partial<Upload>) =>
    setUploads((us) => us.map((u) => (u.id === id ? { ...u, ...change } : u)));

  const upload = async (file: File) => {
    const id = crypto.randomUUID();
    const entry: Upload = {
      id,
      fileName: file.name,
      contentType: contentTypeOf(file),
      size: file.size,
      loaded: 0,
      state: 'asking',
    };
    setUploads((us) => [...us, entry]);
    setApiProblems((ps) => ps.filter((p) => !p.path.startsWith('attachments')));
    try {
      const grant = await api<UploadGrant>('POST', `${route}/attachments`, {
        body: { fileName: file.name, contentType: entry.contentType, size: file.size },
      });
      patch(id, { state: 'uploading' });
      await putFile(file, grant, (loaded) => patch(id, { loaded }));
      patch(id, { state: 'done', loaded: file.size, key: grant.key });
    } catch (e) {
      const details = e instanceof ApiError ? e.details : [];
      const text = details.length
        ? { zh: details.map((d) => uploadWords(d.code)).join('；'), en: details.map((d) => d.message).join('; ') }
        : { zh: `上传失败：${(e as Error).message}`, en: `The upload failed: ${(e as Error).message}` };
      patch(id, { state: 'failed', problem: text });
    }
  };

  const submit = async () => {
    setShowAll(true);
    setError(undefined);
    if (inFlight.current || problems.length || uploads.some((u) => u.state === 'asking' || u.state === 'uploading'))
      return;
    inFlight.current = true;
    setSending(true);
    try {
      await api('POST', route, { body: { fields, attachments: done.map((u) => ({ key: u.key })) } });
      localStorage.setItem(savedKey(applicationId, obligation), JSON.stringify(values));
      props.onSent();
    } catch (e) {
      const details = e instanceof ApiError ? e.details : [];
      setApiProblems(details.map(reportProblem));
      setError(e as Error);
      setSending(false);
      inFlight.current = false;
    }
  };

  const fileProblems = shown('attachments');
  const unplaced = apiProblems.filter((p) => !p.path.startsWith('fields.') && !p.path.startsWith('attachments'));
  const count = all.filter((p) => showAll || touched.has(p.path) || apiProblems.includes(p)).length;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} noValidate aria-labelledby="hand-in">
      <h2 id="hand-in">
        {obligation.state === 'RETURNED' ? t('修改后重新提交', 'Correct and hand in again') : t('提交报告', 'Hand in')}
      </h2>
      {showAll && count > 0 && (
        <p role="alert" class="error-note">
          {t(`报告有${count}处需要修改，见各项下方说明。`, `The report has ${count} problem(s): see under each field.`)}
          {unplaced.map((p, i) => (
            <span key={i}> {b(p.text)}</span>
          ))}
        </p>
      )}
      {error && !(error instanceof ApiError && error.details.length) && <ErrorNote error={error} />}
      {specs.map((spec) => (
        <Field
          key={spec.key}
          spec={spec}
          value={values[spec.key] ?? ''}
          onChange={(v) => set(spec.key, v)}
          onBlur={() => touch(`fields.${spec.key}`)}
          problems={shown(`fields.${spec.key}`)}
        />
      ))}
      {kind === 'summary' && (
        <fieldset class="table-field">
          <legend>{t('绩效目标完成情况', 'What was achieved against each performance target')}</legend>
          {(obligation.targets ?? []).map((target, i) => {
            const id = `r-achieved-${i}`;
            const own = shown(`fields.achieved.${i}`);
            return (
              <div class="field" key={target.path}>
                <label for={id}>
                  {target.indicator}
                  {t('（目标：', ' (target: ')}
                  {target.target}
                  {t('）', ')')}
                </label>
                <input
                  id={id}
                  type="text"
                  value={values[`achieved:${target.path}`] ?? ''}
                  onInput={(e) => set(`achieved:${target.path}`, (e.target as HTMLInputElement).value)}
                  onBlur={() => touch(`fields.achieved.${i}`)}
                  aria-invalid={own.length ? 'true' : undefined}
                  aria-describedby={own.length ? `${id}-problems` : undefined}
                />
                <Problems id={`${id}-problems`} problems={own} />
              </div>
            );
          })}
          <Problems
            id="r-achieved-problems"
            problems={shown('fields.achieved').filter((p) => p.path === 'fields.achieved')}
          />
        </fieldset>
      )}
      <div class="field">
        <label for="r-files">
          {t(
            '附件：签章的报告PDF（必传），可附照片（JPEG、PNG）',
            'Files: the signed report as a PDF (required); photos (JPEG, PNG) may follow',
          )}
        </label>
        <p class="hint" id="r-files-rules">
          {t(
            `每个文件不超过${ATTACHMENT_RULES.maxBytes / 1024 / 1024}MB，最多${ATTACHMENT_RULES.maxFiles}个。`,
            `Each file up to ${ATTACHMENT_RULES.maxBytes / 1024 / 1024} MB, at most ${ATTACHMENT_RULES.maxFiles}.`,
          )}
        </p>
        <input
          id="r-files"
          type="file"
          multiple
          accept={[...ATTACHMENT_RULES.contentTypes, '.pdf', '.jpg', '.jpeg', '.png'].join(',')}
          aria-describedby={['r-files-rules', fileProblems.length ? 'r-files-problems' : ''].filter(Boolean).join(' ')}
          aria-invalid={fileProblems.length ? 'true' : undefined}
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            for (const file of Array.from(input.files ?? [])) void upload(file);
            input.value = '';
          }}
        />
        <Problems id="r-files-problems" problems={fileProblems} />
      </div>
      {uploads.length > 0 && (
        <ul class="uploads" aria-label={t('已选择的文件', 'Files chosen')}>
          {uploads.map((u) => (
            <li key={u.id}>
              <label for={`up-${u.id}`}>
                {t('上传进度：', 'Upload progress: ')}
                {u.fileName}
              </label>
              <progress id={`up-${u.id}`} max={u.size || 1} value={u.loaded} />
              <span class={u.state === 'failed' ? 'upload-state failed' : 'upload-state'} aria-live="polite">
                {u.state === 'done'
                  ? t('已上传', 'uploaded')
                  : u.state === 'failed'
                    ? b(u.problem)
                    : t(
                        `上传中 ${Math.round((100 * u.loaded) / (u.size || 1))}%`,
                        `uploading ${Math.round((100 * u.loaded) / (u.size || 1))}%`,
                      )}
              </span>
              {u.state !== 'asking' && u.state !== 'uploading' && (
                <button
                  type="button"
                  class="link"
                  onClick={() => setUploads((us) => us.filter((x) => x.id !== u.id))}
                  aria-label={t(`移除 ${u.fileName}`, `Remove ${u.fileName}`)}
                >
                  {t('移除', 'Remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="submit" disabled={sending}>
          {obligation.state === 'RETURNED' ? t('重新提交报告', 'Hand in again') : t('提交报告', 'Hand in the report')}
        </button>
      </div>
      <p class="hint">
        {t(
          '提交后由省科协工作人员审核，结果以邮件通知。',
          'Association staff review it once handed in, and email you the result.',
        )}
      </p>
    </form>
  );
}

/** A report's own codes in words (the schema's shared ones as the application form says them). */
const REPORT_CODE_WORDS: Record<string, string> = {
  PDF_REQUIRED: '须上传签章的报告PDF',
  NOT_UPLOADED: '文件未上传成功或上传已过期，请重新上传',
  UNSUPPORTED_TYPE: '文件类型不支持：请上传PDF、JPEG或PNG',
  TARGET_MISSING: '请填写每项绩效目标的完成情况',
  UNKNOWN_TARGET: '不是本项目的绩效目标',
};

function reportProblem(detail: FieldDetail): Problem {
  if (detail.path === 'attachments' && detail.code === 'REQUIRED')
    return { path: detail.path, text: { zh: '须上传签章的报告PDF', en: detail.message } };
  if (detail.code === 'INVALID_VALUE' && /Date$/.test(detail.path))
    return { path: detail.path, text: { zh: '请填写有效日期（年-月-日）', en: detail.message } };
  const zh = REPORT_CODE_WORDS[detail.code];
  return zh ? { path: detail.path, text: { zh, en: detail.message } } : problemFromDetail(detail);
}

/** An upload refused before any URL was signed, in words. */
function uploadWords(code: string): string {
  if (code === 'UNSUPPORTED_TYPE') return '文件类型不支持：请上传PDF、JPEG或PNG';
  if (code === 'TOO_LARGE') return `文件过大：每个文件不超过${ATTACHMENT_RULES.maxBytes / 1024 / 1024}MB`;
  if (code === 'TOO_LONG') return '文件名过长，请改短后再上传';
  if (code === 'INVALID_VALUE') return '文件名不能含有/、\\、“..”或控制字符';
  return '文件无法上传';
}

function Field(props: {
  spec: FieldSpec;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  problems: readonly Problem[];
}) {
  const { b } = useText();
  const { spec, problems } = props;
  const id = `r-${spec.key}`;
  const describedBy = [spec.hint ? `${id}-hint` : '', problems.length ? `${id}-problems` : ''].filter(Boolean);
  const common = {
    id,
    name: spec.key,
    value: props.value,
    onBlur: props.onBlur,
    'aria-invalid': problems.length ? ('true' as const) : undefined,
    'aria-describedby': describedBy.length ? describedBy.join(' ') : undefined,
    onInput: (e: Event) => props.onChange((e.target as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{b(spec.label)}</label>
      {spec.hint && (
        <p class="hint" id={`${id}-hint`}>
          {b(spec.hint)}
        </p>
      )}
      {spec.kind === 'textarea' || spec.kind === 'lines' ? (
        <textarea {...common} rows={spec.kind === 'lines' ? 4 : 6} />
      ) : spec.kind === 'count' ? (
        <input {...common} type="number" inputMode="numeric" step={1} min={0} />
      ) : (
        <input {...common} type={spec.kind === 'date' ? 'date' : 'text'} />
      )}
      <Problems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

function Problems({ id, problems }: { id: string; problems: readonly Problem[] }) {
  const { b } = useText();
  if (!problems.length) return null;
  return (
    <ul class="problems" id={id}>
      {problems.map((p, i) => (
        <li key={i}>{b(p.text)}</li>
      ))}
    </ul>
  );
}
