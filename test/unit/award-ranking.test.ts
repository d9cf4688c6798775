import { type ApplicationForm, validateApplication } from '@shared/domain/application-form';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  AWARD_AMOUNT_RULE,
  awardAmount,
  FURTHER_TIE_BREAKS,
  instantMs,
  prioritiesByRanking,
  prioritiesMetOn,
  priorityMet,
  RANKED_PRIORITIES,
  type RankCandidate,
  rankCall,
  type RankedEntry,
  rankType,
  type TypeRanking,
} from '@shared/domain/award-ranking';
import { getProjectType, type ProjectType } from '@shared/domain/catalogue';
import { applicationScore } from '@shared/domain/scoring';
import { call, example, type Body } from '../support/fixtures';
import { seededRandom } from '../support/random';

const CALL = call();

function type(typeId: string): ProjectType {
  const t = getProjectType(CALL, typeId);
  if (!t) throw new Error(`no type ${typeId}`);
  return t;
}

/** The body through the product's own validation, as the ranking receives it. */
function form(body: Body): ApplicationForm {
  const r = validateApplication(CALL, body);
  if (!r.ok) throw new Error(`the example does not validate: ${JSON.stringify(r.issues)}`);
  return r.value;
}

/** A Lingnan forum meeting exactly the priority criteria named. */
function forum(meets: { coOrganised?: boolean; cityLink?: boolean; basicScience?: boolean } = {}): ApplicationForm {
  const b = example('lingnan-forum');
  b.coOrganisers = meets.coOrganised
    ? [{ name: '中国物理学会', kind: 'national-society' }]
    : [{ name: '广州某大学物理系', kind: 'other' }];
  if (!meets.cityLink) delete b.details.industryLinkCity;
  b.discipline.basicScience = meets.basicScience === true;
  return form(b);
}

function nanyue(matchingFundsCny?: number): ApplicationForm {
  const b = example('nanyue-platform');
  if (matchingFundsCny === undefined) delete b.budget.matchingFundsCny;
  else b.budget.matchingFundsCny = matchingFundsCny;
  return form(b);
}

function activityMonth(expertServiceGroups?: string[]): ApplicationForm {
  const b = example('activity-month');
  if (expertServiceGroups === undefined) delete b.details.expertServiceGroups;
  else b.details.expertServiceGroups = expertServiceGroups;
  return form(b);
}

const FORMS = new Map<string, ApplicationForm>();
function exampleForm(typeId: string): ApplicationForm {
  let f = FORMS.get(typeId);
  if (!f) FORMS.set(typeId, (f = form(example(typeId))));
  return f;
}

function candidate(id: string, f: ApplicationForm, totals: number[], more: Partial<RankCandidate> = {}): RankCandidate {
  return {
    applicationId: id,
    unitId: `unit-${id}`,
    title: `title of ${id}`,
    projectTypeId: f.projectTypeId,
    submittedAt: '2023-09-20T10:00:00+08:00',
    requestedCny: f.budget.requestedCny,
    form: f,
    totals,
    ...more,
  };
}

const ids = (r: TypeRanking) => r.entries.map((e) => e.applicationId);
const entry = (r: TypeRanking, id: string): RankedEntry => r.entries.find((e) => e.applicationId === id)!;

const EARLY = '2023-09-18T09:00:00+08:00';
const LATE = '2023-09-25T23:00:00+08:00';
/** Same score (80) with two spreads: B's is 0, A's is √(8/3). */
const WIDE = [78, 80, 82];
const NARROW = [80, 80, 80];

