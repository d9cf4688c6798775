import { validateApplication } from '@shared/domain/application-form';
import { listSeedUnits } from '@shared/domain/catalogue';
import {
  type AssignmentResult,
  type ReviewCandidate,
  assignExperts,
  candidateFromForm,
  conflictOf,
  disciplineKeys,
  disciplineMatches,
  nextExpert,
  personKey,
} from '@shared/domain/expert-assignment';
import { type Expert, ExpertPoolSchema, listSeedExperts, parseExpertPool } from '@shared/domain/experts';
import experts from '@seeds/experts.json';
import { call, example } from '../support/fixtures';
import { seededRandom } from '../support/random';

// ---------------------------------------------------------------------------------------------
// Helpers

function expert(id: string, over: Partial<Expert> = {}): Expert {
  return {
    expertId: id,
    name: `专家${id}`,
    email: `${id}@pool.example.org`,
    affiliation: '中山大学',
    unitIds: [],
    disciplines: ['物理学'],
    maxLoad: 10,
    ...over,
  };
}

function candidate(id: string, over: Partial<ReviewCandidate> = {}): ReviewCandidate {
  return { applicationId: id, unitId: 'unit-a', discipline: '物理学', namedPeople: [], expertsToAvoid: [], ...over };
}

function assigned(result: AssignmentResult): Map<string, string[]> {
  if (!result.ok) throw new Error(`expected an assignment, got ${JSON.stringify(result.unserved)}`);
  return result.assignments;
}

/**
 * Checks every rule that must never break; answers the final load per expert. `load` is the
 * load before (it already counts the kept experts).
 */
function expectRulesHold(
  result: AssignmentResult,
  candidates: ReviewCandidate[],
  pool: Expert[],
  k: number,
  load = new Map<string, number>(),
) {
  const assignments = assigned(result);
  const byId = new Map(pool.map((e) => [e.expertId, e]));
  const final = new Map(load);
  expect([...assignments.keys()]).toEqual(candidates.map((c) => c.applicationId));
  for (const c of candidates) {
    const list = assignments.get(c.applicationId)!;
    expect(list).toHaveLength(k);
    expect(new Set(list).size).toBe(k);
    const keptIds = c.assigned ?? [];
    expect(list.slice(0, keptIds.length)).toEqual(keptIds);
    for (const id of list) {
      const e = byId.get(id);
      expect(e).toBeDefined();
      expect(conflictOf(e!, c)).toBeUndefined();
    }
    for (const id of list.slice(keptIds.length)) final.set(id, (final.get(id) ?? 0) + 1);
  }
  for (const [id, l] of final) {
    const e = byId.get(id);
    if (e && l > (load.get(id) ?? 0)) expect(l).toBeLessThanOrEqual(e.maxLoad);
  }
  return final;
}

/**
 * Whether every candidate can be served, by an independent max flow (Ford–Fulkerson, DFS):
 * source → application (its open places) → eligible expert (1) → sink (capacity left).
 */
function feasible(candidates: ReviewCandidate[], pool: Expert[], k: number, load = new Map<string, number>()): boolean {
  const need = candidates.map((c) => k - (c.assigned?.length ?? 0));
  const left = pool.map((e) => Math.max(0, e.maxLoad - (load.get(e.expertId) ?? 0)));
  const edge = candidates.map((c) =>
    pool.map((e) => !(c.assigned ?? []).includes(e.expertId) && conflictOf(e, c) === undefined),
  );
  const holder: number[][] = pool.map(() => []); // applications holding each expert
  const used = candidates.map(() => new Set<number>());
  const tryApp = (a: number, seenExperts: Set<number>): boolean => {
    for (let e = 0; e < pool.length; e++) {
      if (!edge[a][e] || used[a].has(e) || seenExperts.has(e)) continue;
      seenExperts.add(e);
      if (holder[e].length < left[e]) {
        holder[e].push(a);
        used[a].add(e);
        return true;
      }
      for (const b of [...holder[e]]) {
        // b gives e up if it can find someone else; then a takes e
        if (tryApp(b, seenExperts)) {
          holder[e].splice(holder[e].indexOf(b), 1);
          used[b].delete(e);
          holder[e].push(a);
          used[a].add(e);
          return true;
        }
      }
    }
    return false;
  };
  let flow = 0;
  for (let a = 0; a < candidates.length; a++) for (let i = 0; i < need[a]; i++) if (tryApp(a, new Set())) flow++;
  return flow === need.reduce((s, n) => s + n, 0);
}

