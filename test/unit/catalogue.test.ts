import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  callSchema,
  callSummary,
  fundingAllows,
  getCall,
  getProjectType,
  listCalls,
  listSeedUnits,
  parseCall,
  submissionOpen,
} from '@shared/domain/catalogue';
import call2024 from '@seeds/call-2024.json';
import units from '@seeds/units.json';
import { call } from '../support/fixtures';

/** The notice (粤科协学〔2023〕14号), read independently of the JSON. 1万元 = 10000 CNY. */
const EXPECTED_TYPES = [
  {
    no: 1,
    typeId: 'lingnan-forum',
    category: 'academic-exchange',
    zh: '岭南科学论坛',
    quota: 10,
    funding: { kind: 'fixed', amountCny: 100000 },
    finishBy: '2024-12-31',
    perUnitLimit: 1,
    form: 'forum',
    contact: '邓梅',
    phone: '020-83543079',
  },
  {
    no: 2,
    typeId: 'communication-programme',
    category: 'academic-exchange',
    zh: '科技创新助力工程传播计划',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 300000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'general',
    contact: '邓梅',
    phone: '020-83543079',
  },
  {
    no: 3,
    typeId: 'activity-month',
    category: 'academic-exchange',
    zh: '第二十二届广东省科协学术活动月开幕式暨主题活动',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 600000 },
    finishBy: '2024-05-31',
    perUnitLimit: null,
    form: 'activity-month',
    contact: '邓梅',
    phone: '020-83543079',
  },
  {
    no: 4,
    typeId: 'public-service-capacity',
    category: 'society-capacity',
    zh: '学会公共服务能力提升',
    quota: 15,
    funding: { kind: 'range', minCny: 50000, maxCny: 100000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'public-service',
    contact: '郭庭茂',
    phone: '020-83549473',
  },
  {
    no: 5,
    typeId: 'annual-report-statistics',
    category: 'society-capacity',
    zh: '社会组织年度报告信息统计',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 50000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'general',
    contact: '郭庭茂',
    phone: '020-83549473',
  },
  {
    no: 6,
    typeId: 'secretary-general-salon',
    category: 'society-capacity',
    zh: '秘书长沙龙',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 60000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'salon',
    contact: '郭庭茂',
    phone: '020-83549473',
  },
  {
    no: 7,
    typeId: 'gba-mutual-recognition',
    category: 'society-capacity',
    zh: '粤港澳大湾区工程技术人员专业资格互认',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 450000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'general',
    contact: '郭庭茂',
    phone: '020-83549473',
  },
  {
    no: 8,
    typeId: 'nanyue-platform',
    category: 'support-programme',
    zh: '南粤科创平台运营',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 200000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'general',
    contact: '邵宝杭',
    phone: '020-83544682',
  },
  {
    no: 9,
    typeId: 'party-organisation-training',
    category: 'party-building',
    zh: '科技社团党组织组织力提升',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 140000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'training',
    contact: '饶恒',
    phone: '020-83517695',
  },
  {
    no: 10,
    typeId: 'lecture-hall',
    category: 'party-building',
    zh: '科技社团大讲堂教学能力提升',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 120000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'lecture-hall',
    contact: '饶恒',
    phone: '020-83517695',
  },
  {
    no: 11,
    typeId: 'party-publicity',
    category: 'party-building',
    zh: '科技社团党建宣传力提升',
    quota: 1,
    funding: { kind: 'fixed', amountCny: 40000 },
    finishBy: '2024-12-31',
    perUnitLimit: null,
    form: 'publicity',
    contact: '饶恒',
    phone: '020-83517695',
  },
] as const;