describe('priorityMet: the notice’s 同等条件下优先 criteria the form can show', () => {
  it('co-organised: a national society, city association, society alliance or leading enterprise, not "other"', () => {
    expect(priorityMet('co-organised', forum({ coOrganised: true }))).toBe(true);
    expect(priorityMet('co-organised', forum())).toBe(false);
    for (const kind of ['city-association', 'society-alliance', 'leading-enterprise']) {
      const b = example('lingnan-forum');
      b.coOrganisers = [{ name: '某单位', kind }];
      expect(priorityMet('co-organised', form(b))).toBe(true);
    }
    const none = example('lingnan-forum');
    delete none.coOrganisers;
    expect(priorityMet('co-organised', form(none))).toBe(false);
  });

  it('city-industry-link, basic-science, matching-funds, expert-service-groups', () => {
    expect(priorityMet('city-industry-link', forum({ cityLink: true }))).toBe(true);
    expect(priorityMet('city-industry-link', forum())).toBe(false);
    expect(priorityMet('basic-science', forum({ basicScience: true }))).toBe(true);
    expect(priorityMet('basic-science', forum())).toBe(false);
    expect(priorityMet('matching-funds', nanyue(50000))).toBe(true);
    expect(priorityMet('matching-funds', nanyue(0))).toBe(false);
    expect(priorityMet('matching-funds', nanyue())).toBe(false);
    expect(priorityMet('expert-service-groups', activityMonth(['院士工作站专家服务团']))).toBe(true);
    expect(priorityMet('expert-service-groups', activityMonth([]))).toBe(false);
    expect(priorityMet('expert-service-groups', activityMonth())).toBe(false);
    // a form kind without the field does not meet it
    expect(priorityMet('city-industry-link', nanyue(50000))).toBe(false);
  });

  it('is undefined for criteria that need evidence the 2024 form does not carry, and for unknown ids', () => {
    expect(priorityMet('media-relations-and-experience', exampleForm('communication-programme'))).toBeUndefined();
    expect(priorityMet('prior-association-projects', nanyue(50000))).toBeUndefined();
    expect(priorityMet('no-such-criterion', forum())).toBeUndefined();
    expect(priorityMet('constructor', forum())).toBeUndefined();
  });

  it('every priority of the 2024 call is either checkable or one of the two the form cannot show', () => {
    for (const t of CALL.projectTypes) {
      for (const p of t.priorities) {
        const met = priorityMet(p.id, exampleForm(t.typeId));
        if (['media-relations-and-experience', 'prior-association-projects'].includes(p.id))
          expect(met).toBeUndefined();
        else expect(typeof met).toBe('boolean');
      }
    }
  });
});