const NAMES = ['王伟', '李娜', '张敏', '刘洋', '陈静', '杨磊', '黄丽', '赵强', '吴婷', '周杰', '徐芳', '孙浩'];
const FIELDS = ['物理学', '化学', '农学', '党建', '电子信息'];

/**
 * A random small call: a pool (homonyms, units, caps, loads), applications, maybe kept experts.
 * A tight case has small caps and more memberships: capacity is scarce and conflicts dense, so
 * the greedy pass often leaves an application short and the repair (augmenting paths) must work.
 */
function randomCase(seed: number, tight = false) {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: T[]) => list[int(0, list.length - 1)];
  const k = int(1, 5);
  const units = Array.from({ length: int(1, 6) }, (_, i) => `unit-${i}`);
  const pool: Expert[] = Array.from({ length: int(3, 30) }, (_, i) =>
    expert(`e${String(i).padStart(2, '0')}`, {
      name: pick(NAMES),
      unitIds: [...new Set(Array.from({ length: int(0, tight ? 3 : 2) }, () => pick(units)))],
      disciplines: [...new Set(Array.from({ length: int(1, 2) }, () => pick(FIELDS)))],
      maxLoad: int(1, tight ? 3 : 8),
    }),
  );
  const load = new Map<string, number>();
  for (const e of pool) if (random() < 0.3) load.set(e.expertId, int(0, e.maxLoad));
  // A tight case asks for a little less than the pool can give.
  const capacity = pool.reduce((sum, e) => sum + e.maxLoad - (load.get(e.expertId) ?? 0), 0);
  const count = tight ? Math.max(1, Math.floor(capacity / k / (1 + random() * 0.1))) : int(1, 25);
  const candidates: ReviewCandidate[] = Array.from({ length: count }, (_, i) => ({
    applicationId: `app-${String(i).padStart(2, '0')}`,
    unitId: pick(units),
    discipline: random() < 0.2 ? `${pick(FIELDS)}（应用）` : pick(FIELDS),
    namedPeople: Array.from({ length: int(0, 3) }, () =>
      random() < 0.5 ? pick(NAMES) : ` ${pick(NAMES).split('').join(' ')} `,
    ),
    expertsToAvoid: Array.from({ length: int(0, 3) }, () => pick(NAMES)),
  }));
  // Sometimes an application already has eligible experts, counted in the load.
  for (const c of candidates) {
    if (random() >= 0.15) continue;
    const eligible = pool.filter((e) => conflictOf(e, c) === undefined && (load.get(e.expertId) ?? 0) < e.maxLoad);
    const keep = eligible.slice(0, int(1, k)).map((e) => e.expertId);
    for (const id of keep) load.set(id, (load.get(id) ?? 0) + 1);
    if (keep.length > 0) c.assigned = keep;
  }
  return { k, pool, load, candidates };
}

// ---------------------------------------------------------------------------------------------
// Properties

describe('assignExperts: properties over 200 random pools and applications', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => [1000 + i, i % 2 === 1] as const);
  let served = 0;
  let refused = 0;

  it.each(seeds)(
    'seed %i (tight: %s): rules hold when it assigns; infeasible exactly when no assignment exists',
    (seed, tight) => {
      const { k, pool, load, candidates } = randomCase(seed, tight);
      const result = assignExperts(candidates, pool, { perApplication: k, load });
      expect(result.ok).toBe(feasible(candidates, pool, k, load));
      if (result.ok) {
        served++;
        expectRulesHold(result, candidates, pool, k, load);
        expect(result.summary.applications).toBe(candidates.length);
      } else {
        refused++;
        expect(result).not.toHaveProperty('assignments');
        const ids = result.unserved.map((u) => u.applicationId);
        expect(ids.length).toBeGreaterThan(0);
        expect(new Set(ids).size).toBe(ids.length);
        for (const u of result.unserved) {
          expect(candidates.map((c) => c.applicationId)).toContain(u.applicationId);
          expect(u.reason.length).toBeGreaterThan(10);
        }
        // Every application not listed can be served: the list is complete.
        const rest = candidates.filter((c) => !ids.includes(c.applicationId));
        expectRulesHold(assignExperts(rest, pool, { perApplication: k, load }), rest, pool, k, load);
      }
      // Same input, same output; the inputs are left as they were.
      const again = assignExperts(candidates, pool, { perApplication: k, load });
      expect(again).toEqual(result);
      expect(randomCase(seed, tight)).toEqual({ k, pool, load, candidates });
    },
  );

  afterAll(() => {
    // Both outcomes are exercised (the seeds are fixed, so this is stable).
    expect(served).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});

