/**
 * The task pages (the task-link contract in DESIGN.md): server-rendered HTML for a staff member who
 * opens a task link from an email, usually on a phone. Every page is a whole document, Chinese
 * first with English under or beside it, readable without JavaScript, one column with large tap
 * targets. Every dynamic value goes through `escapeHtml`, and only through it.
 *
 * Pure functions: the caller reads the task, the application and the call and passes them in.
 */
import type { ApplicationForm, Indicator, Person } from './application-form';
import { type Bilingual, type Call, type ProjectType, fundingAllows } from './catalogue';
import { beijingDateTimeEn, beijingDateTimeZh, isoDateEn, isoDateZh } from './beijing-dates';
import { AWARD_AMOUNT_RULE, prioritiesByRanking, type RankedEntry, type TypeRanking } from './award-ranking';
import { PERFORMANCE_TARGET_GROUPS } from './formal-check';
import { SCORE_FIELD_PREFIX, TARGET_FIELD_PREFIX, TARGET_FINDINGS } from './link-tasks';
import {
  COMMENT_MAX_CHARS,
  SCORE_STEPS_PER_POINT,
  type ScoringCriterion,
  type ScoringForm,
  displayScore,
} from './scoring';
import type { ObligationRecord, ReportSubmission, TargetOutcome } from './obligations';
import { LINK_TASK_ANSWERS, type LinkTaskAnswer, type LinkTaskKind, type TaskAnswer, isLinkTaskKind } from './task';

export type TaskPageState = 'OPEN' | 'DONE' | 'EXPIRED' | 'CANCELLED' | 'CLOSING';

export interface TaskPageView {
  taskId: string;
  kind: LinkTaskKind;
  state: TaskPageState;
  dueAt: Date;
  /** until when an answer is taken (paper copy: the paper deadline plus the grace period) */
  answerableUntil?: Date;
  /** the task link itself: the form POSTs to it (application/x-www-form-urlencoded) */
  postUrl: string;
  assignee: { name: string };
  application: {
    applicationId: string;
    title: string;
    unitName: string;
    typeName: Bilingual;
    requestedCny: number;
    /** Beijing ISO instant */
    submittedAt: string;
    form: ApplicationForm;
    /** the automatic formal check's findings, if any */
    formalCheckReasons?: { text: Bilingual }[];
  };
  type: ProjectType;
  call: Call;
  /** the answer, once given */
  answer?: TaskAnswer;
  /** report-review: the report handed in, with links to download its files */
  report?: ReportReviewView;
}

/** A report under review, as its page shows it. */
export interface ReportReviewView {
  obligation: ObligationRecord;
  submission: ReportSubmission;
  downloads: { fileName: string; contentType: string; size: number; url: string }[];
}

/** The award proposal of a whole call, as the department head confirms it (an award-confirmation task). */
export interface AwardProposalView {
  taskId: string;
  state: TaskPageState;
  dueAt: Date;
  /** the task link itself: the form POSTs to it (application/x-www-form-urlencoded) */
  postUrl: string;
  assignee: { name: string };
  call: Call;
  /** the proposal's version (a revised proposal is a new version) */
  version: number;
  /** Beijing ISO instant */
  proposedAt: string;
  /**
   * per project type: its ranking down past the cut (the awarded and the next ones; `ranked` counts
   * them all), its name, and the names of the units shown (by unit id)
   */
  types: Array<TypeRanking & { ranked: number; typeName: Bilingual; unitNames: Record<string, string> }>;
  /** the answer, once given */
  answer?: TaskAnswer;
}

export type LinkProblemCode = 'LINK_INVALID' | 'LINK_EXPIRED' | 'ALREADY_DONE' | 'NOT_FOUND' | 'VALIDATION_FAILED';

export interface StaffTaskListItem {
  taskId: string;
  kind: LinkTaskKind;
  title: string;
  unitName: string;
  dueAt: Date;
  link: string;
  overdue: boolean;
}

// ---------------------------------------------------------------------------------------------
// Escaping and small building blocks

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and for double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const esc = escapeHtml;

/** Chinese, with the English beside it (inline). */
const bi = (zh: string, en: string) => `${esc(zh)} <span class="en" lang="en">${esc(en)}</span>`;
/** Chinese, with the English under it. */
const biBlock = (zh: string, en: string) => `${esc(zh)}<span class="en block" lang="en">${esc(en)}</span>`;
const para = (zh: string, en: string, cls = '') => `<p${cls ? ` class="${cls}"` : ''}>${biBlock(zh, en)}</p>`;
const b = (text: Bilingual) => bi(text.zh, text.en);

/**
 * One entry for every link-task kind: a kind added to LINK_TASK_ANSWERS does not compile until each
 * of these tables (title, answer labels, what to check, form) says what its page shows.
 */
export type ForEachLinkTaskKind<T> = { readonly [K in LinkTaskKind]: T };
/** A label for every answer of every link-task kind. */
export type AnswerLabels = { readonly [K in LinkTaskKind]: { readonly [A in LinkTaskAnswer<K>]: Bilingual } };

const KIND_TITLES: ForEachLinkTaskKind<Bilingual> = {
  'formal-review': { zh: '形式审查确认', en: 'Formal review' },
  'paper-copy': { zh: '纸质申请书签收', en: 'Paper copy received' },
  'target-review': { zh: '绩效目标审核', en: 'Performance-target review' },
  'expert-review': { zh: '专家评审', en: 'Expert review' },
  'award-confirmation': { zh: '立项建议确认', en: 'Award confirmation' },
  'report-review': { zh: '报告审核', en: 'Report review' },
};

const ANSWER_LABELS: AnswerLabels = {
  'formal-review': {
    pass: { zh: '通过', en: 'Pass' },
    return: { zh: '退回修改', en: 'Return for correction' },
    reject: { zh: '不予受理', en: 'Reject' },
  },
  'paper-copy': { received: { zh: '已收到', en: 'Received' } },
  'target-review': {
    pass: { zh: '通过', en: 'Pass' },
    fail: { zh: '不通过', en: 'Fail' },
  },
  'expert-review': {
    score: { zh: '已评分', en: 'Scored' },
    conflict: { zh: '存在利益冲突，回避', en: 'Conflict of interest: recused' },
    decline: { zh: '不参加评审', en: 'Declined' },
  },
  'award-confirmation': {
    confirm: { zh: '确认立项建议', en: 'Confirm the proposal' },
    revise: { zh: '退回修改', en: 'Send back for revision' },
  },
  'report-review': {
    accept: { zh: '通过', en: 'Accept' },
    return: { zh: '退回修改', en: 'Return for changes' },
  },
};

// Looked up by a stored string, which may name a kind or an answer this code does not know: shown as it is.
const kindTitle = (kind: string): Bilingual => KIND_TITLES[kind as LinkTaskKind] ?? { zh: kind, en: kind };
const answerLabel = (kind: string, answer: string): Bilingual =>
  (ANSWER_LABELS[kind as LinkTaskKind] as Readonly<Record<string, Bilingual>> | undefined)?.[answer] ?? {
    zh: answer,
    en: answer,
  };

// ---------------------------------------------------------------------------------------------
// Dates (Beijing time) and money

const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** An instant, the Chinese way ("2023年9月28日 17时", an end of day "24时") then the English way, Beijing time. */
function instantText(instant: Date): string {
  if (!isValidDate(instant)) return '—';
  return bi(`${beijingDateTimeZh(instant)}（北京时间）`, `${beijingDateTimeEn(instant)} (Beijing time)`);
}

/** An instant written as a string (an ISO instant); shown as given when it cannot be read. */
function instantStringText(value: string | undefined): string {
  if (!value) return '—';
  const t = Date.parse(value);
  return Number.isNaN(t) ? esc(value) : instantText(new Date(t));
}

const ISO_DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date "YYYY-MM-DD": "2024年3月1日 1 March 2024"; shown as given when it is not one. */
function dayText(value: string | undefined): string {
  const m = value ? ISO_DAY_RE.exec(value) : null;
  if (!value || !m) return value ? esc(value) : '—';
  const month = Number(m[2]);
  if (month < 1 || month > 12) return esc(value);
  return bi(isoDateZh(value), isoDateEn(value));
}

const groupThousands = (n: number) => {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
};

/** 万元 with at most 4 decimals (whole yuan), trailing zeros dropped. */
const wan = (cny: number) => {
  const w = cny / 10000;
  return Number.isInteger(w) ? String(w) : w.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
};

/** "10 万元（100,000 元）" beside "CNY 100,000". */
function moneyText(cny: number): string {
  if (typeof cny !== 'number' || !Number.isFinite(cny)) return '—';
  return bi(`${wan(cny)} 万元（${groupThousands(cny)} 元）`, `CNY ${groupThousands(cny)}`);
}