/** The checkable requirements, as the notice states them. */
const EXPECTED_CHECKS: Record<string, unknown[]> = {
  'lingnan-forum': [
    { op: 'oneOf', path: 'details.venueCity', valuesFrom: 'guangdongCities' },
    { op: 'max', path: 'details.days', value: 3 },
    { op: 'min', path: 'details.offlineAttendance', value: 200 },
    { op: 'minCount', path: 'details.speakers', value: 3 },
    { op: 'minDistinct', path: 'details.speakers', field: 'subField', value: 3 },
  ],
  'communication-programme': [],
  'activity-month': [
    { op: 'minCount', path: 'details.mainForumExperts', value: 3 },
    { op: 'minCount', path: 'details.subForums', value: 7 },
    { op: 'minCountWhere', path: 'details.subForums', field: 'kind', equals: 'lingnan-press-conference', value: 1 },
    { op: 'minCountWhere', path: 'details.subForums', field: 'kind', equals: 'local-economy-seminar', value: 1 },
    { op: 'minCountWhere', path: 'details.subForums', field: 'kind', equals: 'professional-forum', value: 5 },
    expect.objectContaining({
      op: 'coversAll',
      path: 'details.subForums',
      field: 'discipline',
      values: ['science', 'engineering', 'agriculture', 'medicine', 'comprehensive'],
      where: { field: 'kind', equals: 'professional-forum' },
    }),
    {
      op: 'minCountWith',
      path: 'details.subForums',
      field: 'coOrganiser',
      where: { field: 'kind', equals: 'professional-forum' },
      value: 5,
    },
    { op: 'oneOf', path: 'details.venueCity', valuesFrom: 'guangdongCities' },
    { op: 'min', path: 'details.days', value: 2 },
    { op: 'min', path: 'details.offlineAttendance', value: 600 },
  ],
  'public-service-capacity': [expect.objectContaining({ op: 'oneOf', path: 'details.objective' })],
  'annual-report-statistics': [],
  'secretary-general-salon': [{ op: 'minCount', path: 'details.sessions', value: 2 }],
  'gba-mutual-recognition': [],
  'nanyue-platform': [],
  'party-organisation-training': [
    { op: 'min', path: 'details.trainees', value: 30 },
    { op: 'min', path: 'details.trips', value: 1 },
  ],
  'lecture-hall': [
    { op: 'min', path: 'details.lectures', value: 24 },
    { op: 'min', path: 'details.secretaryRecordedHours', value: 20 },
    { op: 'min', path: 'details.staffRecordedHours', value: 20 },
  ],
  'party-publicity': [
    { op: 'min', path: 'details.bulletinIssues', value: 24 },
    { op: 'min', path: 'details.organisationsCovered', value: 150 },
  ],
};