// ---------------------------------------------------------------------------------------------
// Targeted cases

describe('assignExperts: conflicts are never broken', () => {
  it('never assigns a member of the applying unit, even the least-loaded expert of the discipline', () => {
    const pool = [
      expert('e1', { unitIds: ['unit-a'], disciplines: ['物理学'] }),
      ...['e2', 'e3', 'e4'].map((id) => expert(id, { disciplines: ['化学'] })),
    ];
    const result = assignExperts([candidate('a1')], pool, { perApplication: 3 });
    expect(assigned(result).get('a1')).toEqual(['e2', 'e3', 'e4']);
  });

  it('never assigns a person the application names (a speaker, whatever the spacing)', () => {
    const body = example('lingnan-forum');
    const form = validateApplication(call(), body);
    if (!form.ok) throw new Error('the example must be valid');
    const c = candidateFromForm('lf-1', 'gd-chemistry-society', form.value);
    const pool = [
      expert('e1', { name: '王 建华' }),
      expert('e2', { name: ' 王建华 ' }),
      ...['e3', 'e4', 'e5'].map((id) => expert(id)),
    ];
    expect(conflictOf(pool[0], c)).toBe('named in the application (王建华)');
    expect(assigned(assignExperts([c], pool, { perApplication: 3 })).get('lf-1')).toEqual(['e3', 'e4', 'e5']);
  });

  it('respects expertsToAvoid (by name, whitespace-insensitive, or by email)', () => {
    const pool = [
      expert('e1', { name: '李 娜' }),
      expert('e2', { email: 'Zhang@pool.example.org' }),
      expert('e3'),
      expert('e4'),
    ];
    const c = candidate('a1', { expertsToAvoid: ['李娜\u3000', 'zhang@pool.example.org'] });
    expect(conflictOf(pool[0], c)).toBe('the applying unit asked to avoid them (李娜)');
    expect(conflictOf(pool[1], c)).toMatch(/asked to avoid/);
    expect(assigned(assignExperts([c], pool, { perApplication: 2 })).get('a1')).toEqual(['e3', 'e4']);
  });

  it('reports an application every expert is conflicted with, assigns nothing, and lists it alone', () => {
    const pool = [
      expert('e1', { unitIds: ['unit-b'] }),
      expert('e2', { unitIds: ['unit-b'] }),
      expert('e3', { name: '张敏' }),
      expert('e4'),
      expert('e5', { name: '周杰' }),
    ];
    const candidates = [
      candidate('a1'),
      candidate('a2', { unitId: 'unit-b', namedPeople: ['张敏'], expertsToAvoid: ['周杰'] }),
      candidate('a3'),
    ];
    const result = assignExperts(candidates, pool, { perApplication: 2 });
    expect(result).toEqual({
      ok: false,
      unserved: [
        {
          applicationId: 'a2',
          reason:
            'only 1 experts in the pool are free of conflict for 2 places (2 belong to unit-b, 2 are named in the application or to be avoided)',
        },
      ],
    });
  });

  it('reports too little capacity, with nothing assigned, and every application it cannot serve', () => {
    const pool = ['e1', 'e2', 'e3'].map((id) => expert(id, { maxLoad: 3 }));
    const candidates = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => candidate(id));
    const result = assignExperts(candidates, pool, { perApplication: 3 });
    if (result.ok) throw new Error('9 places cannot serve 15');
    expect(result.unserved.map((u) => u.applicationId)).toEqual(['a4', 'a5']);
    expect(result.unserved[0].reason).toMatch(/^the pool has 9 review places left but the applications need 15/);
  });

  it('counts the existing load: an expert at its cap is not assigned', () => {
    const pool = ['e1', 'e2', 'e3'].map((id) => expert(id, { maxLoad: 2 }));
    const load = new Map([['e1', 2]]);
    const result = assignExperts([candidate('a1'), candidate('a2')], pool, { perApplication: 2, load });
    expect(assigned(result).get('a1')).toEqual(['e2', 'e3']);
    expect(assigned(result).get('a2')).toEqual(['e2', 'e3']);
    expect(result.ok && result.summary.load).toEqual({ min: 2, max: 2, mean: 2 });
    const short = assignExperts([candidate('a1')], pool, { perApplication: 3, load });
    expect(short).toEqual({
      ok: false,
      unserved: [{ applicationId: 'a1', reason: 'only 2 eligible experts with capacity left for 3 places' }],
    });
    expect(load).toEqual(new Map([['e1', 2]]));
  });

  it('moves experts between applications when the greedy pass alone would leave one short', () => {
    // One place each. Greedy (a1, a2, a3) gives e1 to a1 and e3 to a2; a3 cannot take e2 (its
    // unit's member) and would be short. The augmenting path: a3 takes e1, a1 takes e2 instead.
    const pool = [
      expert('e1', { maxLoad: 1 }),
      expert('e2', { maxLoad: 1, unitIds: ['unit-2'] }),
      expert('e3', { maxLoad: 1, unitIds: ['unit-1'] }),
    ];
    const candidates = [
      candidate('a1', { unitId: 'unit-1' }),
      candidate('a2', { unitId: 'unit-2', namedPeople: ['专家e2'] }),
      candidate('a3', { unitId: 'unit-2', discipline: '化学' }),
    ];
    const result = assignExperts(candidates, pool, { perApplication: 1 });
    expectRulesHold(result, candidates, pool, 1);
    expect([...assigned(result)]).toEqual([
      ['a1', ['e2']],
      ['a2', ['e3']],
      ['a3', ['e1']],
    ]);
  });

  it('keeps experts already assigned and adds the rest; a kept expert in conflict is reported', () => {
    const pool = ['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => expert(id));
    const load = new Map([['e4', 1]]);
    const result = assignExperts([candidate('a1', { assigned: ['e4'] })], pool, { perApplication: 3, load });
    expect(assigned(result).get('a1')).toEqual(['e4', 'e1', 'e2']);
    const conflicted = assignExperts([candidate('a1', { assigned: ['e4'], expertsToAvoid: ['专家e4'] })], pool, {
      perApplication: 3,
      load,
    });
    expect(conflicted).toEqual({
      ok: false,
      unserved: [
        {
          applicationId: 'a1',
          reason: 'its assigned expert e4 has a conflict: the applying unit asked to avoid them (专家e4)',
        },
      ],
    });
  });

  it('refuses malformed input', () => {
    expect(() => assignExperts([], [], { perApplication: 0 })).toThrow(RangeError);
    expect(() => assignExperts([], [expert('e1'), expert('e1')], { perApplication: 1 })).toThrow(/e1 appears twice/);
    expect(() => assignExperts([candidate('a'), candidate('a')], [expert('e1')], { perApplication: 1 })).toThrow(
      /a appears twice/,
    );
    expect(() => assignExperts([], [expert('e1')], { perApplication: 1, load: new Map([['e1', -1]]) })).toThrow(
      RangeError,
    );
  });
});