describe('tie-breaks, one per criterion of the notice, each recorded with its reason', () => {
  /**
   * A and B have the same score; A meets the criterion, B does not. B has the smaller spread and
   * submitted earlier, so only the priority criterion can put A first.
   */
  function priorityTie(typeId: string, meets: ApplicationForm, misses: ApplicationForm) {
    const r = rankType(type(typeId), [
      candidate('B', misses, NARROW, { submittedAt: EARLY }),
      candidate('A', meets, WIDE, { submittedAt: LATE }),
    ]);
    expect(ids(r)).toEqual(['A', 'B']);
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2]);
    expect(entry(r, 'A').tieBreak).toMatchObject({ with: ['B'], by: 'priority' });
    expect(entry(r, 'B').tieBreak).toMatchObject({ with: ['A'], by: 'priority' });
    return r;
  }

  it('Lingnan forum, co-organised (with a national society)', () => {
    const r = priorityTie('lingnan-forum', forum({ coOrganised: true }), forum());
    expect(entry(r, 'A').priorityMet).toEqual(['co-organised']);
    expect(entry(r, 'B').priorityMet).toEqual([]);
    expect(entry(r, 'A').tieBreak!.reason).toEqual({
      zh: 'A 与 B 同分，按“同等条件下优先”条件满足项数多者在前：前者 1 项（联合承办），后者 0 项。',
      en: 'A and B tie; by the priority criteria met, more first: the former meets 1 (co-organised), the latter 0.',
    });
    // both sides of the decision carry the same reason
    expect(entry(r, 'B').tieBreak!.reason).toBe(entry(r, 'A').tieBreak!.reason);
  });

  it('Lingnan forum, city-industry-link', () => {
    const r = priorityTie('lingnan-forum', forum({ cityLink: true }), forum());
    expect(entry(r, 'A').priorityMet).toEqual(['city-industry-link']);
    expect(entry(r, 'A').tieBreak!.reason).toEqual({
      zh: 'A 与 B 同分，按“同等条件下优先”条件满足项数多者在前：前者 1 项（结合地市产业），后者 0 项。',
      en: 'A and B tie; by the priority criteria met, more first: the former meets 1 (city-industry-link), the latter 0.',
    });
  });

  it('Lingnan forum, basic-science', () => {
    const r = priorityTie('lingnan-forum', forum({ basicScience: true }), forum());
    expect(entry(r, 'A').priorityMet).toEqual(['basic-science']);
    expect(entry(r, 'A').tieBreak!.reason).toEqual({
      zh: 'A 与 B 同分，按“同等条件下优先”条件满足项数多者在前：前者 1 项（基础学科），后者 0 项。',
      en: 'A and B tie; by the priority criteria met, more first: the former meets 1 (basic-science), the latter 0.',
    });
  });

  it('Lingnan forum: more criteria met beats fewer, and which were met is recorded', () => {
    const r = rankType(type('lingnan-forum'), [
      candidate('B', forum({ coOrganised: true }), NARROW, { submittedAt: EARLY }),
      candidate('A', forum({ coOrganised: true, cityLink: true, basicScience: true }), WIDE, { submittedAt: LATE }),
    ]);
    expect(ids(r)).toEqual(['A', 'B']);
    expect(entry(r, 'A').priorityMet).toEqual(['co-organised', 'city-industry-link', 'basic-science']);
    expect(entry(r, 'A').tieBreak!.reason).toEqual({
      zh: 'A 与 B 同分，按“同等条件下优先”条件满足项数多者在前：前者 3 项（联合承办、结合地市产业、基础学科），后者 1 项（联合承办）。',
      en: 'A and B tie; by the priority criteria met, more first: the former meets 3 (co-organised, city-industry-link, basic-science), the latter 1 (co-organised).',
    });
  });

  it('Nanyue platform, matching-funds (earlier association projects cannot be seen on the form and do not count)', () => {
    const r = priorityTie('nanyue-platform', nanyue(50000), nanyue(0));
    expect(entry(r, 'A').priorityMet).toEqual(['matching-funds']);
    expect(entry(r, 'A').tieBreak!.reason).toEqual({
      zh: 'A 与 B 同分，按“同等条件下优先”条件满足项数多者在前：前者 1 项（有配套资金），后者 0 项。',
      en: 'A and B tie; by the priority criteria met, more first: the former meets 1 (matching-funds), the latter 0.',
    });
  });

  it('Science and technology activity month, expert-service-groups', () => {
    const r = priorityTie('activity-month', activityMonth(['院士工作站专家服务团']), activityMonth([]));
    expect(entry(r, 'A').priorityMet).toEqual(['expert-service-groups']);
    expect(entry(r, 'A').tieBreak!.reason).toEqual({
      zh: 'A 与 B 同分，按“同等条件下优先”条件满足项数多者在前：前者 1 项（引入专业服务团），后者 0 项。',
      en: 'A and B tie; by the priority criteria met, more first: the former meets 1 (expert-service-groups), the latter 0.',
    });
    expect(r.entries.map((e) => e.awarded)).toEqual([true, false]);
  });

  it('then the smaller spread of expert scores (the spreads are in the entries)', () => {
    const f = forum({ coOrganised: true });
    const r = rankType(type('lingnan-forum'), [
      candidate('B', f, WIDE, { submittedAt: EARLY }),
      candidate('A', f, NARROW, { submittedAt: LATE }),
    ]);
    expect(ids(r)).toEqual(['A', 'B']);
    expect(entry(r, 'A').tieBreak).toEqual({
      with: ['B'],
      by: 'spread',
      reason: {
        zh: 'A 与 B 同分，满足优先条件项数相同，按专家评分离散度（标准差）小者在前。',
        en: 'A and B tie and meet as many priority criteria; the smaller spread of expert scores (standard deviation) ranks first.',
      },
    });
    expect(entry(r, 'B').tieBreak).toMatchObject({ with: ['A'], by: 'spread' });
    expect(r.entries.map((e) => e.spread)).toEqual([0, Math.sqrt(8 / 3)]);
  });

  it('equal numbers of criteria met, whichever they are, leave the tie to the spread', () => {
    const r = rankType(type('lingnan-forum'), [
      candidate('B', forum({ coOrganised: true }), WIDE),
      candidate('A', forum({ basicScience: true }), NARROW),
    ]);
    expect(ids(r)).toEqual(['A', 'B']);
    expect(entry(r, 'A').tieBreak!.by).toBe('spread');
  });

  it('then the earlier submission', () => {
    const f = forum();
    const r = rankType(type('lingnan-forum'), [
      candidate('B', f, WIDE, { submittedAt: LATE }),
      candidate('A', f, WIDE, { submittedAt: EARLY }),
    ]);
    expect(ids(r)).toEqual(['A', 'B']);
    expect(entry(r, 'A').tieBreak).toEqual({
      with: ['B'],
      by: 'submission',
      reason: {
        zh: 'A 与 B 同分，优先条件项数与评分离散度均相同，按提交时间早者在前：前者 2023-09-18T09:00:00+08:00，后者 2023-09-25T23:00:00+08:00。',
        en: 'A and B tie with as many priority criteria and the same spread; by the earlier submission: the former 2023-09-18T09:00:00+08:00, the latter 2023-09-25T23:00:00+08:00.',
      },
    });
  });

  it('compares submission instants, not their text (offsets differ)', () => {
    const f = forum();
    const r = rankType(type('lingnan-forum'), [
      candidate('B', f, WIDE, { submittedAt: '2023-09-20T09:00:00+08:00' }), // 01:00Z
      candidate('A', f, WIDE, { submittedAt: '2023-09-20T00:30:00Z' }),
    ]);
    expect(ids(r)).toEqual(['A', 'B']);
    expect(entry(r, 'A').tieBreak!.by).toBe('submission');
  });

  it('scores within 1e-9 are tied (floating-point noise), scores further apart are not', () => {
    const f = forum();
    const noisy = [64.6, 96.1, 79.3]; // adds up to 240, but its mean in floating point is 79.99999999999999
    expect(applicationScore(noisy)!.score).not.toBe(80);
    const tied = rankType(type('lingnan-forum'), [
      candidate('B', f, NARROW, { submittedAt: LATE }),
      candidate('A', f, noisy, { submittedAt: EARLY }),
    ]);
    expect(tied.entries.map((e) => [e.applicationId, e.tieBreak?.by])).toEqual([
      ['B', 'spread'],
      ['A', 'spread'],
    ]);
    const apart = rankType(type('lingnan-forum'), [candidate('B', f, [80, 80, 80.01]), candidate('A', f, NARROW)]);
    expect(ids(apart)).toEqual(['B', 'A']);
    expect(apart.entries.every((e) => e.tieBreak === undefined)).toBe(true);
  });

  it('in a group of three each entry records the tie-break with its neighbour', () => {
    const r = rankType(type('lingnan-forum'), [
      candidate('C', forum(), WIDE),
      candidate('X', forum(), [90, 90, 90]),
      candidate('B', forum(), NARROW),
      candidate('A', forum({ basicScience: true }), WIDE),
      candidate('Y', forum(), [70, 70, 70]),
    ]);
    expect(r.entries.map((e) => [e.rank, e.applicationId, e.tieBreak?.with, e.tieBreak?.by])).toEqual([
      [1, 'X', undefined, undefined],
      [2, 'A', ['B'], 'priority'],
      [3, 'B', ['A'], 'priority'],
      [4, 'C', ['B'], 'spread'],
      [5, 'Y', undefined, undefined],
    ]);
  });

  it('identical in every criterion and instant: ordered by application id, and said so', () => {
    const r = rankType(type('lingnan-forum'), [candidate('app-2', forum(), WIDE), candidate('app-1', forum(), WIDE)]);
    expect(ids(r)).toEqual(['app-1', 'app-2']);
    expect(entry(r, 'app-1').tieBreak!.by).toBe('submission');
    expect(entry(r, 'app-1').tieBreak!.reason.en).toContain('ordered by application id');
  });
});