const GUANGDONG_CITIES = [
  '广州',
  '深圳',
  '珠海',
  '汕头',
  '佛山',
  '韶关',
  '湛江',
  '肇庆',
  '江门',
  '茂名',
  '惠州',
  '梅州',
  '汕尾',
  '河源',
  '阳江',
  '清远',
  '东莞',
  '中山',
  '潮州',
  '揭阳',
  '云浮',
];

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the 2024 catalogue, held to the notice', () => {
  it('lists every call seed in the seeds folder, validated: 2024, and the 2025 sample that follows it', () => {
    const calls = listCalls();
    expect(calls.map((c) => c.callId)).toEqual(['gdast-2024', 'gdast-2025']);
    expect(callSchema().safeParse(call2024).success).toBe(true);
    expect(getCall('gdast-2025')?.previousCallId).toBe('gdast-2024');
    expect(getCall('gdast-2026')).toBeUndefined();
  });

  it('the 2025 sample is the 2024 call with its dates a year later', () => {
    const next = getCall('gdast-2025');
    const shift = (iso: string) => iso.replace(/^(\d{4})/, (y) => String(Number(y) + 1));
    expect(next?.opensAt).toBe(shift(call().opensAt));
    expect(next?.submissionDeadline).toBe(shift(call().submissionDeadline));
    expect(next?.projectTypes.map((t) => t.finishBy)).toEqual(call().projectTypes.map((t) => shift(t.finishBy)));
    expect(next?.projectTypes.map((t) => t.quota)).toEqual(call().projectTypes.map((t) => t.quota));
  });

  it('memoizes and freezes the parsed calls', () => {
    expect(listCalls()).toBe(listCalls());
    expect(getCall('gdast-2024')).toBe(listCalls()[0]);
    const c = call();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.projectTypes[0].funding)).toBe(true);
    expect(() => {
      (c.projectTypes[0] as { quota: number }).quota = 99;
    }).toThrow(TypeError);
    expect(c.projectTypes[0].quota).toBe(10);
  });

  it('carries the notice header', () => {
    const c = call();
    expect(c.year).toBe(2024);
    expect(c.documentNo).toBe('粤科协学〔2023〕14号');
    expect(c.issuedOn).toBe('2023-08-18');
    expect(c.issuer.zh).toBe('广东省科学技术协会');
    expect(c.currency).toBe('CNY');
    expect(c.maxApplicationsPerUnit).toBe(3);
  });

  it('has the deadlines as Beijing instants, inclusive to the last millisecond', () => {
    const c = call();
    expect(c.submissionDeadline).toBe('2023-09-25T23:59:59.999+08:00');
    expect(Date.parse(c.submissionDeadline)).toBe(Date.UTC(2023, 8, 25, 15, 59, 59, 999));
    expect(Date.parse(c.paperCopyDeadline)).toBe(Date.UTC(2023, 8, 28, 15, 59, 59, 999));
    expect(Date.parse(c.opensAt)).toBe(Date.UTC(2023, 7, 17, 16, 0, 0, 0));
  });

  it('has 11 types whose quotas sum to 34', () => {
    const types = call().projectTypes;
    expect(types).toHaveLength(11);
    expect(types.reduce((s, t) => s + t.quota, 0)).toBe(34);
  });

  it.each(EXPECTED_TYPES)('type $no $typeId: quota, funding, finish date, limit, form, contact', (e) => {
    const t = getProjectType(call(), e.typeId);
    expect(t).toBeDefined();
    if (!t) return;
    expect(call().projectTypes[e.no - 1]).toBe(t);
    expect(t.no).toBe(e.no);
    expect(t.category.id).toBe(e.category);
    expect(t.name.zh).toBe(e.zh);
    expect(t.quota).toBe(e.quota);
    expect(t.funding).toEqual(e.funding);
    expect(t.finishBy).toBe(e.finishBy);
    expect(t.perUnitLimit).toBe(e.perUnitLimit);
    expect(t.form).toBe(e.form);
    expect(t.contact.name).toBe(e.contact);
    expect(t.contact.phone).toBe(e.phone);
    expect(t.contact.department.zh).toBe('学会学术部');
  });

  it('totals 371–446 万元 depending on type 4', () => {
    let min = 0;
    let max = 0;
    for (const t of call().projectTypes) {
      min += t.quota * (t.funding.kind === 'fixed' ? t.funding.amountCny : t.funding.minCny);
      max += t.quota * (t.funding.kind === 'fixed' ? t.funding.amountCny : t.funding.maxCny);
    }
    expect([min, max]).toEqual([3710000, 4460000]);
  });

  it.each(Object.entries(EXPECTED_CHECKS))('%s has the checkable requirements of the notice', (typeId, checks) => {
    const t = getProjectType(call(), typeId);
    expect(t?.requirements.map((r) => r.check)).toEqual(checks);
    for (const r of t?.requirements ?? []) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.text.zh.length).toBeGreaterThan(0);
      expect(r.text.en.length).toBeGreaterThan(0);
    }
  });

  it('type 4 offers six objectives, and its requirement accepts exactly those', () => {
    const t = getProjectType(call(), 'public-service-capacity');
    expect(t?.objectives).toHaveLength(6);
    const check = t?.requirements[0].check;
    expect(check?.op === 'oneOf' && check.values).toEqual(t?.objectives?.map((o) => o.id));
  });

  it("lists the post-award reports with their due rules: a forum's from the forum's own end, in calendar weeks and months", () => {
    const forum = getProjectType(call(), 'lingnan-forum');
    expect(forum?.obligations.map((o) => [o.report, o.due])).toEqual([
      ['forum-statistics', { after: 'forum-end', weeks: 1 }],
      ['development-report', { after: 'forum-end', months: 1 }],
    ]);
    const comms = getProjectType(call(), 'communication-programme');
    expect(comms?.obligations.find((o) => o.id === 'communication-data-report')?.due).toEqual({
      after: 'project-end',
      months: 1,
    });
    // The notice's duties without a date of their own carry no due rule: each is answered for with the summary report.
    expect(comms?.obligations.filter((o) => !o.due).map((o) => o.id)).toEqual([
      'opinion-guidance-review',
      'keep-media-material',
    ]);
    expect(
      getProjectType(call(), 'activity-month')
        ?.obligations.filter((o) => !o.due)
        .map((o) => o.id),
    ).toEqual(['collect-2024-activities']);
    expect(call().dutyReports?.assumptions.zh).toContain('工作假设');
  });

  it('lists the 同等条件下优先 criteria where the notice gives them', () => {
    const ids = (typeId: string) => getProjectType(call(), typeId)?.priorities.map((p) => p.id);
    expect(ids('lingnan-forum')).toEqual(['co-organised', 'city-industry-link', 'basic-science']);
    expect(ids('nanyue-platform')).toEqual(['prior-association-projects', 'matching-funds']);
    expect(ids('activity-month')).toHaveLength(1);
    expect(ids('communication-programme')).toHaveLength(1);
    expect(ids('lecture-hall')).toEqual([]);
  });

  it('has the 7 general rules and the technical support contacts', () => {
    const c = call();
    expect(c.rules).toHaveLength(7);
    expect(c.rules.map((r) => r.id)).toContain('max-applications-per-unit');
    expect(c.rules.map((r) => r.id)).toContain('unit-in-good-standing');
    expect(c.technicalSupport.organisation.zh).toBe('广东省电子学会');
    expect(c.technicalSupport.contacts.map((x) => x.name)).toEqual(['戴凯琳', '林聪']);
  });

  it('lists the 21 prefecture-level cities of Guangdong', () => {
    const cities = call().guangdongCities;
    expect(cities).toHaveLength(21);
    expect([...cities].sort()).toEqual([...GUANGDONG_CITIES].sort());
    expect(cities).not.toContain('香港');
  });
});