describe('assignExperts: preferences', () => {
  it('prefers the discipline when its experts have capacity, and falls back to others when not', () => {
    const pool = [
      ...['p1', 'p2', 'p3'].map((id) => expert(id, { disciplines: ['物理学'], maxLoad: 2 })),
      ...['c1', 'c2', 'c3'].map((id) => expert(id, { disciplines: ['化学'], maxLoad: 2 })),
    ];
    const result = assignExperts(
      [candidate('a1', { discipline: '物理学（量子科技）' }), candidate('a2'), candidate('a3')],
      pool,
      { perApplication: 3 },
    );
    const a = assigned(result);
    expect(a.get('a1')).toEqual(['p1', 'p2', 'p3']);
    expect(a.get('a2')).toEqual(['p1', 'p2', 'p3']);
    expect(a.get('a3')).toEqual(['c1', 'c2', 'c3']);
    expect(result.ok && result.summary).toEqual({
      applications: 3,
      expertsUsed: 6,
      load: { min: 1, max: 2, mean: 1.5 },
      disciplineMatchRate: 0.6667,
    });
  });

  it('spreads the load evenly: max − min ≤ 1 when caps and disciplines are uniform', () => {
    const pool = Array.from({ length: 37 }, (_, i) => expert(`e${String(i).padStart(2, '0')}`, { maxLoad: 30 }));
    const candidates = Array.from({ length: 101 }, (_, i) => candidate(`a${i}`, { unitId: `u${i}` }));
    const result = assignExperts(candidates, pool, { perApplication: 5 });
    const final = expectRulesHold(result, candidates, pool, 5);
    const loads = pool.map((e) => final.get(e.expertId) ?? 0);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(result.ok && result.summary.expertsUsed).toBe(37);
  });

  it('spreads relative to the cap: an expert with twice the cap gets about twice the load', () => {
    const pool = [expert('big', { maxLoad: 20 }), expert('small', { maxLoad: 10 }), expert('mid', { maxLoad: 10 })];
    const candidates = Array.from({ length: 20 }, (_, i) => candidate(`a${String(i).padStart(2, '0')}`));
    const final = expectRulesHold(assignExperts(candidates, pool, { perApplication: 1 }), candidates, pool, 1);
    expect([final.get('big'), final.get('small'), final.get('mid')]).toEqual([10, 5, 5]);
  });

  it('is deterministic whatever the order of the experts (ties by expertId)', () => {
    const pool = ['e5', 'e1', 'e4', 'e2', 'e3'].map((id) => expert(id));
    const result = assignExperts([candidate('a1')], pool, { perApplication: 2 });
    expect(assigned(result).get('a1')).toEqual(['e1', 'e2']);
    const reversed = assignExperts([candidate('a1')], [...pool].reverse(), { perApplication: 2 });
    expect(reversed).toEqual(result);
  });
});

