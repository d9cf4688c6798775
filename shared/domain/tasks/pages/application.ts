/** The application under review, as every task page shows it. */
import type { ApplicationForm } from '@shared/domain/application-form';
import type { Bilingual, ProjectType } from '@shared/domain/catalogue';
import { b, bi, biBlock, esc, row } from './frame';
import { dayText, instantStringText, moneyText, personNameText, personText, scalarText } from './format';
import type { TaskPageView } from './views';

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

/** A list item that is a record (a speaker, a sub-forum) reads as its filled-in values in a line. */
function listItemText(item: unknown): string {
  if (item !== null && typeof item === 'object') {
    return Object.values(item as Record<string, unknown>)
      .filter((v) => v !== undefined && v !== '')
      .map(scalarText)
      .join('，');
  }
  return scalarText(item);
}

function detailValue(key: string, value: unknown, type: ProjectType): string {
  if (key === 'objective' && typeof value === 'string') {
    const objective = type.objectives?.find((o) => o.id === value);
    if (objective) return b(objective.text);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return `<ol>${value.map((item) => `<li>${listItemText(item)}</li>`).join('')}</ol>`;
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

function coOrganisersRow(form: ApplicationForm): string {
  const co = form.coOrganisers ?? [];
  if (!co.length) return '';
  const kind = (k: string) => b(CO_ORGANISER_KINDS[k] ?? { zh: k, en: k });
  return row(
    '合作单位',
    'Co-organisers',
    `<ul>${co.map((c) => `<li>${esc(c.name)}（${kind(c.kind)}）</li>`).join('')}</ul>`,
  );
}

function disciplineRow(form: ApplicationForm): string {
  if (!form.discipline) return '';
  const basic = form.discipline.basicScience ? `（${bi('基础学科', 'basic science')}）` : '';
  return row('学科领域', 'Discipline', `${esc(form.discipline.field)}${basic}`);
}

function applicationRows(view: TaskPageView): string {
  const app = view.application;
  const form = app.form;
  // Staff contact the applicant's people; an expert sees who they are, not how to reach them.
  const person = view.kind === 'expert-review' ? personNameText : personText;
  return [
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
    coOrganisersRow(form),
    disciplineRow(form),
    detailsRows(form, view.type),
  ].join('');
}

export function applicationSection(view: TaskPageView): string {
  const form = view.application.form;
  return [
    '<section>',
    `<h2>${biBlock('申报项目', 'The application')}</h2>`,
    `<dl class="kv">${applicationRows(view)}</dl>`,
    `<details><summary>${bi('项目简介', 'Summary')}</summary><div class="pre">${esc(form.summary)}</div></details>`,
    `<details><summary>${bi('实施方案', 'Implementation plan')}</summary><div class="pre">${esc(form.implementationPlan)}</div></details>`,
    '</section>',
  ].join('\n');
}