/** The notice itself (seeds/call-notice-2024.txt), whitespace removed: what the call data may quote as its words. */
const NOTICE = readFileSync(join(__dirname, '../../seeds/call-notice-2024.txt'), 'utf8').replace(/\s+/g, '');
const isNoticeWording = (zh: string) => NOTICE.includes(zh.replace(/\s+/g, ''));

/**
 * Every bilingual text of `node` that speaks of the notice (通知, leaving out other documents'
 * titles in 《》; "notice"), or of the summary report's 逐项说明 form, with whether it sits under an
 * `assumptions` statement (the department's, marked as such).
 */
function textsCitingTheNotice(
  node: unknown,
  path = '',
  marked = false,
): { path: string; zh: string; marked: boolean }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => textsCitingTheNotice(item, `${path}[${i}]`, marked));
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (typeof record.zh === 'string' && typeof record.en === 'string') {
    const cites =
      record.zh.replace(/《[^》]*》/g, '').includes('通知') ||
      /notice/i.test(record.en) ||
      record.zh.includes('逐项说明');
    return cites ? [{ path, zh: record.zh, marked }] : [];
  }
  const here = marked || 'assumptions' in record;
  return Object.entries(record).flatMap(([key, value]) => textsCitingTheNotice(value, `${path}.${key}`, here));
}