describe('the quota and the funding', () => {
  it('awards the quota from the top; an unfilled quota stays unfilled (10 forum places, 7 scored → 3 unfilled)', () => {
    const f = exampleForm('lingnan-forum');
    const scored = Array.from({ length: 7 }, (_, i) => candidate(`f${i}`, f, [60 + i, 61 + i, 62 + i]));
    const short = [candidate('s1', f, [90, 90]), candidate('s0', f, [])];
    const r = rankType(type('lingnan-forum'), [...short, ...scored]);
    expect(r).toMatchObject({ typeId: 'lingnan-forum', quota: 10, awarded: 7, unfilled: 3 });
    expect(ids(r)).toEqual(['f6', 'f5', 'f4', 'f3', 'f2', 'f1', 'f0']);
    expect(r.entries.every((e) => e.awarded && e.amountCny === 100000)).toBe(true);
    expect(r.notScored).toEqual([
      { applicationId: 's0', reason: '0 expert score(s); at least 3 are needed' },
      { applicationId: 's1', reason: '2 expert score(s); at least 3 are needed' },
    ]);
  });

  it('with more scored than places, the rest are ranked but not awarded, with no money', () => {
    const f = exampleForm('lingnan-forum');
    const r = rankType(
      type('lingnan-forum'),
      Array.from({ length: 12 }, (_, i) =>
        candidate(`f${String(i).padStart(2, '0')}`, f, [70 + i, 70 + i, 70 + i, 50, 100]),
      ),
    );
    expect(r).toMatchObject({ quota: 10, awarded: 10, unfilled: 0 });
    expect(r.entries.map((e) => [e.rank, e.awarded, e.amountCny])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [i + 1, true, 100000]),
      [11, false, 0],
      [12, false, 0],
    ]);
    expect(r.entries[0]).toMatchObject({ applicationId: 'f11', score: 81, spread: 0 });
  });

  it('public-service capacity (5–10万): the requested amount, clamped into the range', () => {
    const f = exampleForm('public-service-capacity');
    const requests: [string, number, number][] = [
      ['p-80k', 80000, 80000],
      ['p-50k', 50000, 50000],
      ['p-100k', 100000, 100000],
      ['p-120k', 120000, 100000],
      ['p-30k', 30000, 50000],
    ];
    const r = rankType(
      type('public-service-capacity'),
      requests.map(([id, req], i) => candidate(id, f, [90 - i, 90 - i, 90 - i], { requestedCny: req })),
    );
    expect(r).toMatchObject({ quota: 15, awarded: 5, unfilled: 10 });
    expect(r.entries.map((e) => [e.applicationId, e.amountCny])).toEqual(
      requests.map(([id, , amount]) => [id, amount]),
    );
  });

  it('every fixed-funding type awards its amount to a full request, and no more than a smaller request (通知二(一))', () => {
    for (const t of CALL.projectTypes) {
      if (t.funding.kind !== 'fixed') continue;
      const full = t.funding.amountCny;
      for (const requestedCny of [full, full - 10000, 1]) {
        const r = rankType(t, [candidate('only', exampleForm(t.typeId), [80, 80, 80], { requestedCny })]);
        expect(r.entries[0]).toMatchObject({ awarded: true, requestedCny, amountCny: requestedCny });
        expect(awardAmount(t, requestedCny)).toBe(requestedCny);
      }
      expect(awardAmount(t, full + 1)).toBe(full);
    }
  });

  it('a forum asking 8万 of its 10万 is awarded 8万, and the type total counts 8万', () => {
    const f = exampleForm('lingnan-forum');
    const r = rankType(type('lingnan-forum'), [
      candidate('a', f, [90, 90, 90]),
      candidate('b', f, [80, 80, 80], { requestedCny: 80000 }),
    ]);
    expect(r.entries.map((e) => [e.applicationId, e.requestedCny, e.amountCny])).toEqual([
      ['a', 100000, 100000],
      ['b', 80000, 80000],
    ]);
    expect(r.entries.reduce((sum, e) => sum + e.amountCny, 0)).toBe(180000);
  });

  it('states the rule as the product reading of 二(一), not as the notice', () => {
    expect(AWARD_AMOUNT_RULE.zh).toContain('立项金额不超过申请预算');
    expect(AWARD_AMOUNT_RULE.zh).toContain('本系统对通知二(一)');
    expect(AWARD_AMOUNT_RULE.en).toContain("this product's reading");
  });
});