describe('nextExpert', () => {
  const pool = [
    expert('e1', { unitIds: ['unit-a'] }),
    expert('e2', { name: '张敏' }),
    expert('e3', { maxLoad: 2 }),
    expert('e4', { disciplines: ['化学'] }),
    expert('e5', { maxLoad: 10 }),
    expert('e6', { maxLoad: 10 }),
  ];
  const c = candidate('a1', { namedPeople: ['张 敏'], assigned: ['e6'] });

  it('skips conflicts, full experts, exclusions and those already assigned; prefers the discipline, then the lightest load', () => {
    const load = new Map([
      ['e3', 2],
      ['e5', 3],
    ]);
    expect(nextExpert(c, pool, load, new Set())?.expertId).toBe('e5');
    expect(nextExpert(c, pool, load, new Set(['e5']))?.expertId).toBe('e4');
    expect(nextExpert(c, pool, new Map([['e5', 9]]), new Set())?.expertId).toBe('e3');
    expect(nextExpert(c, pool, load, new Set(['e4', 'e5']))).toBeUndefined();
  });
});

describe('candidateFromForm and conflictOf', () => {
  it('gathers the lead, the contact, the speakers and the main-forum experts, and the experts to avoid', () => {
    const forum = validateApplication(call(), { ...example('lingnan-forum'), expertsToAvoid: [' 赵文博 '] });
    if (!forum.ok) throw new Error(JSON.stringify(forum.issues));
    const c = candidateFromForm('lf-1', 'gd-physics-society', forum.value);
    expect(c).toEqual({
      applicationId: 'lf-1',
      unitId: 'gd-physics-society',
      discipline: '物理学（量子科技）',
      namedPeople: [
        '陈志远',
        '李晓琳',
        'chenzy@gd-physics.example.org',
        'office@gd-physics.example.org',
        '王建华',
        '刘海涛',
        '张雅琴',
        '黄振宇',
      ],
      expertsToAvoid: ['赵文博'],
    });
    const month = validateApplication(call(), example('activity-month'));
    if (!month.ok) throw new Error(JSON.stringify(month.issues));
    expect(candidateFromForm('am-1', 'gd-mechanical-engineering-society', month.value).namedPeople).toEqual(
      expect.arrayContaining(['林国栋', '何丽萍', '吴伟明', '许文静', '邓立新', '蔡子豪']),
    );
  });

  it('names the reason: membership, being named, being avoided', () => {
    const c = candidate('a1', { namedPeople: ['王伟'], expertsToAvoid: ['e9'] });
    expect(conflictOf(expert('e1', { unitIds: ['unit-a'] }), c)).toBe('member of the applying unit unit-a');
    expect(conflictOf(expert('e2', { name: '王  伟' }), c)).toBe('named in the application (王伟)');
    expect(conflictOf(expert('e9'), c)).toBe('the applying unit asked to avoid them (e9)');
    expect(conflictOf(expert('e3'), c)).toBeUndefined();
  });

  it('normalises names and matches disciplines by their base', () => {
    expect(personKey(' 王\u3000建 华 ')).toBe('王建华');
    expect(personKey('Ｌｉ Ｎａ')).toBe('lina');
    expect(disciplineKeys('物理学（量子科技）')).toEqual(['物理学(量子科技)', '物理学']);
    expect(disciplineMatches(expert('e1', { disciplines: ['物理学'] }), '物理学（量子科技）')).toBe(true);
    expect(disciplineMatches(expert('e1', { disciplines: ['化学'] }), '物理学（量子科技）')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The seed pool

describe('seeds/experts.json', () => {
  const pool = listSeedExperts();

  it('holds at least 60 valid experts with unique ids and emails, and capacity well above 5 × 60', () => {
    expect(pool.length).toBeGreaterThanOrEqual(60);
    expect(ExpertPoolSchema.safeParse(experts).success).toBe(true);
    expect(new Set(pool.map((e) => e.expertId)).size).toBe(pool.length);
    expect(new Set(pool.map((e) => e.email.toLowerCase())).size).toBe(pool.length);
    for (const e of pool) {
      expect(e.email).toMatch(/@[a-z0-9-]+\.example\.org$/);
      expect(e.maxLoad).toBeGreaterThanOrEqual(5);
      expect(e.maxLoad).toBeLessThanOrEqual(20);
    }
    expect(pool.reduce((s, e) => s + e.maxLoad, 0)).toBeGreaterThan(2 * 5 * 60);
    const seedUnits = new Set(listSeedUnits().map((u) => u.unitId));
    expect(pool.filter((e) => e.unitIds.some((u) => seedUnits.has(u))).length).toBeGreaterThanOrEqual(15);
  });

  it('covers the discipline of every example application', () => {
    for (const typeId of call().projectTypes.map((t) => t.typeId)) {
      const field = example(typeId).discipline.field as string;
      expect(pool.filter((e) => disciplineMatches(e, field)).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('the schema refuses repeated ids or emails, no disciplines, and caps outside 1–200', () => {
    const base = expert('exp-x');
    expect(() => parseExpertPool([base, { ...base, email: 'other@pool.example.org' }])).toThrow(/repeats the expertId/);
    expect(() => parseExpertPool([base, { ...base, expertId: 'exp-y', email: base.email.toUpperCase() }])).toThrow(
      /repeats the email/,
    );
    expect(ExpertPoolSchema.safeParse([{ ...base, disciplines: [] }]).success).toBe(false);
    expect(
      ExpertPoolSchema.safeParse([{ ...base, disciplines: Array.from({ length: 21 }, (_, i) => `d${i}`) }]).success,
    ).toBe(false);
    expect(ExpertPoolSchema.safeParse([{ ...base, maxLoad: 0 }]).success).toBe(false);
    expect(ExpertPoolSchema.safeParse([{ ...base, maxLoad: 201 }]).success).toBe(false);
    expect(ExpertPoolSchema.safeParse([{ ...base, maxLoad: 200 }]).success).toBe(true);
  });

  it('serves one example of each of the 11 types, submitted by several seeded units, with 5 experts each', () => {
    const units = listSeedUnits()
      .filter((u) => !u.standing.barred)
      .map((u) => u.unitId);
    const candidates = call().projectTypes.map((type, i) => {
      const form = validateApplication(call(), example(type.typeId));
      if (!form.ok) throw new Error(JSON.stringify(form.issues));
      return candidateFromForm(`app-${type.typeId}`, units[i % units.length], form.value);
    });
    expect(candidates).toHaveLength(11);
    expect(new Set(candidates.map((c) => c.unitId)).size).toBeGreaterThanOrEqual(5);
    // Some seeded experts are in conflict: the physics society's president leads the forum.
    expect(candidates.flatMap((c) => pool.filter((e) => conflictOf(e, c) !== undefined)).length).toBeGreaterThan(10);
    const result = assignExperts(candidates, pool, { perApplication: 5 });
    expectRulesHold(result, candidates, pool, 5);
    if (!result.ok) return;
    expect(result.summary.applications).toBe(11);
    expect(result.summary.disciplineMatchRate).toBeGreaterThan(0.8);
  });
});