describe("the call data keeps the notice's words and the department's assumptions apart", () => {
  it("every text citing the notice is the notice's own words, or stands under the assumptions that mark it", () => {
    const cited = textsCitingTheNotice(call2024);
    expect(cited.map((t) => t.path)).toEqual(
      expect.arrayContaining(['.title', '.summaryReport.text', '.summaryReport.assumptions']),
    );
    expect(cited.filter((t) => !t.marked && !isNoticeWording(t.zh)).map((t) => `${t.path}: ${t.zh}`)).toEqual([]);
  });

  it("the summary report's text is the notice's 二(五); its form (逐项说明绩效目标完成情况) is the department's assumption", () => {
    const { text, assumptions } = call().summaryReport;
    expect(isNoticeWording(text.zh)).toBe(true);
    expect(text.zh).toBe(call().rules.find((r) => r.id === 'summary-report')?.text.zh);
    expect(text.zh).not.toContain('逐项说明');
    expect(assumptions.zh).toContain('逐项说明绩效目标完成情况');
    expect(assumptions.zh).toContain('通知未规定');
    expect(assumptions.zh).toContain('工作假设');
    expect(assumptions.en).toContain('working assumption');
  });
});

test("a report due from the forum's end only on the forum form, which asks for the forum's dates", () => {
  const bad = JSON.parse(JSON.stringify(call()));
  const month = bad.projectTypes.find((t: { typeId: string }) => t.typeId === 'activity-month');
  month.obligations.push({
    id: 'stats',
    text: { zh: '统计', en: 'Statistics' },
    report: 'forum-statistics',
    due: { after: 'forum-end', weeks: 1 },
  });
  const parsed = callSchema().safeParse(bad);
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
    `projectTypes.${month.no - 1}.obligations.${month.obligations.length - 1}.due.after`,
  ]);
});

describe('the 2025 call: a sample, marked as one', () => {
  const sample = () => getCall('gdast-2025')!;

  it('says it is a sample; the 2024 call, the issued notice, does not', () => {
    expect(sample().sample?.note.zh).toContain('示例');
    expect(sample().sample?.note.en).toMatch(/^Sample/);
    expect(call().sample).toBeUndefined();
  });

  it("does not carry 2024's document number or the activity month's 第二十二届 edition", () => {
    expect(sample().documentNo).not.toBe(call().documentNo);
    expect(sample().documentNo).toContain('示例');
    const edition = (c: ReturnType<typeof call>) =>
      getProjectType(c, 'activity-month')?.name.zh.match(/^第(.+?)届/)?.[1];
    expect(edition(call())).toBe('二十二');
    expect(edition(sample())).toBe('二十三');
  });

  it('GET /calls lists it with its sample note; the 2024 call as no sample', () => {
    expect(callSummary(sample())).toMatchObject({
      callId: 'gdast-2025',
      documentNo: '粤科协学〔2024〕（示例）',
      sample: true,
      sampleNote: sample().sample?.note,
    });
    expect(callSummary(call())).toMatchObject({ callId: 'gdast-2024', sample: false });
    expect(callSummary(call())).not.toHaveProperty('sampleNote');
  });
});