describe('rankCall', () => {
  it('ranks every type of the call, in the call’s order; a type with no candidates has its whole quota unfilled', () => {
    const cs = [
      candidate('n1', nanyue(0), [80, 80, 80]),
      candidate('n2', nanyue(10000), [80, 80, 80]),
      candidate('f1', forum(), [70, 75, 80, 85, 90]),
      candidate('a1', activityMonth(), [88, 86, 87]),
    ];
    const rs = rankCall(CALL, cs);
    expect(rs.map((r) => r.typeId)).toEqual(CALL.projectTypes.map((t) => t.typeId));
    const by = Object.fromEntries(rs.map((r) => [r.typeId, r]));
    expect(ids(by['nanyue-platform'])).toEqual(['n2', 'n1']);
    expect(by['nanyue-platform']).toMatchObject({ quota: 1, awarded: 1, unfilled: 0 });
    expect(by['lingnan-forum']).toMatchObject({ awarded: 1, unfilled: 9 });
    expect(by['lingnan-forum'].entries[0].score).toBe(80);
    expect(by['party-publicity']).toMatchObject({ quota: 1, awarded: 0, unfilled: 1, entries: [], notScored: [] });
  });

  it('is deterministic: the same candidates in another order give the same ranking', () => {
    const rng = seededRandom(7);
    const cs = randomCandidates(rng, 300);
    const first = rankCall(CALL, cs);
    const shuffled = shuffle(rng, cs);
    expect(rankCall(CALL, shuffled)).toEqual(first);
  });

  it('refuses candidates that are not data of the call or the type', () => {
    const f = forum();
    expect(() => rankCall(CALL, [{ ...candidate('x', f, NARROW), projectTypeId: 'no-such-type' }])).toThrow(
      /no-such-type, not in the call/,
    );
    expect(() => rankType(type('nanyue-platform'), [candidate('x', f, NARROW)])).toThrow(/x is of type lingnan-forum/);
    const twice = candidate('x', f, NARROW);
    expect(() => rankType(type('lingnan-forum'), [twice, candidate('y', f, WIDE), twice])).toThrow(/x appears twice/);
    expect(() => rankType(type('lingnan-forum'), [candidate('x', f, NARROW, { submittedAt: 'yesterday' })])).toThrow(
      /submittedAt that is not an ISO instant/,
    );
    expect(() => rankType(type('lingnan-forum'), [candidate('x', f, [80, NaN, 80])])).toThrow(RangeError);
  });
});

