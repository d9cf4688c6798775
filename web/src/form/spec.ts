import type { Bilingual } from '../i18n';
import type { FormKind } from '@shared/domain/catalogue/project-type';

/**
 * The 申请书 as a person fills it in: its sections in the notice's order, each field with its label
 * and the input it takes. Paths are the API's (`details.offlineAttendance`), so an error the schema
 * or the API reports lands on the field it names. The type's own details are keyed by form kind:
 * a form kind without its fields does not compile.
 */
export type Field =
  | {
      kind: 'text' | 'textarea' | 'date' | 'email' | 'tel' | 'city';
      path: string;
      label: Bilingual;
      optional?: boolean;
    }
  | { kind: 'int' | 'number'; path: string; label: Bilingual; optional?: boolean }
  | { kind: 'checkbox'; path: string; label: Bilingual }
  | { kind: 'select'; path: string; label: Bilingual; options: Options; optional?: boolean }
  | { kind: 'table'; path: string; label: Bilingual; columns: Column[]; max: number; optional?: boolean }
  | { kind: 'list'; path: string; label: Bilingual; max: number; optional?: boolean };

/** A table column: a field relative to its row. */
export type Column = Exclude<Field, { kind: 'table' | 'list' }>;

/** Fixed choices, or those the project type lists (a public-service type's objectives). */
export type Options = ReadonlyArray<{ value: string; label: Bilingual }> | 'type-objectives';

export interface Section {
  id: string;
  title: Bilingual;
  fields: Field[];
}

const L = (zh: string, en: string): Bilingual => ({ zh, en });

const person = (path: string): Field[] => [
  { kind: 'text', path: `${path}.name`, label: L('姓名', 'Name') },
  { kind: 'text', path: `${path}.title`, label: L('职务/职称', 'Job or professional title') },
  { kind: 'tel', path: `${path}.phone`, label: L('电话', 'Phone') },
  { kind: 'email', path: `${path}.email`, label: L('电子邮箱', 'Email') },
];

const indicators = (path: string, label: Bilingual): Field => ({
  kind: 'table',
  path,
  label,
  max: 30,
  columns: [
    { kind: 'text', path: 'name', label: L('指标名称', 'Indicator') },
    { kind: 'text', path: 'target', label: L('指标值', 'Target') },
    { kind: 'text', path: 'unit', label: L('单位', 'Unit'), optional: true },
  ],
});

export const CO_ORGANISER_OPTIONS = [
  { value: 'national-society', label: L('国家级学会', 'National society') },
  { value: 'city-association', label: L('地市科协', 'City association') },
  { value: 'society-alliance', label: L('学会联合体', 'Society alliance') },
  { value: 'leading-enterprise', label: L('领先企业', 'Leading enterprise') },
  { value: 'other', label: L('其他', 'Other') },
] as const;

const SUB_FORUM_OPTIONS = [
  { value: 'lingnan-press-conference', label: L('岭南科学发布会', 'Lingnan press conference') },
  { value: 'local-economy-seminar', label: L('服务地方经济研讨会', 'Local-economy seminar') },
  { value: 'professional-forum', label: L('专业论坛', 'Professional forum') },
  { value: 'other', label: L('其他', 'Other') },
] as const;

const DISCIPLINE_OPTIONS = [
  { value: 'science', label: L('理科', 'Science') },
  { value: 'engineering', label: L('工科', 'Engineering') },
  { value: 'agriculture', label: L('农科', 'Agriculture') },
  { value: 'medicine', label: L('医科', 'Medicine') },
  { value: 'comprehensive', label: L('综合', 'Comprehensive') },
] as const;

const venue: Field[] = [
  { kind: 'city', path: 'details.venueCity', label: L('举办城市', 'Venue city') },
  { kind: 'int', path: 'details.days', label: L('会期（天）', 'Days') },
];
const attendance: Field[] = [
  { kind: 'int', path: 'details.offlineAttendance', label: L('线下参会人数', 'Offline attendance') },
  { kind: 'int', path: 'details.onlineAttendance', label: L('线上参会人数', 'Online attendance'), optional: true },
];
const expert = (path: string, label: Bilingual, subField: boolean): Field => ({
  kind: 'table',
  path,
  label,
  max: 50,
  columns: [
    { kind: 'text', path: 'name', label: L('姓名', 'Name') },
    { kind: 'text', path: 'title', label: L('职称', 'Title') },
    { kind: 'text', path: 'affiliation', label: L('工作单位', 'Affiliation') },
    ...(subField ? [{ kind: 'text' as const, path: 'subField', label: L('研究方向', 'Sub-field') }] : []),
  ],
});