describe('submissionOpen', () => {
  const at = (iso: string) => submissionOpen(call(), new Date(iso));
  it('is not open before the notice', () => {
    expect(at('2023-08-17T23:59:59.999+08:00')).toBe('not-open');
    expect(at('2023-08-18T00:00:00+08:00')).toBe('open');
  });
  it('is open through the last second of 25 September, Beijing time', () => {
    expect(at('2023-09-01T12:00:00+08:00')).toBe('open');
    expect(at('2023-09-25T23:59:59+08:00')).toBe('open');
    expect(at('2023-09-25T23:59:59.999+08:00')).toBe('open');
    expect(at('2023-09-25T15:59:59Z')).toBe('open');
  });
  it('is closed from midnight on 26 September, Beijing time', () => {
    expect(at('2023-09-26T00:00:00+08:00')).toBe('closed');
    expect(at('2023-09-25T16:00:00Z')).toBe('closed');
    expect(at('2024-01-01T00:00:00+08:00')).toBe('closed');
  });
  it('refuses an invalid clock', () => {
    expect(() => submissionOpen(call(), new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('fundingAllows', () => {
  const type = (id: string) => {
    const t = getProjectType(call(), id);
    if (!t) throw new Error(id);
    return t;
  };
  it('bounds type 4 by its range, inclusive', () => {
    const t = type('public-service-capacity');
    expect(fundingAllows(t, 49999)).toBe(false);
    expect(fundingAllows(t, 50000)).toBe(true);
    expect(fundingAllows(t, 80000)).toBe(true);
    expect(fundingAllows(t, 100000)).toBe(true);
    expect(fundingAllows(t, 100001)).toBe(false);
  });
  it('refuses more than a fixed amount', () => {
    const t = type('lingnan-forum');
    expect(fundingAllows(t, 100000)).toBe(true);
    expect(fundingAllows(t, 100001)).toBe(false);
    expect(fundingAllows(type('activity-month'), 600000)).toBe(true);
    expect(fundingAllows(type('activity-month'), 600001)).toBe(false);
  });
  it('refuses zero, negatives, fractions and non-numbers', () => {
    const t = type('lingnan-forum');
    for (const v of [0, -1, 50000.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(fundingAllows(t, v)).toBe(false);
  });
});

describe('parseCall refuses an invalid seed with a clear error', () => {
  it('names the seed and the bad field', () => {
    const bad = clone(call2024) as { projectTypes: Array<{ quota: number }> };
    bad.projectTypes[0].quota = 0;
    expect(() => parseCall(bad, 'seeds/bad.json')).toThrow(/Invalid call catalogue in seeds\/bad\.json[\s\S]*quota/);
  });
  it('catches duplicate type ids, misnumbered types and bad deadlines', () => {
    const dup = clone(call2024) as { projectTypes: Array<{ typeId: string }> };
    dup.projectTypes[1].typeId = 'lingnan-forum';
    expect(() => parseCall(dup)).toThrow(/duplicate typeId/);

    const renumbered = clone(call2024) as { projectTypes: Array<{ no: number }> };
    renumbered.projectTypes[2].no = 7;
    expect(() => parseCall(renumbered)).toThrow(/numbered/);

    const deadline = clone(call2024) as { submissionDeadline: string };
    deadline.submissionDeadline = '2023-09-25';
    expect(() => parseCall(deadline)).toThrow(/submissionDeadline/);
  });
  it('catches a malformed check', () => {
    const bad = clone(call2024) as { projectTypes: Array<{ requirements: Array<{ check: Record<string, unknown> }> }> };
    bad.projectTypes[0].requirements[0].check = { op: 'oneOf', path: 'details.venueCity' };
    expect(() => parseCall(bad)).toThrow(/exactly one of values or valuesFrom/);
    bad.projectTypes[0].requirements[0].check = { op: 'atLeast', path: 'details.days', value: 1 };
    expect(() => parseCall(bad)).toThrow(Error);
  });
  it('accepts the seed itself', () => {
    expect(parseCall(clone(call2024)).callId).toBe('gdast-2024');
  });
});

describe('the sample units', () => {
  it("are 8 member societies, exactly one barred for last year's summary report", () => {
    const list = listSeedUnits();
    expect(list).toHaveLength(8);
    expect(list).toEqual(units);
    expect(new Set(list.map((u) => u.unitId)).size).toBe(8);
    expect(list.map((u) => u.unitId)).toContain('gd-physics-society');
    const barred = list.filter((u) => u.standing.barred);
    expect(barred).toHaveLength(1);
    expect(barred[0].standing.reason).toBe("未提交2023年度项目总结报告 / did not file last year's summary report");
    for (const u of list) expect(u.email).toMatch(/^office@gd-[a-z-]+\.example\.org$/);
  });
});