function fundingText(type: ProjectType): string {
  const f = type.funding;
  return f.kind === 'fixed'
    ? bi(
        `每项 ${wan(f.amountCny)} 万元（申请额不超过此数）`,
        `CNY ${groupThousands(f.amountCny)} per award (requests up to this amount)`,
      )
    : bi(
        `每项 ${wan(f.minCny)}–${wan(f.maxCny)} 万元`,
        `CNY ${groupThousands(f.minCny)}–${groupThousands(f.maxCny)} per award`,
      );
}

// ---------------------------------------------------------------------------------------------
// The document

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1b1b1b;font:17px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;-webkit-text-size-adjust:100%}
main{max-width:42rem;margin:0 auto;padding:.75rem}
header{padding:.25rem .25rem .5rem;color:#444;font-size:.9rem}
section{background:#fff;border:1px solid #dadde2;border-radius:10px;padding:1rem;margin:0 0 .9rem}
h1{font-size:1.35rem;line-height:1.35;margin:.25rem 0 .5rem}
h2{font-size:1.1rem;line-height:1.35;margin:0 0 .6rem}
p{margin:.4rem 0}
.en{color:#5a5f66;font-size:.9em}
.block{display:block}
dl.kv{margin:0}
dl.kv dt{font-weight:600;margin-top:.7rem}
dl.kv dt:first-child{margin-top:0}
dl.kv dd{margin:0;overflow-wrap:anywhere}
ul,ol{padding-left:1.3rem;margin:.4rem 0}
li{margin:.3rem 0}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .3rem;border-bottom:1px solid #e4e6ea;overflow-wrap:anywhere}
td.num{text-align:right;white-space:nowrap}
details{margin:.6rem 0}
summary{cursor:pointer;font-weight:600;min-height:44px;padding:.5rem 0}
.pre{white-space:pre-wrap;overflow-wrap:anywhere}
.due{font-weight:600;font-size:1.05rem}
.ok{border-left:5px solid #1e7b34}
.warn{border-left:5px solid #b3261e}
.info{border-left:5px solid #0b5cad}
.badge{display:inline-block;background:#b3261e;color:#fff;border-radius:4px;padding:0 .45rem;font-size:.85rem;font-weight:600}
.bad{color:#b3261e;font-weight:600}
fieldset{border:0;padding:0;margin:0 0 .5rem}
legend{font-weight:600;padding:0;margin-bottom:.25rem}
label.choice{display:flex;align-items:center;gap:.8rem;min-height:52px;padding:.6rem .9rem;margin:.55rem 0;border:1px solid #b9bfc7;border-radius:10px;background:#fff}
label.choice input{width:1.5rem;height:1.5rem;flex:none;margin:0}
label.field{display:block;font-weight:600;margin:.9rem 0 .3rem}
textarea,input[type=date],input[type=number]{display:block;width:100%;min-height:52px;padding:.6rem .7rem;font:inherit;border:1px solid #b9bfc7;border-radius:10px;background:#fff}
textarea{min-height:8rem}
button,a.button{display:block;width:100%;min-height:56px;margin:1rem 0 .25rem;padding:.8rem 1rem;font:inherit;font-size:1.1rem;font-weight:600;text-align:center;text-decoration:none;color:#fff;background:#0b5cad;border:0;border-radius:10px}
a.button .en{color:#e3ecf7}
button .en{color:#e3ecf7}
button.secondary{background:#5a5f66}
.hint{color:#444;font-size:.9rem;margin:.1rem 0 .4rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.scroll table{min-width:36rem}
tr.out td{color:#5a5f66}
.task{display:block}
.task.overdue{border-color:#b3261e;background:#fff6f5}
`;

function page(title: string, body: string, header = ''): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    // The page's address carries the link's signature: never sent to another site. Its own origin
    // still gets it, so the form's POST names the page's origin (no-referrer would send Origin: null).
    '<meta name="referrer" content="same-origin">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const callHeader = (call: Call) => `<header>${bi(call.issuer.zh, call.issuer.en)} · ${esc(call.documentNo)}</header>`;

const row = (zh: string, en: string, value: string) => `<dt>${bi(zh, en)}</dt><dd>${value}</dd>`;

// ---------------------------------------------------------------------------------------------
// The application

function personText(p: Person | undefined): string {
  if (!p) return '—';
  const tel = p.phone.replace(/[^0-9+]/g, '');
  return [
    `${esc(p.name)}（${esc(p.title)}）`,
    `<br><a href="tel:${esc(tel)}">${esc(p.phone)}</a>`,
    ` · <a href="mailto:${esc(p.email)}">${esc(p.email)}</a>`,
  ].join('');
}

/** A person by name and title only: for an expert, who judges the application and never needs to reach its people. */
const personNameText = (p: Person | undefined) => (p ? `${esc(p.name)}（${esc(p.title)}）` : '—');

const CO_ORGANISER_KINDS: Record<string, Bilingual> = {
  'national-society': { zh: '国家级学会', en: 'national society' },
  'city-association': { zh: '地市科协', en: 'city association' },
  'society-alliance': { zh: '学会联合体', en: 'society alliance' },
  'leading-enterprise': { zh: '领先企业', en: 'leading enterprise' },
  other: { zh: '其他', en: 'other' },
};

/** Labels of the type-specific details (the form kinds of application-form.ts); others show their key. */
const DETAIL_LABELS: Record<string, Bilingual> = {
  venueCity: { zh: '举办城市', en: 'Venue city' },
  days: { zh: '会期（天）', en: 'Days' },
  startDate: { zh: '举办日期', en: 'Start date' },
  offlineAttendance: { zh: '线下参会人数', en: 'Offline attendance' },
  onlineAttendance: { zh: '线上参会人数', en: 'Online attendance' },
  speakers: { zh: '报告专家', en: 'Expert speakers' },
  industryLinkCity: { zh: '结合产业发展的地市', en: 'City whose industry it serves' },
  mainForumExperts: { zh: '主论坛专家', en: 'Main-forum experts' },
  subForums: { zh: '分论坛', en: 'Sub-forums' },
  expertServiceGroups: { zh: '专家服务团', en: 'Expert service groups' },
  objective: { zh: '申报方向', en: 'Objective' },
  sessions: { zh: '沙龙场次', en: 'Sessions' },
  trainees: { zh: '参训人数', en: 'Trainees' },
  trips: { zh: '培训期数', en: 'Training trips' },
  destination: { zh: '培训地点', en: 'Destination' },
  lectures: { zh: '讲座场数', en: 'Lectures' },
  secretaryRecordedHours: { zh: '党支部书记录制时长（小时）', en: 'Hours recorded by party secretaries' },
  staffRecordedHours: { zh: '学会工作人员录制时长（小时）', en: 'Hours recorded by society staff' },
  bulletinIssues: { zh: '简报期数', en: 'Bulletin issues' },
  organisationsCovered: { zh: '覆盖党组织数', en: 'Party organisations covered' },
};

function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? bi('是', 'yes') : bi('否', 'no');
  if (typeof value === 'number') return esc(groupThousands(value));
  if (typeof value === 'string') return ISO_DAY_RE.test(value) ? dayText(value) : esc(value);
  if (value === null || value === undefined) return '—';
  return esc(JSON.stringify(value));
}

function detailValue(key: string, value: unknown, type: ProjectType): string {
  if (key === 'objective' && typeof value === 'string') {
    const objective = type.objectives?.find((o) => o.id === value);
    if (objective) return b(objective.text);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    const items = value.map((item) => {
      if (item !== null && typeof item === 'object') {
        return Object.values(item as Record<string, unknown>)
          .filter((v) => v !== undefined && v !== '')
          .map(scalarText)
          .join('，');
      }
      return scalarText(item);
    });
    return `<ol>${items.map((i) => `<li>${i}</li>`).join('')}</ol>`;
  }
  return scalarText(value);
}

function detailsRows(form: ApplicationForm, type: ProjectType): string {
  const details = form.details as unknown as Record<string, unknown> | undefined;
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details)
    .filter(([, v]) => v !== undefined)
    .map(([key, value]) => {
      const label = DETAIL_LABELS[key] ?? { zh: key, en: key };
      return row(label.zh, label.en, detailValue(key, value, type));
    })
    .join('');
}

function applicationSection(view: TaskPageView): string {
  const app = view.application;
  const form = app.form;
  const co = form.coOrganisers ?? [];
  // Staff contact the applicant's people; an expert sees who they are, not how to reach them.
  const person = view.kind === 'expert-review' ? personNameText : personText;
  const rows = [
    row('项目名称', 'Title', `<strong>${esc(app.title)}</strong>`),
    row('项目类型', 'Project type', `${b(app.typeName)}<br>${b(view.type.category.name)}`),
    row('申报单位', 'Applicant unit', esc(app.unitName)),
    row('申请经费', 'Amount requested', moneyText(app.requestedCny)),
    row('实施期间', 'Project period', `${dayText(form.startDate)} – ${dayText(form.endDate)}`),
    row('完成时限', 'Finish by', dayText(view.type.finishBy)),
    row('提交时间', 'Submitted', instantStringText(app.submittedAt)),
    row('申报编号', 'Application id', esc(app.applicationId)),
    row('项目负责人', 'Project lead', person(form.lead)),
    row('联系人', 'Contact', person(form.contact)),
    co.length
      ? row(
          '合作单位',
          'Co-organisers',
          `<ul>${co.map((c) => `<li>${esc(c.name)}（${b(CO_ORGANISER_KINDS[c.kind] ?? { zh: c.kind, en: c.kind })}）</li>`).join('')}</ul>`,
        )
      : '',
    form.discipline
      ? row(
          '学科领域',
          'Discipline',
          `${esc(form.discipline.field)}${form.discipline.basicScience ? `（${bi('基础学科', 'basic science')}）` : ''}`,
        )
      : '',
    detailsRows(form, view.type),
  ].join('');
  return [
    '<section>',
    `<h2>${biBlock('申报项目', 'The application')}</h2>`,
    `<dl class="kv">${rows}</dl>`,
    `<details><summary>${bi('项目简介', 'Summary')}</summary><div class="pre">${esc(form.summary)}</div></details>`,
    `<details><summary>${bi('实施方案', 'Implementation plan')}</summary><div class="pre">${esc(form.implementationPlan)}</div></details>`,
    '</section>',
  ].join('\n');
}

function requirementsList(type: ProjectType): string {
  if (type.requirements.length === 0) {
    return `${para('通知对本类型没有可逐项核对的量化要求，请对照类型目标审核：', 'The notice sets no checkable requirement for this type; review against its objective:')}<p>${b(type.objective)}</p>`;
  }
  return `<ul>${type.requirements.map((r) => `<li>${b(r.text)}</li>`).join('')}</ul>`;
}

function checklist(items: Array<[string, string]>): string {
  return `<ul>${items.map(([zh, en]) => `<li>${biBlock(zh, en)}</li>`).join('')}</ul>`;
}

function indicatorRows(indicators: readonly Indicator[]): string {
  return indicators
    .map(
      (i) =>
        `<tr><td>${esc(i.name)}</td><td class="num">${esc(typeof i.target === 'number' ? groupThousands(i.target) : i.target)}</td><td>${esc(i.unit)}</td></tr>`,
    )
    .join('');
}

function indicatorsAt(form: ApplicationForm, path: string): readonly Indicator[] {
  let cur: unknown = form;
  for (const seg of path.split('.')) {
    cur =
      cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg)
        ? (cur as Record<string, unknown>)[seg]
        : undefined;
  }
  return Array.isArray(cur) ? (cur as Indicator[]) : [];
}

function targetsSection(form: ApplicationForm): string {
  const groups = PERFORMANCE_TARGET_GROUPS.map((g) => {
    const list = indicatorsAt(form, g.path);
    const body = list.length
      ? indicatorRows(list)
      : `<tr><td colspan="3" class="bad">${bi('未填写', 'none given')}</td></tr>`;
    return `<tr><th colspan="3">${b(g.name)}</th></tr>${body}`;
  }).join('');
  return [
    '<section>',
    `<h2>${biBlock('绩效目标', 'Performance targets')}</h2>`,
    '<table>',
    `<thead><tr><th>${bi('指标', 'Indicator')}</th><th>${bi('目标值', 'Target')}</th><th>${bi('单位', 'Unit')}</th></tr></thead>`,
    `<tbody>${groups}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

function budgetSection(form: ApplicationForm, type: ProjectType): string {
  const budget = form.budget;
  const sum = budget.items.reduce((total, i) => total + i.amountCny, 0);
  const within = fundingAllows(type, budget.requestedCny);
  return [
    '<section>',
    `<h2>${biBlock('经费预算', 'Budget')}</h2>`,
    '<dl class="kv">',
    row('申请经费', 'Requested', moneyText(budget.requestedCny)),
    row('本类型资助额度', "This type's funding", fundingText(type)),
    row(
      '是否在额度内',
      'Within the funding',
      within ? bi('是', 'yes') : `<span class="bad">${bi('否，超出或低于资助额度', 'no: outside the funding')}</span>`,
    ),
    budget.matchingFundsCny !== undefined
      ? row('自筹配套经费', 'Matching funds', moneyText(budget.matchingFundsCny))
      : '',
    '</dl>',
    '<table>',
    `<thead><tr><th>${bi('支出项目', 'Item')}</th><th>${bi('金额（元）', 'CNY')}</th></tr></thead>`,
    '<tbody>',
    budget.items
      .map((i) => `<tr><td>${esc(i.name)}</td><td class="num">${esc(groupThousands(i.amountCny))}</td></tr>`)
      .join(''),
    `<tr><th>${bi('合计', 'Total')}</th><td class="num"><strong>${esc(groupThousands(sum))}</strong>${
      sum === budget.requestedCny
        ? ''
        : ` <span class="bad">${bi('与申请经费不一致', 'differs from the request')}</span>`
    }</td></tr>`,
    '</tbody>',
    '</table>',
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// A report under review

const REPORT_NAMES: Record<string, Bilingual> = {
  'forum-statistics': { zh: '论坛统计数据', en: 'Forum statistics' },
  'development-report': { zh: '产业（学术）发展报告', en: 'Industry (academic) development report' },
  'communication-data-report': { zh: '传播数据分析报告', en: 'Communication data analysis report' },
  summary: { zh: '项目总结报告', en: 'Project summary report' },
  duty: { zh: '职责履行情况说明', en: 'Statement on a duty' },
};
const reportName = (kind: string): Bilingual => REPORT_NAMES[kind] ?? { zh: kind, en: kind };

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
function achievedByPath(obligation: ObligationRecord, fields: Record<string, unknown>): Map<string, string> {
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

/** The report's own fields, readably for its kind. */
function reportFieldsSection(report: ReportReviewView, form: ApplicationForm | undefined, call: Call): string {
  const { obligation, submission } = report;
  const fields = (submission.fields && typeof submission.fields === 'object' ? submission.fields : {}) as Record<
    string,
    unknown
  >;
  const order = REPORT_FIELD_ORDER[obligation.report] ?? [];
  const keys = [
    ...order.filter((k) => own(fields, k)),
    ...Object.keys(fields).filter((k) => !order.includes(k) && k !== 'achieved'),
  ];
  const rows = keys
    .filter((k) => fields[k] !== undefined)
    .map((k) => {
      const label = REPORT_FIELD_LABELS[k] ?? { zh: k, en: k };
      const extra = obligation.report === 'forum-statistics' ? promised(k, form) : '';
      return row(label.zh, label.en, `${reportFieldValue(k, fields[k])}${extra}`);
    })
    .join('');
  const name = reportName(obligation.report);
  return [
    '<section>',
    `<h2>${biBlock(`报告内容：${name.zh}`, `The report: ${name.en}`)}</h2>`,
    rows ? `<dl class="kv">${rows}</dl>` : para('报告没有填写内容。', 'The report has no fields.'),
    // The per-target account is the report form's (the department's assumption), not the notice's: said so beside it.
    obligation.report === 'summary'
      ? `<h2>${biBlock('绩效目标完成情况', 'The targets and what was achieved')}</h2><p class="hint">${b(call.summaryReport.assumptions)}</p>${achievedTable(obligation, fields)}`
      : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** "1.5 MB", "820 KB", "512 B". */
function sizeText(bytes: number): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

const FILE_TYPES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

/** The report's files, each a download link (name, type, size); a link that is not http(s) is not made one. */
function filesSection(report: ReportReviewView): string {
  const items = report.downloads.map((d) => {
    const type = FILE_TYPES[String(d.contentType).toLowerCase()] ?? d.contentType;
    const meta = `<span class="hint">${esc(type)} · ${esc(sizeText(d.size))}</span>`;
    const safe = typeof d.url === 'string' && /^https?:\/\//i.test(d.url);
    return `<li>${safe ? `<a href="${esc(d.url)}" download="${esc(d.fileName)}" rel="noopener noreferrer">${esc(d.fileName)}</a>` : esc(d.fileName)} ${meta}</li>`;
  });
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

/** The obligation: what was owed, by when, and this submission (its version, when, on time or not). */
function obligationSection(report: ReportReviewView): string {
  const { obligation, submission } = report;
  const name = reportName(obligation.report);
  const dueAt = obligation.dueAt ? Date.parse(obligation.dueAt) : Number.NaN;
  const submittedAt = Date.parse(submission.submittedAt);
  const late = Number.isFinite(dueAt) && Number.isFinite(submittedAt) && submittedAt > dueAt;
  const previous =
    obligation.review?.answer === 'return' && submission.version > 1 ? (obligation.review.reasons ?? []) : [];
  return [
    `<section${late ? ' class="warn"' : ''}>`,
    `<h2>${biBlock(name.zh, name.en)}</h2>`,
    `<p>${b(obligation.text)}</p>`,
    '<dl class="kv">',
    row(
      '截止日期',
      'Due',
      obligation.dueOn
        ? dayText(obligation.dueOn)
        : obligation.dueAt
          ? instantStringText(obligation.dueAt)
          : bi('未设定', 'not set'),
    ),
    row(
      '提交时间',
      'Handed in',
      `${instantStringText(submission.submittedAt)}${late ? ` <span class="badge">${bi('逾期提交', 'Late')}</span>` : ''}`,
    ),
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

function reportSections(call: Call, report: ReportReviewView | undefined, form?: ApplicationForm): string {
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

/** A summary's review: per target, met or not met (`target.<path>`), needed to accept. */
function targetFindingFields(report: ReportReviewView): string {
  const targets = report.obligation.targets ?? [];
  if (targets.length === 0) return '';
  const fields = (
    report.submission.fields && typeof report.submission.fields === 'object' ? report.submission.fields : {}
  ) as Record<string, unknown>;
  const achieved = achievedByPath(report.obligation, fields);
  const one = (t: TargetOutcome) => {
    const name = `${TARGET_FIELD_PREFIX}${t.path}`;
    const choice = (value: string, zh: string, en: string) =>
      `<label class="choice"><input type="radio" name="${esc(name)}" value="${esc(value)}"> <span>${bi(zh, en)}</span></label>`;
    return [
      `<fieldset><legend>${esc(t.indicator)}</legend>`,
      `<p class="hint">${bi('目标：', 'Target:')} ${esc(t.target)} · ${bi('完成：', 'Achieved:')} ${achieved.has(t.path) ? esc(achieved.get(t.path)) : bi('未填写', 'not given')}</p>`,
      choice(TARGET_FINDINGS.met, '已完成', 'Met'),
      choice(TARGET_FINDINGS.notMet, '未完成', 'Not met'),
      '</fieldset>',
    ].join('\n');
  };
  return [
    `<h2>${biBlock('绩效目标完成情况（选择“通过”时逐项必选）', 'Each performance target: met or not (required to accept)')}</h2>`,
    ...targets.map(one),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// What to check, per kind

/** The rule an expert confirms before scoring. */
const CONFLICT_RULE: Bilingual = {
  zh: '本人不是申报单位成员，未在申报书中列名，也未被申报单位要求回避。',
  en: 'I am not a member of the applying unit, I am not named in the application, and I have not been asked to be avoided.',
};

/** Formal review: the form, the type's limits and requirements, and the automatic check's findings. */
function formalReviewChecks(view: TaskPageView): string {
  const { type } = view;
  const reasons = view.application.formalCheckReasons ?? [];
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist([
      ['申请书各项内容填写完整、真实，符合通知要求。', 'The form is complete and truthful and meets the notice.'],
      [
        `项目在 ${isoDateZh(type.finishBy)} 前完成，申请经费在本类型资助额度内。`,
        `The project finishes by ${isoDateEn(type.finishBy)} and the request is within the type's funding.`,
      ],
      ['符合本类型的申报要求：', "It meets this type's requirements:"],
    ]),
    requirementsList(type),
    reasons.length
      ? `<h2>${biBlock('自动形式审查提示', 'Findings of the automatic check')}</h2><ul>${reasons.map((r) => `<li>${b(r.text)}</li>`).join('')}</ul>`
      : para('自动形式审查未发现问题。', 'The automatic check found nothing wrong.'),
    '</section>',
  ].join('\n');
}

/** Paper copy: the copy itself, its count and seal, and until when it counts. */
function paperCopyChecks(view: TaskPageView): string {
  const { call } = view;
  const copies = call.paperCopy?.copies ?? 1;
  const items: Array<[string, string]> = [
    ['纸质申请书与网上提交的内容一致。', 'The paper copy is the application submitted online.'],
    [`份数：${copies} 份。`, `Copies: ${copies}.`],
  ];
  if (call.paperCopy?.sealRequired) items.push(['加盖申报单位公章。', "It bears the unit's official seal."]);
  const deadline = new Date(call.paperCopyDeadline);
  const until = view.answerableUntil;
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist(items),
    isValidDate(deadline)
      ? `<p>${biBlock(
          `只有在纸质材料截止时间 ${beijingDateTimeZh(deadline)}（北京时间）前收到的纸质申请书有效，逾期不予受理。`,
          `Only copies received by the paper deadline, ${beijingDateTimeEn(deadline)} (Beijing time), count; late copies are not accepted.`,
        )}</p>`
      : '',
    isValidDate(until)
      ? `<p>${biBlock(
          `截止前收到的材料可登记至 ${beijingDateTimeZh(until)}（北京时间）。`,
          `Copies received in time may be recorded until ${beijingDateTimeEn(until)} (Beijing time).`,
        )}</p>`
      : '',
    '</section>',
  ].join('\n');
}

/** Target review: the targets against the type's requirements, and the budget. */
function targetReviewChecks(view: TaskPageView): string {
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist([
      [
        '绩效目标完整、具体、可衡量（产出、效益、满意度指标）。',
        'The targets are complete, specific and measurable (output, effect, satisfaction).',
      ],
      ['目标与本类型的要求一致：', "The targets match this type's requirements:"],
    ]),
    requirementsList(view.type),
    checklist([
      ['预算与目标相符，申请经费在本类型资助额度内。', "The budget fits the targets and is within the type's funding."],
      [
        '未通过绩效目标审核的申报不进入下一阶段评审。',
        'An application that fails this review does not go on to the next stage.',
      ],
    ]),
    '</section>',
  ].join('\n');
}

/** Expert review: a conflict of interest first, then how to score. */
function expertReviewChecks(view: TaskPageView): string {
  const scoring = view.call.review.scoringForm;
  return [
    '<section class="info">',
    `<h2>${biBlock('评审须知', 'Before you score')}</h2>`,
    checklist([
      [
        '如您是申报单位成员、在申报书中列名，或被申报单位要求回避，即存在利益冲突：请勿评分，在页面下方选择“存在利益冲突，回避”并说明情况。',
        'If you are a member of the applying unit, are named in the application, or were asked to be avoided, you have a conflict of interest: do not score; declare it at the foot of the page and say what it is.',
      ],
      [
        `请按评分表逐项打分（共 ${scoring.criteria.length} 项，可打半分），系统按权重计算加权总分。`,
        `Score each of the form's ${scoring.criteria.length} criteria (whole or half points); the weighted total is computed for you.`,
      ],
      [
        '请独立、公正评审，评审内容请勿外传。',
        'Review independently and fairly, and keep the application confidential.',
      ],
    ]),
    `<p class="hint">${b(scoring.assumptions)}</p>`,
    '</section>',
  ].join('\n');
}

/** Report review: the report and its files, and for a summary each target. */
function reportReviewChecks(view: TaskPageView): string {
  const summary = view.report?.obligation.report === 'summary';
  const items: Array<[string, string]> = [
    [
      '报告内容完整、真实，与申请书及立项内容一致。',
      'The report is complete and truthful, and matches the application as awarded.',
    ],
    [
      '附件齐全：签章的报告（PDF），可附照片；请下载核对。',
      'The files are there: the signed report (PDF), and photos if any; download and check them.',
    ],
  ];
  if (summary)
    items.push([
      '逐项核对绩效目标完成情况：选择“通过”时，须对每项目标选择“已完成”或“未完成”。未完成绩效目标的单位不得申报下一年度项目。',
      "Check each performance target against what was achieved: to accept, mark every target met or not met. A unit with a target not met may not apply to next year's call.",
    ]);
  items.push([
    '需要修改的，请选择“退回修改”并写明意见；单位按原方式重新提交后将再次审核。',
    'If it needs changes, return it and say what to change; the unit hands it in again the same way and it is reviewed again.',
  ]);
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist(items),
    '</section>',
  ].join('\n');
}

/** What the reviewer checks, per kind (an award confirmation's proposal is its own page: nothing here). */
const WHAT_TO_CHECK: ForEachLinkTaskKind<(view: TaskPageView) => string> = {
  'formal-review': formalReviewChecks,
  'paper-copy': paperCopyChecks,
  'target-review': targetReviewChecks,
  'expert-review': expertReviewChecks,
  'award-confirmation': () => '',
  'report-review': reportReviewChecks,
};

/** A kind this code does not know (a stored string) has nothing to check. */
const whatToCheck = (view: TaskPageView): string => (isLinkTaskKind(view.kind) ? WHAT_TO_CHECK[view.kind](view) : '');

// ---------------------------------------------------------------------------------------------
// The form

const radio = (kind: string, value: string) => {
  const label = answerLabel(kind, value);
  return `<label class="choice"><input type="radio" name="answer" value="${esc(value)}" required> <span>${bi(label.zh, label.en)}</span></label>`;
};

const reasonsField = (zh: string, en: string) =>
  [
    `<label class="field" for="reasons">${biBlock(zh, en)}</label>`,
    '<textarea id="reasons" name="reasons" rows="5" maxlength="4000"></textarea>',
  ].join('\n');

const DATE_INPUT_ATTRS = 'pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="YYYY-MM-DD"';

/** Formal review: pass, return (with reasons and an optional date to correct by) or reject. */
function formalReviewFields(view: TaskPageView): string {
  const { kind } = view;
  return [
    `<fieldset><legend>${biBlock('审查结果', 'Decision')}</legend>`,
    ...LINK_TASK_ANSWERS['formal-review'].map((a) => radio(kind, a)),
    '</fieldset>',
    reasonsField(
      '理由（每行一条；选择“退回修改”或“不予受理”时必填）',
      'Reasons, one per line (required for return and reject)',
    ),
    `<label class="field" for="correctionDueOn">${biBlock('修改截止日期（仅“退回修改”时填写，可不填）', 'Correct by (for return only; optional)')}</label>`,
    `<input type="date" id="correctionDueOn" name="correctionDueOn" ${DATE_INPUT_ATTRS}>`,
    `<button type="submit">${bi('提交', 'Submit')}</button>`,
  ].join('\n');
}

/** Paper copy: the date it arrived. */
function paperCopyFields(view: TaskPageView): string {
  const { kind } = view;
  return [
    '<input type="hidden" name="answer" value="received">',
    `<label class="field" for="receivedOn">${biBlock('收到纸质申请书的日期', 'The date the stamped copy arrived')}</label>`,
    `<input type="date" id="receivedOn" name="receivedOn" required ${DATE_INPUT_ATTRS}>`,
    `<button type="submit">${bi(answerLabel(kind, 'received').zh, answerLabel(kind, 'received').en)}</button>`,
  ].join('\n');
}

/** Target review: pass or fail, with reasons. */
function targetReviewFields(view: TaskPageView): string {
  const { kind } = view;
  return [
    `<fieldset><legend>${biBlock('审核结果', 'Decision')}</legend>`,
    ...LINK_TASK_ANSWERS['target-review'].map((a) => radio(kind, a)),
    '</fieldset>',
    reasonsField('理由（每行一条；选择“不通过”时必填）', 'Reasons, one per line (required for fail)'),
    `<button type="submit">${bi('提交', 'Submit')}</button>`,
  ].join('\n');
}

/** Report review: accept or return, for a summary each target met or not, and reasons. */
function reportReviewFields(view: TaskPageView): string {
  const { kind } = view;
  return [
    `<fieldset><legend>${biBlock('审核结果', 'Decision')}</legend>`,
    ...LINK_TASK_ANSWERS['report-review'].map((a) => radio(kind, a)),
    '</fieldset>',
    view.report?.obligation.report === 'summary' ? targetFindingFields(view.report) : '',
    reasonsField('意见（每行一条；选择“退回修改”时必填）', 'Reasons, one per line (required to return it)'),
    `<button type="submit">${bi('提交', 'Submit')}</button>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A kind's answers as they are, with reasons. */
function answerFields(view: TaskPageView): string {
  const kind: string = view.kind;
  const answers = (LINK_TASK_ANSWERS as Record<string, readonly string[]>)[kind] ?? [];
  return [
    `<fieldset><legend>${biBlock('答复', 'Answer')}</legend>`,
    ...answers.map((a) => radio(kind, a)),
    '</fieldset>',
    reasonsField('理由（每行一条）', 'Reasons, one per line'),
    `<button type="submit">${bi('提交', 'Submit')}</button>`,
  ].join('\n');
}

/**
 * The form's fields, per kind. An expert's page has forms of its own (expertFormSections), and an
 * award confirmation's proposal is its own page: either, shown as a task page, offers its answers.
 */
const FORM_FIELDS: ForEachLinkTaskKind<(view: TaskPageView) => string> = {
  'formal-review': formalReviewFields,
  'paper-copy': paperCopyFields,
  'target-review': targetReviewFields,
  'expert-review': answerFields,
  'award-confirmation': answerFields,
  'report-review': reportReviewFields,
};

/** A kind this code does not know (a stored string): its answers as they are. */
const formFields = (view: TaskPageView): string =>
  isLinkTaskKind(view.kind) ? FORM_FIELDS[view.kind](view) : answerFields(view);

const percent = (weight: number) => `${Math.round(weight * 1000) / 10}%`;

/** One criterion's number input: its name, weight, range and guidance in the label. */
function criterionInput(c: ScoringCriterion): string {
  const id = `score-${c.id}`;
  const range = `${c.min}–${c.max}`;
  return [
    `<label class="field" for="${esc(id)}">${biBlock(c.name.zh, c.name.en)}<span class="hint block">${bi(
      `权重 ${percent(c.weight)} · ${range} 分`,
      `weight ${percent(c.weight)} · ${range} points`,
    )}</span></label>`,
    c.guidance ? `<p class="hint">${biBlock(c.guidance.zh, c.guidance.en)}</p>` : '',
    `<input type="number" id="${esc(id)}" name="${esc(`${SCORE_FIELD_PREFIX}${c.id}`)}" min="${esc(c.min)}" max="${esc(c.max)}" step="${esc(
      1 / SCORE_STEPS_PER_POINT,
    )}" inputmode="decimal" required>`,
  ]
    .filter(Boolean)
    .join('\n');
}

const formOpen = (postUrl: string) =>
  `<form method="post" action="${esc(postUrl)}" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">`;

/** The expert's forms: first the scores (after confirming no conflict), then a conflict or a decline. */
function expertFormSections(view: TaskPageView): string {
  const scoring = view.call.review.scoringForm;
  const commentLabel = scoring.commentRequired
    ? biBlock(
        `评审意见（必填，不超过 ${COMMENT_MAX_CHARS} 字）`,
        `Comment (required, up to ${COMMENT_MAX_CHARS} characters)`,
      )
    : biBlock(
        `评审意见（可不填，不超过 ${COMMENT_MAX_CHARS} 字）`,
        `Comment (optional, up to ${COMMENT_MAX_CHARS} characters)`,
      );
  return [
    '<section>',
    `<h2>${biBlock('评分', 'Your scores')}</h2>`,
    formOpen(view.postUrl),
    '<input type="hidden" name="answer" value="score">',
    `<fieldset><legend>${biBlock('第一步：利益冲突声明', 'First: no conflict of interest')}</legend>`,
    `<label class="choice"><input type="checkbox" name="noConflict" value="yes" required> <span>${biBlock(CONFLICT_RULE.zh, CONFLICT_RULE.en)}</span></label>`,
    '</fieldset>',
    `<fieldset><legend>${biBlock('第二步：逐项评分', 'Then: a score for each criterion')}</legend>`,
    ...scoring.criteria.map(criterionInput),
    '</fieldset>',
    `<label class="field" for="comment">${commentLabel}</label>`,
    `<textarea id="comment" name="comment" rows="6" maxlength="${COMMENT_MAX_CHARS}"${scoring.commentRequired ? ' required' : ''}></textarea>`,
    `<button type="submit">${bi('提交评分', 'Submit scores')}</button>`,
    '</form>',
    para('提交后即登记，此链接随即失效。', 'Your answer is recorded on submission, and the link then stops working.'),
    '</section>',
    '<section>',
    `<h2>${biBlock('无法评审此项目', 'If you cannot review this application')}</h2>`,
    formOpen(view.postUrl),
    '<input type="hidden" name="answer" value="conflict">',
    `<label class="field" for="conflictReasons">${biBlock('存在利益冲突：请说明情况（必填，每行一条）', 'A conflict of interest: say what it is (required, one reason per line)')}</label>`,
    '<textarea id="conflictReasons" name="reasons" rows="4" maxlength="4000" required></textarea>',
    `<button type="submit" class="secondary">${bi('存在利益冲突，回避', 'Declare a conflict and recuse')}</button>`,
    '</form>',
    formOpen(view.postUrl),
    '<input type="hidden" name="answer" value="decline">',
    `<label class="field" for="declineReasons">${biBlock('不参加评审的原因（可不填，每行一条）', 'Why you decline (optional, one reason per line)')}</label>`,
    '<textarea id="declineReasons" name="reasons" rows="3" maxlength="4000"></textarea>',
    `<button type="submit" class="secondary">${bi('不参加评审', 'Decline to review')}</button>`,
    '</form>',
    '</section>',
  ].join('\n');
}

function formSection(view: TaskPageView): string {
  if (view.kind === 'expert-review') return expertFormSections(view);
  return [
    '<section>',
    `<h2>${biBlock('您的答复', 'Your answer')}</h2>`,
    formOpen(view.postUrl),
    formFields(view),
    '</form>',
    para('提交后即登记，此链接随即失效。', 'Your answer is recorded on submission, and the link then stops working.'),
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Answers

/** An expert's scores: each criterion of the form (then any other key given), and the weighted total. */
function scoresTable(scores: Record<string, number>, total: number | undefined, form: ScoringForm | undefined): string {
  const has = (id: string) => Object.prototype.hasOwnProperty.call(scores, id);
  const criteria = form?.criteria ?? [];
  const known = new Set(criteria.map((c) => c.id));
  const rows = [
    ...criteria
      .filter((c) => has(c.id))
      .map(
        (c) =>
          `<tr><td>${b(c.name)}</td><td class="num">${esc(percent(c.weight))}</td><td class="num">${esc(scores[c.id])}</td></tr>`,
      ),
    ...Object.keys(scores)
      .filter((id) => !known.has(id))
      .map((id) => `<tr><td>${esc(id)}</td><td class="num">—</td><td class="num">${esc(scores[id])}</td></tr>`),
  ];
  const totalRow =
    typeof total === 'number' && Number.isFinite(total)
      ? `<tr><th colspan="2">${bi('加权总分', 'Weighted total')}</th><td class="num"><strong>${esc(displayScore(total))}</strong></td></tr>`
      : '';
  return [
    '<table>',
    `<thead><tr><th>${bi('评分项', 'Criterion')}</th><th>${bi('权重', 'Weight')}</th><th>${bi('得分', 'Score')}</th></tr></thead>`,
    `<tbody>${rows.join('')}${totalRow}</tbody>`,
    '</table>',
  ].join('');
}

/** A summary report's review: each target the reviewer judged, met or not (the application's targets first, in order). */
function findingsList(findings: Record<string, boolean>, targets: readonly TargetOutcome[] = []): string {
  const has = (path: string) => Object.prototype.hasOwnProperty.call(findings, path);
  const known = new Set(targets.map((t) => t.path));
  const item = (name: string, met: boolean) =>
    `<li>${esc(name)}：${met ? `<strong>${bi('已完成', 'met')}</strong>` : `<strong class="bad">${bi('未完成', 'not met')}</strong>`}</li>`;
  const items = [
    ...targets.filter((t) => has(t.path)).map((t) => item(`${t.indicator}（${t.target}）`, findings[t.path] === true)),
    ...Object.keys(findings)
      .filter((path) => !known.has(path))
      .map((path) => item(path, findings[path] === true)),
  ];
  const unmet = Object.values(findings).filter((met) => met !== true).length;
  return `<p>${bi(`未完成 ${unmet} 项，共 ${items.length} 项`, `${unmet} of ${items.length} not met`)}</p><ul>${items.join('')}</ul>`;
}

function answerList(kind: string, answer: TaskAnswer, form?: ScoringForm, targets?: readonly TargetOutcome[]): string {
  const label = answerLabel(kind, answer.answer);
  const reasons = (answer.reasons ?? []).filter((r) => r.trim() !== '');
  return [
    '<dl class="kv">',
    row('答复', 'Answer', `<strong>${bi(label.zh, label.en)}</strong>`),
    reasons.length ? row('理由', 'Reasons', `<ol>${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ol>`) : '',
    answer.targets && Object.keys(answer.targets).length
      ? row('绩效目标完成情况', 'Performance targets', findingsList(answer.targets, targets))
      : '',
    answer.scores ? row('评分', 'Scores', scoresTable(answer.scores, answer.total, form)) : '',
    answer.comment ? row('评审意见', 'Comment', `<div class="pre">${esc(answer.comment)}</div>`) : '',
    answer.receivedOn ? row('收到日期', 'Received on', dayText(answer.receivedOn)) : '',
    answer.correctionDueAt ? row('修改截止', 'Correct by', instantStringText(answer.correctionDueAt)) : '',
    row('答复时间', 'Answered at', instantStringText(answer.answeredAt)),
    '</dl>',
  ].join('\n');
}

const CANCELLED_TEXT: Bilingual = {
  zh: '此任务已取消或已被新的任务取代（例如申报已撤回，或退回修改后将重新审查）。如收到新的邮件，请使用新邮件中的链接。',
  en: 'This task was cancelled or replaced by a new one (for example the application was withdrawn, or will be reviewed again after correction). If you received a newer email, use the link in it.',
};

function closedSection(view: TaskPageView): string {
  return closedStateSection({ ...view, form: view.call.review.scoringForm, targets: view.report?.obligation.targets });
}

/** A task that takes no answer (any more): answered, being recorded, expired or cancelled. */
function closedStateSection(view: {
  state: TaskPageState;
  kind: string;
  call: Call;
  answer?: TaskAnswer;
  form?: ScoringForm;
  targets?: readonly TargetOutcome[];
  cancelled?: Bilingual;
}): string {
  switch (view.state) {
    case 'DONE':
    case 'CLOSING':
      return [
        '<section class="ok">',
        `<h2>${biBlock(
          view.state === 'DONE' ? '此任务已处理' : '答复已收到，正在登记',
          view.state === 'DONE'
            ? 'This task has already been answered'
            : 'The answer has been received and is being recorded',
        )}</h2>`,
        view.answer ? answerList(view.kind, view.answer, view.form, view.targets) : '',
        para('无需再次操作。', 'Nothing more is needed.'),
        '</section>',
      ].join('\n');
    case 'EXPIRED':
      return [
        '<section class="warn">',
        `<h2>${biBlock('此链接已过期', 'This link has expired')}</h2>`,
        para(
          `答复期限已过，此任务不再接受答复。如仍需处理，请联系${view.call.staffReview.department.zh}。`,
          `The time to answer has passed and this task takes no answer. If it still needs handling, contact ${view.call.staffReview.department.en}.`,
        ),
        '</section>',
      ].join('\n');
    case 'CANCELLED':
      return [
        '<section class="warn">',
        `<h2>${biBlock('此链接已失效', 'This link no longer works')}</h2>`,
        para((view.cancelled ?? CANCELLED_TEXT).zh, (view.cancelled ?? CANCELLED_TEXT).en),
        '</section>',
      ].join('\n');
    default:
      return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Pages

/** The page a task link opens: the application, what to check, and the form (only while OPEN). */
export function renderTaskPage(view: TaskPageView): string {
  const title = kindTitle(view.kind);
  const open = view.state === 'OPEN';
  const body = [
    '<section>',
    `<h1>${biBlock(title.zh, title.en)}</h1>`,
    `<p>${biBlock(`${view.assignee.name}，您好：`, `For ${view.assignee.name}`)}</p>`,
    `<p>${bi('项目：', 'Application:')} <strong>${esc(view.application.title)}</strong></p>`,
    view.kind === 'report-review' ? `<p>${bi('申报单位：', 'Unit:')} ${esc(view.application.unitName)}</p>` : '',
    `<p class="due">${bi('截止时间：', 'Due:')} ${instantText(view.dueAt)}</p>`,
    view.answerableUntil && view.kind !== 'paper-copy'
      ? `<p>${bi('可答复至：', 'Answers taken until:')} ${instantText(view.answerableUntil)}</p>`
      : '',
    '</section>',
    open ? '' : closedSection(view),
    whatToCheck(view),
    // an expert scores the targets and the budget too
    view.kind === 'target-review' || view.kind === 'expert-review' ? targetsSection(view.application.form) : '',
    view.kind === 'target-review' || view.kind === 'expert-review'
      ? budgetSection(view.application.form, view.type)
      : '',
    view.kind === 'report-review' ? reportSections(view.call, view.report, view.application.form) : '',
    applicationSection(view),
    open ? formSection(view) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return page(`${title.zh} · ${view.application.title}`, body, callHeader(view.call));
}

/** The confirmation after the form was posted: what was recorded. */
export function renderAnswered(view: TaskPageView): string {
  const title = kindTitle(view.kind);
  const body = [
    '<section class="ok">',
    `<h1>${biBlock('已登记', 'Recorded')}</h1>`,
    `<p>${bi(`${title.zh}：`, `${title.en}:`)} <strong>${esc(view.application.title)}</strong></p>`,
    `<p>${bi('申报单位：', 'Unit:')} ${esc(view.application.unitName)} · ${bi('申报编号：', 'Application id:')} ${esc(view.application.applicationId)}</p>`,
    view.answer
      ? answerList(view.kind, view.answer, view.call.review.scoringForm, view.report?.obligation.targets)
      : para('您的答复已收到。', 'Your answer has been received.'),
    para(
      '工作流程将据此继续，此链接已失效。您可以关闭此页面。',
      'The workflow goes on from here, and this link no longer works. You may close this page.',
    ),
    '</section>',
  ].join('\n');
  return page(`已登记 Recorded · ${view.application.title}`, body, callHeader(view.call));
}

// ---------------------------------------------------------------------------------------------
// The award proposal

type ProposedType = AwardProposalView['types'][number];

const sumOf = (values: number[]) => values.reduce((total, v) => total + (Number.isFinite(v) ? v : 0), 0);

function rankedRow(e: RankedEntry, unitNames: Record<string, string>): string {
  const unit = Object.prototype.hasOwnProperty.call(unitNames, e.unitId) ? unitNames[e.unitId] : e.unitId;
  const score = typeof e.score === 'number' && Number.isFinite(e.score) ? displayScore(e.score) : '—';
  return [
    `<tr${e.awarded ? '' : ' class="out"'}>`,
    `<td class="num">${esc(e.rank)}</td>`,
    `<td>${esc(unit)}</td>`,
    `<td>${esc(e.title)}</td>`,
    `<td class="num">${esc(score)}</td>`,
    `<td class="num">${typeof e.requestedCny === 'number' ? esc(wan(e.requestedCny)) : '—'}</td>`,
    `<td class="num">${e.awarded ? esc(wan(e.amountCny)) : '—'}</td>`,
    `<td>${e.awarded ? '<strong>是</strong>' : '否'}</td>`,
    `<td>${e.tieBreak ? esc(e.tieBreak.reason.zh) + (e.tieBreak.by === 'priority' ? '' : ASSUMED_TIE_BREAK) : ''}</td>`,
    '</tr>',
  ].join('');
}

function unfilledText(t: ProposedType): string {
  if (t.unfilled <= 0) return esc(0);
  return `<strong class="bad">${esc(t.unfilled)}</strong> ${biBlock(
    '空缺名额保持空缺：不由评分不足的申报递补，也不调剂至其他类型。',
    'An unfilled quota stays unfilled: it is not filled by applications with too few scores, nor moved to another type.',
  )}`;
}

/** A tie-break the department assumed (spread, submission time), never the notice's. */
const ASSUMED_TIE_BREAK = bi('（学会学术部假设，非通知规定）', " (the department's assumption, not the notice)");

/**
 * The type's 同等条件下优先 criteria: which the ranking applied (read from the form) and which it
 * did not (the form cannot show them), for the department head to weigh those themselves.
 */
function typePrioritiesBlock(type: ProjectType | undefined): string {
  if (!type || !type.priorities.length) return '';
  const { applied, notApplied } = prioritiesByRanking(type);
  const list = (items: typeof applied) =>
    `<ul>${items.map((p) => `<li>${biBlock(p.text.zh, p.text.en)}</li>`).join('')}</ul>`;
  return [
    applied.length
      ? `<p>${bi('通知规定的优先条件，已由排名按申请书核对：', "The notice's priority criteria the ranking applied, read from the form:")}</p>${list(applied)}`
      : '',
    notApplied.length
      ? `<div class="warn"><p><strong>${bi(
          '通知规定的优先条件，排名未采用（申请书不含可核对的信息）：',
          "The notice's priority criteria the ranking did NOT apply (the form carries nothing to check them by):",
        )}</strong></p>${list(notApplied)}${para(
          '同分或分数接近时，请您在确认或退回修改时自行斟酌这些条件。',
          'Where scores tie or are close, weigh these yourself when you confirm or send the proposal back.',
        )}</div>`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function proposedTypeSection(t: ProposedType, call: Call): string {
  const total = sumOf(t.entries.filter((e) => e.awarded).map((e) => e.amountCny));
  const table = t.entries.length
    ? [
        '<div class="scroll">',
        '<table>',
        `<thead><tr><th>${bi('排名', 'Rank')}</th><th>${bi('申报单位', 'Unit')}</th><th>${bi('项目名称', 'Title')}</th><th>${bi('得分', 'Score')}</th><th>${bi(
          '申请金额（万元）',
          'Requested (CNY 10,000)',
        )}</th><th>${bi('资助金额（万元）', 'Award (CNY 10,000)')}</th><th>${bi('是否资助', 'Awarded')}</th><th>${bi('同分排序说明', 'Tie-break')}</th></tr></thead>`,
        `<tbody>${t.entries.map((e) => rankedRow(e, t.unitNames)).join('')}</tbody>`,
        '</table>',
        '</div>',
        t.ranked > t.entries.length
          ? para(
              `另有 ${t.ranked - t.entries.length} 项排名在后，均不资助；确认后可在立项结果清单中查看全部排名。`,
              `${t.ranked - t.entries.length} more rank below these, none awarded; the whole ranking is in the results once confirmed.`,
            )
          : '',
      ].join('\n')
    : para('本类型没有获得足够评分的申报。', 'No application of this type has enough scores to be ranked.');
  const notScored = t.notScored.length
    ? `<details><summary>${bi(`评分不足、未参加排名（${t.notScored.length} 项）`, `Not ranked: too few scores (${t.notScored.length})`)}</summary><ul>${t.notScored
        .map((n) => `<li>${esc(n.applicationId)}：<span class="en">${esc(n.reason)}</span></li>`)
        .join('')}</ul></details>`
    : '';
  return [
    `<section${t.unfilled > 0 ? ' class="warn"' : ''}>`,
    `<h2>${biBlock(t.typeName.zh, t.typeName.en)}</h2>`,
    '<dl class="kv">',
    row('名额', 'Quota', esc(t.quota)),
    row('建议资助', 'Proposed awards', esc(t.awarded)),
    row('空缺名额', 'Unfilled places', unfilledText(t)),
    row('资助金额合计', 'Total funding', moneyText(total)),
    '</dl>',
    typePrioritiesBlock(call.projectTypes.find((p) => p.typeId === t.typeId)),
    table,
    notScored,
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function awardHeadSection(view: AwardProposalView, title: Bilingual): string {
  return [
    '<section>',
    `<h1>${biBlock(title.zh, title.en)}</h1>`,
    `<p>${biBlock(`${view.assignee.name}，您好：`, `For ${view.assignee.name}`)}</p>`,
    `<p>${b(view.call.title)}</p>`,
    '<dl class="kv">',
    row('建议版本', 'Version', esc(view.version)),
    row('生成时间', 'Proposed at', instantStringText(view.proposedAt)),
    '</dl>',
    `<p class="due">${bi('截止时间：', 'Due:')} ${instantText(view.dueAt)}</p>`,
    '</section>',
  ].join('\n');
}

function awardSummarySection(view: AwardProposalView): string {
  const awarded = sumOf(view.types.map((t) => t.awarded));
  const unfilled = sumOf(view.types.map((t) => Math.max(0, t.unfilled)));
  const funding = sumOf(view.types.flatMap((t) => t.entries.filter((e) => e.awarded).map((e) => e.amountCny)));
  return [
    '<section class="info">',
    `<h2>${biBlock('建议概要', 'The proposal in short')}</h2>`,
    '<dl class="kv">',
    row('项目类型', 'Project types', esc(view.types.length)),
    row('建议资助项目', 'Proposed awards', esc(awarded)),
    row('资助金额合计', 'Total funding', moneyText(funding)),
    row('空缺名额', 'Unfilled places', esc(unfilled)),
    '</dl>',
    para(AWARD_AMOUNT_RULE.zh, AWARD_AMOUNT_RULE.en),
    para(
      '各类型按专家评分从高到低排序，名额从排名第一起依次资助。同分时，先按通知规定的“同等条件下优先”条件满足项数多者在前（仅限能从申请书核对的条件；未采用的条件见各类型）。',
      "Each type is ranked by the experts' score and the quota awarded from the top. Ties are broken first by the notice's priority criteria met, more first (only those the form can show; each type names those not applied).",
    ),
    `<p>${biBlock(
      `其后依次：${view.call.awardRanking.furtherTieBreaks.map((t) => t.text.zh).join('；')}。${view.call.awardRanking.assumptions.zh}`,
      `Then: ${view.call.awardRanking.furtherTieBreaks.map((t) => t.text.en).join('; ')}. ${view.call.awardRanking.assumptions.en}`,
    )}</p>`,
    '</section>',
  ].join('\n');
}

function awardFormSection(view: AwardProposalView): string {
  const kind = 'award-confirmation';
  return [
    '<section>',
    `<h2>${biBlock('您的答复', 'Your answer')}</h2>`,
    formOpen(view.postUrl),
    `<fieldset><legend>${biBlock('确认结果', 'Decision')}</legend>`,
    ...LINK_TASK_ANSWERS[kind].map((a) => radio(kind, a)),
    '</fieldset>',
    reasonsField(
      '理由（每行一条；选择“退回修改”时必填）',
      'Reasons, one per line (required to send it back for revision)',
    ),
    `<button type="submit">${bi('提交', 'Submit')}</button>`,
    '</form>',
    para('提交后即登记，此链接随即失效。', 'Your answer is recorded on submission, and the link then stops working.'),
    '</section>',
  ].join('\n');
}

const AWARD_CANCELLED: Bilingual = {
  zh: '此任务已取消或已被新的任务取代（例如立项建议已修改为新版本）。如收到新的邮件，请使用新邮件中的链接。',
  en: 'This task was cancelled or replaced by a new one (for example the proposal was revised into a new version). If you received a newer email, use the link in it.',
};

/** The award proposal of a call: per type the quota, the awards, the unfilled places and the ranking; the form only while OPEN. */
export function renderAwardConfirmationPage(view: AwardProposalView): string {
  const kind = 'award-confirmation';
  const title = kindTitle(kind);
  const open = view.state === 'OPEN';
  const body = [
    awardHeadSection(view, title),
    open
      ? ''
      : closedStateSection({
          state: view.state,
          kind,
          call: view.call,
          answer: view.answer,
          cancelled: AWARD_CANCELLED,
        }),
    awardSummarySection(view),
    ...view.types.map((t) => proposedTypeSection(t, view.call)),
    open ? awardFormSection(view) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return page(`${title.zh} · ${view.call.title.zh}`, body, callHeader(view.call));
}

/** The confirmation after the award proposal was answered: what was recorded. */
export function renderAwardConfirmed(view: AwardProposalView): string {
  const kind = 'award-confirmation';
  const title = kindTitle(kind);
  const next: Bilingual =
    view.answer?.answer === 'revise'
      ? {
          zh: '立项建议已退回修改，修改后将生成新版本并再次请您确认。',
          en: 'The proposal goes back for revision; a new version will be sent to you to confirm.',
        }
      : {
          zh: '立项建议已确认，各申报将据此完成评审。',
          en: 'The proposal is confirmed, and each application is decided by it.',
        };
  const body = [
    '<section class="ok">',
    `<h1>${biBlock('已登记', 'Recorded')}</h1>`,
    `<p>${bi(`${title.zh}：`, `${title.en}:`)} <strong>${b(view.call.title)}</strong></p>`,
    `<p>${bi('建议版本：', 'Version:')} ${esc(view.version)} · ${bi('生成时间：', 'Proposed at:')} ${instantStringText(view.proposedAt)}</p>`,
    view.answer ? answerList(kind, view.answer) : para('您的答复已收到。', 'Your answer has been received.'),
    view.answer ? para(next.zh, next.en) : '',
    para('此链接已失效。您可以关闭此页面。', 'This link no longer works. You may close this page.'),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
  return page(`已登记 Recorded · ${view.call.title.zh}`, body, callHeader(view.call));
}

const PROBLEMS: Record<LinkProblemCode, { title: Bilingual; meaning: Bilingual }> = {
  LINK_INVALID: {
    title: { zh: '链接无效', en: 'This link is not valid' },
    meaning: {
      zh: '链接不完整或已被改动（部分邮件程序会把长链接截断或换行）。请从原邮件中完整复制链接后再打开。',
      en: 'The link is incomplete or was altered (some mail programs cut or wrap long links). Copy the whole link from the email and open it again.',
    },
  },
  LINK_EXPIRED: {
    title: { zh: '链接已失效', en: 'This link has expired' },
    meaning: {
      zh: '此任务已过期、已取消或已被新的任务取代，不再接受答复。如收到新的邮件，请使用新邮件中的链接。',
      en: 'This task has expired, was cancelled or was replaced by a new one, and takes no answer. If you received a newer email, use the link in it.',
    },
  },
  ALREADY_DONE: {
    title: { zh: '此任务已处理', en: 'This task has already been answered' },
    meaning: {
      zh: '此任务已有答复，每个链接只能答复一次，无需再次操作。',
      en: 'This task already has its answer; each link is answered once. Nothing more is needed.',
    },
  },
  NOT_FOUND: {
    title: { zh: '未找到此任务', en: 'Task not found' },
    meaning: {
      zh: '没有与此链接对应的任务。请检查链接是否完整。',
      en: 'No task matches this link. Check that the link is complete.',
    },
  },
  VALIDATION_FAILED: {
    title: { zh: '答复未能登记', en: 'The answer could not be recorded' },
    meaning: {
      zh: '提交的内容有误，未作任何登记。请返回上一页，按下列提示修改后重新提交。',
      en: 'Something in the answer is wrong and nothing was recorded. Go back to the previous page, correct what is listed below and submit again.',
    },
  },
};

/** A refusal, explained: what it means and whom to ask. */
export function renderLinkProblem(
  code: LinkProblemCode,
  message: string,
  details?: { path: string; message: string }[],
): string {
  const problem = PROBLEMS[code] ?? PROBLEMS.LINK_INVALID;
  const list = details ?? [];
  const body = [
    '<section class="warn">',
    `<h1>${biBlock(problem.title.zh, problem.title.en)}</h1>`,
    para(problem.meaning.zh, problem.meaning.en),
    list.length
      ? `<ul>${list.map((d) => `<li>${d.path ? `<strong>${esc(d.path)}</strong>：` : ''}${esc(d.message)}</li>`).join('')}</ul>`
      : '',
    message ? `<p class="en">${esc(message)}</p>` : '',
    '</section>',
    '<section>',
    para(
      '如有疑问，请联系向您发送此邮件的省科协工作人员。',
      'If in doubt, contact the association staff member who sent you the email.',
    ),
    `<p class="en">${bi('错误代码：', 'Code:')} ${esc(code)}</p>`,
    '</section>',
  ].join('\n');
  return page(`${problem.title.zh} ${problem.title.en}`, body);
}

/** A staff member's open tasks, soonest due first, the overdue ones marked. */
export function renderStaffTaskList(tasks: StaffTaskListItem[], now: Date): string {
  const time = (d: Date) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : Number.POSITIVE_INFINITY);
  const sorted = [...tasks].sort((a, b2) => time(a.dueAt) - time(b2.dueAt) || a.title.localeCompare(b2.title));
  const overdue = sorted.filter((t) => t.overdue).length;
  const cards = sorted.map((t) => {
    const k = kindTitle(t.kind);
    return [
      `<section class="task${t.overdue ? ' overdue' : ''}">`,
      t.overdue ? `<p><span class="badge">${bi('已逾期', 'Overdue')}</span></p>` : '',
      `<h2>${biBlock(k.zh, k.en)}</h2>`,
      `<p><strong>${esc(t.title)}</strong><br>${esc(t.unitName)}</p>`,
      `<p class="due">${bi('截止：', 'Due:')} ${instantText(t.dueAt)}</p>`,
      `<a class="button" href="${esc(t.link)}">${bi('打开处理', 'Open')}</a>`,
      '</section>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  const body = [
    '<section>',
    `<h1>${biBlock('我的待办任务', 'My open tasks')}</h1>`,
    `<p>${bi(`共 ${sorted.length} 项，其中逾期 ${overdue} 项。`, `${sorted.length} open, ${overdue} overdue.`)}</p>`,
    `<p>${bi('截至：', 'As of:')} ${instantText(now)}</p>`,
    sorted.length ? '' : para('暂无待办任务。', 'No open tasks.'),
    '</section>',
    ...cards,
  ]
    .filter(Boolean)
    .join('\n');
  return page('我的待办任务 My open tasks', body);
}