describe('instantMs: submission instants read without Date.parse', () => {
  it.each([
    '2023-09-25T23:59:59.999+08:00',
    '2023-09-25T23:59:59+08:00',
    '2023-09-20T01:00:00Z',
    '2023-09-20T01:00:00.5Z',
    '2023-09-20T01:00:00.25-05:30',
    '2024-02-29T12:00:00+08:00',
    '2000-02-29T00:00:00Z',
  ])('%s as Date.parse reads it', (iso) => {
    expect(instantMs(iso)).toBe(Date.parse(iso));
  });

  it.each([
    '2023-09-25',
    '2023-09-25T23:59:59',
    '2023-09-25 23:59:59+08:00',
    '2023-02-29T12:00:00+08:00',
    '1900-02-29T12:00:00Z',
    '2023-04-31T12:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-09-25T24:00:00Z',
    '2023-09-25T23:60:00Z',
    '2023-09-25T23:59:59.Z',
    '2023-09-25T23:59:59.1234Z',
    '2023-09-25T23:59:59+0800',
    '2023-09-25T23:59:59+08:00x',
    'yesterday',
  ])('%s is not an ISO instant with an offset', (text) => {
    expect(instantMs(text)).toBeNaN();
  });
});

// ---------------------------------------------------------------------------------------------
// Property test: random candidates from a seeded PRNG