export const DETAILS: { readonly [K in FormKind]: Field[] } = {
  forum: [
    ...venue,
    { kind: 'date', path: 'details.startDate', label: L('举办日期', 'Start date') },
    ...attendance,
    expert('details.speakers', L('报告专家', 'Expert speakers'), true),
    {
      kind: 'city',
      path: 'details.industryLinkCity',
      label: L('结合产业发展的地市', 'City whose industry it serves'),
      optional: true,
    },
  ],
  'activity-month': [
    ...venue,
    ...attendance,
    expert('details.mainForumExperts', L('主论坛专家', 'Main-forum experts'), false),
    {
      kind: 'table',
      path: 'details.subForums',
      label: L('分论坛', 'Sub-forums'),
      max: 50,
      columns: [
        { kind: 'text', path: 'title', label: L('名称', 'Title') },
        { kind: 'select', path: 'kind', label: L('类别', 'Kind'), options: SUB_FORUM_OPTIONS },
        { kind: 'text', path: 'coOrganiser', label: L('联合承办学会', 'Co-organising society'), optional: true },
        {
          kind: 'select',
          path: 'discipline',
          label: L('学科类别', 'Discipline'),
          options: DISCIPLINE_OPTIONS,
          optional: true,
        },
      ],
    },
    {
      kind: 'list',
      path: 'details.expertServiceGroups',
      label: L('专家服务团', 'Expert service groups'),
      max: 20,
      optional: true,
    },
  ],
  'public-service': [
    { kind: 'select', path: 'details.objective', label: L('申报方向', 'Objective'), options: 'type-objectives' },
  ],
  salon: [
    {
      kind: 'table',
      path: 'details.sessions',
      label: L('沙龙场次', 'Sessions'),
      max: 20,
      columns: [
        { kind: 'text', path: 'title', label: L('主题', 'Theme') },
        { kind: 'date', path: 'plannedDate', label: L('计划日期', 'Planned date') },
      ],
    },
  ],
  training: [
    { kind: 'int', path: 'details.trainees', label: L('培训人数', 'Trainees') },
    { kind: 'int', path: 'details.trips', label: L('考察批次', 'Trips') },
    { kind: 'text', path: 'details.destination', label: L('考察地点', 'Destination') },
  ],
  'lecture-hall': [
    { kind: 'int', path: 'details.lectures', label: L('讲座场次', 'Lectures') },
    {
      kind: 'number',
      path: 'details.secretaryRecordedHours',
      label: L('专职党务干部录制课时', 'Hours recorded by party secretaries'),
    },
    {
      kind: 'number',
      path: 'details.staffRecordedHours',
      label: L('学会工作人员录制课时', 'Hours recorded by society staff'),
    },
  ],
  publicity: [
    { kind: 'int', path: 'details.bulletinIssues', label: L('简报期数', 'Bulletin issues') },
    { kind: 'int', path: 'details.organisationsCovered', label: L('覆盖单位数', 'Organisations covered') },
  ],
  general: [],
};

/** The sections common to every type, then the type's own (`details`). */
export const COMMON_SECTIONS: Section[] = [
  {
    id: 'overview',
    title: L('项目概况', 'The project'),
    fields: [
      { kind: 'text', path: 'title', label: L('项目名称', 'Project title') },
      { kind: 'date', path: 'startDate', label: L('开始日期', 'Start date') },
      { kind: 'date', path: 'endDate', label: L('完成日期', 'End date') },
      { kind: 'textarea', path: 'summary', label: L('项目简介', 'Summary') },
      { kind: 'textarea', path: 'implementationPlan', label: L('实施方案', 'Implementation plan') },
    ],
  },
  { id: 'lead', title: L('项目负责人', 'Project lead'), fields: person('lead') },
  { id: 'contact', title: L('联系人', 'Contact'), fields: person('contact') },
  {
    id: 'discipline',
    title: L('学科与合作', 'Discipline and partners'),
    fields: [
      { kind: 'text', path: 'discipline.field', label: L('学科领域', 'Discipline') },
      { kind: 'checkbox', path: 'discipline.basicScience', label: L('属于基础学科', 'A basic science') },
      {
        kind: 'table',
        path: 'coOrganisers',
        label: L('合作单位', 'Co-organisers'),
        max: 20,
        optional: true,
        columns: [
          { kind: 'text', path: 'name', label: L('单位名称', 'Name') },
          { kind: 'select', path: 'kind', label: L('类别', 'Kind'), options: CO_ORGANISER_OPTIONS },
        ],
      },
      {
        kind: 'list',
        path: 'expertsToAvoid',
        label: L('申请回避的专家（最多3名）', 'Experts to avoid (up to 3)'),
        max: 3,
        optional: true,
      },
    ],
  },
  {
    id: 'budget',
    title: L('经费预算', 'Budget'),
    fields: [
      { kind: 'int', path: 'budget.requestedCny', label: L('申请资助金额（元）', 'Funding requested (CNY)') },
      {
        kind: 'int',
        path: 'budget.matchingFundsCny',
        label: L('自筹经费（元）', 'Matching funds (CNY)'),
        optional: true,
      },
      {
        kind: 'table',
        path: 'budget.items',
        label: L('预算明细', 'Budget items'),
        max: 50,
        columns: [
          { kind: 'text', path: 'name', label: L('支出项目', 'Item') },
          { kind: 'int', path: 'amountCny', label: L('金额（元）', 'Amount (CNY)') },
        ],
      },
    ],
  },
  {
    id: 'targets',
    title: L('绩效目标', 'Performance targets'),
    fields: [
      indicators('performanceTargets.output.quantity', L('产出指标—数量指标', 'Output — quantity')),
      indicators('performanceTargets.output.quality', L('产出指标—质量指标', 'Output — quality')),
      indicators('performanceTargets.output.timeliness', L('产出指标—时效指标', 'Output — timeliness')),
      indicators('performanceTargets.output.cost', L('产出指标—成本指标', 'Output — cost')),
      indicators('performanceTargets.effect', L('效益指标', 'Effect')),
      indicators('performanceTargets.satisfaction', L('满意度指标', 'Satisfaction')),
    ],
  },
];

export const detailsSection = (form: FormKind): Section => ({
  id: 'details',
  title: L('项目类型专项内容', "The type's own details"),
  fields: DETAILS[form],
});