function shuffle<T>(rng: () => number, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** Forms of every type, with the checkable priorities met in every combination for the forum. */
function formPool(): ApplicationForm[] {
  const pool = CALL.projectTypes.map((t) => exampleForm(t.typeId));
  for (let m = 0; m < 8; m++)
    pool.push(forum({ coOrganised: (m & 1) > 0, cityLink: (m & 2) > 0, basicScience: (m & 4) > 0 }));
  pool.push(nanyue(0), nanyue(30000), activityMonth([]), activityMonth(['省级学会科技服务站专家团']));
  return pool;
}

function randomCandidates(rng: () => number, n: number): RankCandidate[] {
  const pool = formPool();
  const instants = [
    '2023-09-18T09:00:00+08:00',
    '2023-09-20T15:30:00+08:00',
    '2023-09-25T23:59:59.999+08:00',
    '2023-09-20T07:30:00Z',
  ];
  return Array.from({ length: n }, (_, i) => {
    const f = pick(rng, pool);
    const count = Math.floor(rng() * 8); // 0..7 totals: some not scored, some trimmed
    // a coarse grid makes ties common; a fine one (0.05) adds floating-point near-ties
    const coarse = rng() < 0.5;
    const totals = Array.from({ length: count }, () =>
      coarse ? 60 + 5 * Math.floor(rng() * 8) : Math.round((78 + rng() * 4) * 20) / 20,
    );
    return candidate(`app-${String(i).padStart(4, '0')}`, f, totals, {
      submittedAt: pick(rng, instants),
      requestedCny: 30000 + 10000 * Math.floor(rng() * 10),
    });
  });
}

describe('property: random candidates (seeded)', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i', (seed) => {
    const rng = seededRandom(seed);
    const cs = randomCandidates(rng, 20 + Math.floor(rng() * 300));
    const rs = rankCall(CALL, cs);
    let seen = 0;
    for (const r of rs) {
      const t = type(r.typeId);
      const mine = cs.filter((c) => c.projectTypeId === r.typeId);
      seen += r.entries.length + r.notScored.length;
      // exactly the candidates with fewer than 3 totals are not scored
      expect(r.notScored.map((x) => x.applicationId).sort()).toEqual(
        mine
          .filter((c) => c.totals.length < 3)
          .map((c) => c.applicationId)
          .sort(),
      );
      // awarded ≤ quota, and the counts add up
      const awarded = r.entries.filter((e) => e.awarded).length;
      expect(awarded).toBe(r.awarded);
      expect(r.awarded).toBeLessThanOrEqual(r.quota);
      expect(r.awarded).toBe(Math.min(r.quota, r.entries.length));
      expect(r.unfilled).toBe(r.quota - r.awarded);
      // ranks are a permutation 1..n, in order
      expect(r.entries.map((e) => e.rank)).toEqual(r.entries.map((_, i) => i + 1));
      // every awarded entry ranks above every non-awarded one
      const firstOut = r.entries.findIndex((e) => !e.awarded);
      if (firstOut >= 0) expect(r.entries.slice(firstOut).every((e) => !e.awarded && e.amountCny === 0)).toBe(true);
      for (let i = 0; i < r.entries.length; i++) {
        const e = r.entries[i];
        const c = mine.find((x) => x.applicationId === e.applicationId)!;
        expect(e.score).toBe(applicationScore(c.totals)!.score);
        // the amount: never more than the request; a fixed type's amount at most, a range type's request
        if (e.awarded) {
          const f = t.funding;
          expect(e.amountCny).toBe(
            f.kind === 'fixed'
              ? Math.min(f.amountCny, c.requestedCny)
              : Math.min(f.maxCny, Math.max(f.minCny, c.requestedCny)),
          );
        }
        // priorities met are the type's, as the form shows them
        expect(e.priorityMet).toEqual(t.priorities.filter((p) => priorityMet(p.id, c.form!) === true).map((p) => p.id));
        if (i === 0) continue;
        const prev = r.entries[i - 1];
        // sorted by score (ties within 1e-9)
        expect(prev.score).toBeGreaterThanOrEqual(e.score - 1e-9);
        const tied = Math.abs(prev.score - e.score) <= 1e-9;
        if (!tied) {
          expect(e.tieBreak === undefined || e.tieBreak.with[0] !== prev.applicationId).toBe(true);
          continue;
        }
        // within a tie: more priorities met, then smaller spread, then earlier submission
        expect(e.tieBreak).toMatchObject({ with: [prev.applicationId] });
        expect(prev.priorityMet.length).toBeGreaterThanOrEqual(e.priorityMet.length);
        const pc = mine.find((x) => x.applicationId === prev.applicationId)!;
        if (prev.priorityMet.length > e.priorityMet.length) {
          expect(e.tieBreak!.by).toBe('priority');
        } else if (Math.abs(prev.spread - e.spread) > 1e-6) {
          expect(prev.spread).toBeLessThan(e.spread);
          expect(e.tieBreak!.by).toBe('spread');
        } else {
          expect(Date.parse(pc.submittedAt)).toBeLessThanOrEqual(Date.parse(c.submittedAt));
          expect(e.tieBreak!.by).toBe('submission');
        }
        for (const text of [e.tieBreak!.reason.zh, e.tieBreak!.reason.en]) {
          expect(text).toContain(prev.applicationId);
          expect(text).toContain(e.applicationId);
        }
      }
    }
    expect(seen).toBe(cs.length);
  });
});

describe('ranking from the criteria read once at scoring, not the whole form', () => {
  it.each([1, 2, 3, 4, 5])('gives the very same ranking as from the forms (seed %i)', (seed) => {
    const cs = randomCandidates(seededRandom(seed), 200);
    const compact = cs.map(({ form, ...rest }) => ({
      ...rest,
      prioritiesMet: prioritiesMetOn(type(rest.projectTypeId), form!),
    }));
    expect(rankCall(CALL, compact)).toEqual(rankCall(CALL, cs));
  });
});

describe('the call data and the ranking agree on what the ranking applies', () => {
  const SEEDS = ['call-2024.json', 'call-2025.json'].map((file) => ({
    file,
    raw: JSON.parse(readFileSync(path.resolve(__dirname, '../../seeds', file), 'utf8')) as {
      projectTypes: { typeId: string; priorities: Record<string, unknown>[] }[];
      awardRanking: { furtherTieBreaks: { id: string }[] };
    },
  }));

  it.each(SEEDS)('$file: every priority says whether it is applied, and says it truly', ({ raw }) => {
    const said = raw.projectTypes.flatMap((t) => t.priorities.map((p) => [t.typeId, p.id, p.applied]));
    expect(said.length).toBeGreaterThan(0);
    for (const [typeId, id, applied] of said) {
      expect([typeId, id, typeof applied]).toEqual([typeId, id, 'boolean']);
      expect([typeId, id, applied]).toEqual([typeId, id, RANKED_PRIORITIES.has(id as string)]);
    }
  });

  it('every priority the code claims to apply is read from the form: met by one form, not by another', () => {
    const forms: Record<string, [ApplicationForm, ApplicationForm]> = {
      'co-organised': [forum({ coOrganised: true }), forum()],
      'city-industry-link': [forum({ cityLink: true }), forum()],
      'basic-science': [forum({ basicScience: true }), forum()],
      'matching-funds': [nanyue(50000), nanyue()],
      'expert-service-groups': [activityMonth(['院士工作站']), activityMonth()],
    };
    expect(Object.keys(forms).sort()).toEqual([...RANKED_PRIORITIES].sort());
    for (const [id, [meets, misses]] of Object.entries(forms)) {
      expect([id, priorityMet(id, meets), priorityMet(id, misses)]).toEqual([id, true, false]);
    }
    // the two the form cannot show: never counted
    for (const id of ['media-relations-and-experience', 'prior-association-projects'])
      expect(priorityMet(id, exampleForm('lingnan-forum'))).toBeUndefined();
  });

  it.each(SEEDS)('$file: the further tie-breaks listed as assumptions are the ranking’s, in its order', ({ raw }) => {
    expect(raw.awardRanking.furtherTieBreaks.map((b) => b.id)).toEqual([...FURTHER_TIE_BREAKS]);
  });

  it('a priority the call data marks not applied is never counted, even where the form could show it', () => {
    const t = type('nanyue-platform');
    const off: ProjectType = { ...t, priorities: t.priorities.map((p) => ({ ...p, applied: false })) };
    expect(prioritiesMetOn(off, nanyue(50000))).toEqual([]);
    const r = rankType(off, [
      candidate('with', nanyue(50000), [80, 80, 80]),
      candidate('without', nanyue(), [80, 80, 80], { submittedAt: EARLY }),
    ]);
    expect(r.entries.map((e) => [e.applicationId, e.priorityMet])).toEqual([
      ['without', []],
      ['with', []],
    ]);
    expect(prioritiesByRanking(off)).toEqual({ applied: [], notApplied: off.priorities });
    expect(prioritiesByRanking(t).notApplied.map((p) => p.id)).toEqual(['prior-association-projects']);
  });
});
