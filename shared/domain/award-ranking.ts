/**
 * The award ranking: within each project type, the scored applications ranked by score, ties
 * broken by the notice's 同等条件下优先 criteria for that type that the form can show (the call data
 * marks each `applied`; the others are left to staff, and said so), then, as the department's
 * assumptions (the notice names none), by the smaller spread of the experts' totals, then by the
 * earlier submission; the type's quota awarded from the top, each at
 * no more than it asked for (awardAmount). Every tie-break is recorded with its reason, in Chinese
 * and English.
 *
 * Pure and deterministic: the same candidates, in any order, give the same ranking. The keys
 * (score, spread, priority criteria met, submission instant) are computed once per candidate into
 * flat arrays, then one sort per type orders the indices (O(n log n), no pairwise passes): 300,000
 * applications, nearly all tied with another on score, rank in about 0.7 s (test/bench/ranking.ts).
 */
import type { ApplicationForm } from './application-form';
import type { Bilingual, Call, Priority, ProjectType } from './catalogue';
import { MIN_EXPERT_SCORES, scoreInto } from './scoring';

export interface RankCandidate {
  applicationId: string;
  unitId: string;
  title: string;
  projectTypeId: string;
  /** ISO 8601 instant with an offset */
  submittedAt: string;
  requestedCny: number;
  /** the form, whose 同等条件下优先 criteria are read when `prioritiesMet` is not given */
  form?: ApplicationForm;
  /** the type's criteria (ids) the form was seen to meet (prioritiesMetOn), read once when it was scored */
  prioritiesMet?: readonly string[];
  /** each expert's weighted total (0–100) */
  totals: number[];
}

export type TieBreakBy = 'priority' | 'spread' | 'submission';

export interface TieBreak {
  /** the application(s) this tie-break separated this one from: its neighbour in the tied group */
  with: string[];
  by: TieBreakBy;
  reason: Bilingual;
}

export interface RankedEntry {
  applicationId: string;
  unitId: string;
  title: string;
  /** 1..n within the type, no shared ranks */
  rank: number;
  /** full precision; display with two decimals */
  score: number;
  spread: number;
  awarded: boolean;
  /** what the application's budget asks for (budget.requestedCny) */
  requestedCny: number;
  /** the funding awarded (awardAmount); 0 when not awarded */
  amountCny: number;
  /** the type's priority criteria (ids) this application is seen to meet on its form */
  priorityMet: string[];
  tieBreak?: TieBreak;
}

export interface TypeRanking {
  typeId: string;
  quota: number;
  awarded: number;
  /** quota − awarded: places left empty (an unfilled quota stays unfilled) */
  unfilled: number;
  entries: RankedEntry[];
  /** the candidates with fewer than 3 expert totals, by application id */
  notScored: { applicationId: string; reason: string }[];
}

/** Scores this close are equal (floating-point noise of means taken over different totals). */
export const SCORE_TIE_TOLERANCE = 1e-9;
/** Spreads are compared at this resolution (a whole number of millionths), so the order is a total order. */
const SPREAD_RESOLUTION = 1e6;

// ---------------------------------------------------------------------------------------------
// The priority criteria the form can show

const CO_ORGANISER_KINDS_PREFERRED: ReadonlySet<string> = new Set([
  'national-society',
  'city-association',
  'society-alliance',
  'leading-enterprise',
]);

interface PriorityCheck {
  /** a short Chinese name for tie-break reasons (the English reasons use the id) */
  zh: string;
  met: (form: ApplicationForm) => boolean;
}

const PRIORITY_CHECKS: Readonly<Record<string, PriorityCheck>> = {
  /** a co-organiser of a preferred kind: national society, city association, society alliance, leading enterprise */
  'co-organised': {
    zh: '联合承办',
    met: (form) => form.coOrganisers.some((c) => CO_ORGANISER_KINDS_PREFERRED.has(c.kind)),
  },
  /** the forum names the city whose industry it is tied to */
  'city-industry-link': {
    zh: '结合地市产业',
    met: (form) => {
      const city = (form.details as { industryLinkCity?: unknown }).industryLinkCity;
      return typeof city === 'string' && city.trim().length > 0;
    },
  },
  'basic-science': {
    zh: '基础学科',
    met: (form) => form.discipline.basicScience === true,
  },
  'matching-funds': {
    zh: '有配套资金',
    met: (form) => (form.budget.matchingFundsCny ?? 0) > 0,
  },
  /** national or provincial expert service groups brought into the activity month */
  'expert-service-groups': {
    zh: '引入专业服务团',
    met: (form) => {
      const groups = (form.details as { expertServiceGroups?: unknown }).expertServiceGroups;
      return Array.isArray(groups) && groups.length > 0;
    },
  },
  // Not checkable from the form, so never counted in a tie-break (undefined below):
  //  - 'media-relations-and-experience' (communication programme): relations with mainstream media
  //    and experience of similar projects need evidence (agreements, past coverage) the 2024 form
  //    does not carry;
  //  - 'prior-association-projects' (Nanyue platform): earlier association projects need the
  //    association's own records of past awards, which the 2024 form does not carry.
};

/**
 * The 同等条件下优先 criteria the ranking reads from the form and counts in a tie. The call data
 * marks each priority `applied` accordingly (a test holds the data to this set); the others
 * (media relations and experience, earlier association projects) are named on the department
 * head's page and in the confirmation email as not applied, for staff to weigh themselves.
 */
export const RANKED_PRIORITIES: ReadonlySet<string> = new Set(Object.keys(PRIORITY_CHECKS));

/**
 * The tie-breaks after the priorities, in the order compareTied applies them: the notice names
 * none, so the call data lists them (awardRanking.furtherTieBreaks) as the department's
 * assumptions, and a test holds that list to this one.
 */
export const FURTHER_TIE_BREAKS = ['score-spread', 'submission-time'] as const;

/** The type's priorities split by whether the ranking counts them (the call data's `applied`, only where the code can check). */
export function prioritiesByRanking(type: ProjectType): { applied: Priority[]; notApplied: Priority[] } {
  const applied = type.priorities.filter((p) => p.applied && RANKED_PRIORITIES.has(p.id));
  return { applied, notApplied: type.priorities.filter((p) => !applied.includes(p)) };
}

/**
 * Whether the application's form shows it meets the 同等条件下优先 criterion `priorityId`:
 * true / false for the criteria the form can show, undefined for one it cannot (media relations
 * and experience, earlier association projects: they need evidence the 2024 form does not carry)
 * or an id this code does not know. A criterion whose field the form kind lacks is false.
 */
export function priorityMet(priorityId: string, form: ApplicationForm): boolean | undefined {
  const check = Object.prototype.hasOwnProperty.call(PRIORITY_CHECKS, priorityId)
    ? PRIORITY_CHECKS[priorityId]
    : undefined;
  return check ? check.met(form) : undefined;
}

/** The type's criteria the form shows it meets (what the ranking reads instead of the whole form). */
export function prioritiesMetOn(type: ProjectType, form: ApplicationForm): string[] {
  return type.priorities.filter((p) => p.applied && priorityMet(p.id, form) === true).map((p) => p.id);
}

// ---------------------------------------------------------------------------------------------
// Ranking

/** A type may name at most this many priority criteria (they are kept as the bits of one integer). */
const MAX_PRIORITIES = 30;

/** One combination of the type's priority criteria met, built once per type and combination. */
interface MetSet {
  /** shared by the entries meeting this combination, frozen */
  ids: string[];
  count: number;
  zh: string;
  en: string;
  /** the text comparing this combination (the upper application's) with another (the lower's) */
  versus: Map<MetSet, Bilingual>;
}

/**
 * The ranking keys of a type's candidates, in flat arrays (index = position in the candidates
 * array): one pass computes them, one sort over indices orders them.
 */
interface Keys {
  candidates: RankCandidate[];
  score: Float64Array;
  spread: Float64Array;
  /** the spread in whole millionths, so that spreads compare as a total order */
  spreadKey: Float64Array;
  submittedMs: Float64Array;
  metCount: Int32Array;
  met: MetSet[];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order among tied scores: more priorities met, smaller spread, earlier submission, then the application id. */
function compareTied(k: Keys, a: number, b: number): number {
  return (
    k.metCount[b] - k.metCount[a] ||
    k.spreadKey[a] - k.spreadKey[b] ||
    k.submittedMs[a] - k.submittedMs[b] ||
    compareIds(k.candidates[a].applicationId, k.candidates[b].applicationId)
  );
}

/** The criterion that orders two tied applications, the upper one first. */
function decidingCriterion(k: Keys, upper: number, lower: number): TieBreakBy {
  if (k.metCount[upper] !== k.metCount[lower]) return 'priority';
  if (k.spreadKey[upper] !== k.spreadKey[lower]) return 'spread';
  return 'submission';
}

/**
 * The product's reading of the notice, 二(一) 原则上按核定的项目预算进行开支: an award never exceeds
 * the budget the application asks for. A fixed type's amount (额度) is a ceiling a unit may ask
 * below, so it is awarded min(amount, request); a range type (type 4, 5–10万元) is awarded its
 * request, which the form keeps inside the range (kept inside here too, should a stored request
 * not be).
 */
export const AWARD_AMOUNT_RULE: Bilingual = {
  zh: '立项金额不超过申请预算：定额类型按“定额与申请额中的较小者”资助，区间类型按申请额资助（本系统对通知二(一)“原则上按核定的项目预算进行开支”的理解）。',
  en: "An award never exceeds the budget asked for: a fixed-amount type awards the smaller of its amount and the request, a range type the request (this product's reading of the notice, 2(1): spending follows the approved project budget in principle).",
};

/** The funding an awarded application receives (AWARD_AMOUNT_RULE). */
export function awardAmount(type: ProjectType, requestedCny: number): number {
  const f = type.funding;
  return f.kind === 'fixed'
    ? Math.min(f.amountCny, requestedCny)
    : Math.min(f.maxCny, Math.max(f.minCny, requestedCny));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two digits at i..i+1 as a number, or NaN. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/**
 * Milliseconds since the epoch of an ISO 8601 instant with an offset, as the catalogue writes them
 * ("2023-09-25T23:59:59.999+08:00", "2023-09-20T01:00:00Z"); NaN for anything else, including a
 * date that does not exist. Read by character codes (faster than Date.parse, and stricter).
 */
export function instantMs(s: string): number {
  const len = s.length;
  if (len < 20 || len > 29 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':')
    return Number.NaN;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  let ms = 0;
  let p = 19;
  if (s[p] === '.') {
    let digits = 0;
    for (p++; digits < 3 && p < len; p++, digits++) {
      const d = s.charCodeAt(p) - 48;
      if (d < 0 || d > 9) break;
      ms = ms * 10 + d;
    }
    if (digits === 0) return Number.NaN;
    ms *= digits === 1 ? 100 : digits === 2 ? 10 : 1;
  }
  let offsetMinutes = 0;
  if (s[p] === 'Z' && p + 1 === len) {
    // UTC
  } else if ((s[p] === '+' || s[p] === '-') && p + 6 === len && s[p + 3] === ':') {
    const oh = twoDigits(s, p + 1);
    const om = twoDigits(s, p + 4);
    if (!(oh <= 23 && om <= 59)) return Number.NaN;
    offsetMinutes = (s[p] === '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return Number.NaN;
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1])) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

const SPREAD_TAIL: Bilingual = {
  zh: ' 同分，满足优先条件项数相同，按专家评分离散度（标准差）小者在前。',
  en: ' tie and meet as many priority criteria; the smaller spread of expert scores (standard deviation) ranks first.',
};

/**
 * The bilingual reason for the order of two tied neighbours, the upper one first: it names both
 * applications ("the former", "the latter" after that) and the criterion that decided, with what
 * each had (priority criteria met; submission times; the spreads are in the entries themselves).
 * Both entries of a pair may share it. Built from few pieces around texts made once per type: a
 * ranking of 300,000 applications scored on a grid of half points has a tie-break for nearly
 * every entry, and these texts are most of its memory.
 */
function tieReason(k: Keys, upper: number, lower: number, by: TieBreakBy): Bilingual {
  const u = k.candidates[upper].applicationId;
  const l = k.candidates[lower].applicationId;
  switch (by) {
    case 'priority': {
      const mu = k.met[upper];
      const ml = k.met[lower];
      let versus = mu.versus.get(ml);
      if (!versus) {
        versus = {
          zh: ` 同分，按“同等条件下优先”条件满足项数多者在前：前者 ${mu.count} 项${mu.zh}，后者 ${ml.count} 项${ml.zh}。`,
          en: ` tie; by the priority criteria met, more first: the former meets ${mu.count}${mu.en}, the latter ${ml.count}${ml.en}.`,
        };
        mu.versus.set(ml, versus);
      }
      return { zh: u + ' 与 ' + l + versus.zh, en: u + ' and ' + l + versus.en };
    }
    case 'spread':
      return { zh: u + ' 与 ' + l + SPREAD_TAIL.zh, en: u + ' and ' + l + SPREAD_TAIL.en };
    case 'submission': {
      const tu = k.candidates[upper].submittedAt;
      if (k.submittedMs[upper] === k.submittedMs[lower]) {
        return {
          zh: [u, ' 与 ', l, ' 同分，优先条件项数、评分离散度与提交时间（', tu, '）均相同，按申请编号排序。'].join(''),
          en: [
            u,
            ' and ',
            l,
            ' tie with as many priority criteria, the same spread and submission time (',
            tu,
            '); ordered by application id.',
          ].join(''),
        };
      }
      const tl = k.candidates[lower].submittedAt;
      return {
        zh: [
          u,
          ' 与 ',
          l,
          ' 同分，优先条件项数与评分离散度均相同，按提交时间早者在前：前者 ',
          tu,
          '，后者 ',
          tl,
          '。',
        ].join(''),
        en: [
          u,
          ' and ',
          l,
          ' tie with as many priority criteria and the same spread; by the earlier submission: the former ',
          tu,
          ', the latter ',
          tl,
          '.',
        ].join(''),
      };
    }
  }
}

/**
 * Ranks the candidates of one project type. Candidates with fewer than 3 expert totals are listed
 * in notScored. The rest are ranked by score (descending); a score within 1e-9 of the top score of
 * its group is tied with it, and a tie is broken by the number of the type's priority criteria met
 * (more first), then the smaller spread (compared to a millionth), then the earlier submission
 * (identical instants, never seen in practice, fall back to the application id). A tie-break is a
 * decision between two neighbours in the final order; each tied entry records the one with the
 * entry directly above it (the first of a tied group: with the entry directly below it, sharing
 * that decision's reason), its criterion and its reason. The quota goes to the top entries, each
 * funded by awardAmount: never more than it asked for.
 *
 * Throws a RangeError on input that is not data of this type: a candidate of another type, the
 * same application twice (as neighbours: the same record read twice), a total that is not a finite
 * number, a submission time that is not an ISO instant with an offset.
 */
export function rankType(type: ProjectType, candidates: RankCandidate[]): TypeRanking {
  const { keys, order, notScored } = keysOf(type, candidates);
  const groupEnd = sortRanked(keys, order);
  const entries = entriesOf(type, keys, order, groupEnd);
  const awarded = Math.min(type.quota, entries.length);
  return { typeId: type.typeId, quota: type.quota, awarded, unfilled: type.quota - awarded, entries, notScored };
}

/** The keys of every scored candidate, the indices of the scored ones, and those not scored (by application id). */
function keysOf(
  type: ProjectType,
  candidates: RankCandidate[],
): { keys: Keys; order: number[]; notScored: TypeRanking['notScored'] } {
  // a priority the call data marks not applied is never counted, even where the code could check it
  const checks = type.priorities.map((p) =>
    p.applied && Object.prototype.hasOwnProperty.call(PRIORITY_CHECKS, p.id) ? PRIORITY_CHECKS[p.id] : undefined,
  );
  if (checks.length > MAX_PRIORITIES)
    throw new RangeError(`rankType(${type.typeId}): more than ${MAX_PRIORITIES} priority criteria`);
  const metSets: MetSet[] = [];
  const n0 = candidates.length;
  const keys: Keys = {
    candidates,
    score: new Float64Array(n0),
    spread: new Float64Array(n0),
    spreadKey: new Float64Array(n0),
    submittedMs: new Float64Array(n0),
    metCount: new Int32Array(n0),
    met: new Array<MetSet>(n0),
  };
  const order: number[] = [];
  const notScored: TypeRanking['notScored'] = [];
  const out = { score: 0, spread: 0 };
  for (let i = 0; i < n0; i++) {
    const c = candidates[i];
    if (c.projectTypeId !== type.typeId)
      throw new RangeError(`rankType(${type.typeId}): ${c.applicationId} is of type ${c.projectTypeId}`);
    if (scoreInto(c.totals, out) === 0) {
      notScored.push({
        applicationId: c.applicationId,
        reason: `${c.totals.length} expert score(s); at least ${MIN_EXPERT_SCORES} are needed`,
      });
      continue;
    }
    const submittedMs = instantMs(c.submittedAt);
    if (Number.isNaN(submittedMs)) {
      throw new RangeError(
        `rankType(${type.typeId}): ${c.applicationId} has a submittedAt that is not an ISO instant with an offset`,
      );
    }
    let mask = 0;
    for (let p = 0; p < checks.length; p++) {
      const check = checks[p];
      const met = c.prioritiesMet
        ? c.prioritiesMet.includes(type.priorities[p].id)
        : c.form !== undefined && check?.met(c.form);
      if (check !== undefined && met) mask |= 1 << p;
    }
    const set = metSets[mask] ?? (metSets[mask] = metSetOf(type, mask));
    keys.score[i] = out.score;
    keys.spread[i] = out.spread;
    keys.spreadKey[i] = Math.round(out.spread * SPREAD_RESOLUTION);
    keys.submittedMs[i] = submittedMs;
    keys.metCount[i] = set.count;
    keys.met[i] = set;
    order.push(i);
  }
  notScored.sort((a, b) => compareIds(a.applicationId, b.applicationId));
  return { keys, order, notScored };
}

function metSetOf(type: ProjectType, mask: number): MetSet {
  const met = type.priorities.filter((_, i) => (mask & (1 << i)) !== 0);
  return {
    ids: Object.freeze(met.map((p) => p.id)) as string[],
    count: met.length,
    zh: met.length ? `（${met.map((p) => PRIORITY_CHECKS[p.id].zh).join('、')}）` : '',
    en: met.length ? ` (${met.map((p) => p.id).join(', ')})` : '',
    versus: new Map(),
  };
}

/**
 * Orders the indices: one sort by exact score and the tie-break keys; then scores within the
 * tolerance of the top of their group (close, not equal, so not yet ordered by the tie-break) are
 * ordered again. Returns, for the first index of each group of tied scores, where the group ends.
 */
function sortRanked(keys: Keys, order: number[]): Int32Array {
  const score = keys.score;
  order.sort((a, b) => score[b] - score[a] || compareTied(keys, a, b));
  const n = order.length;
  const groupEnd = new Int32Array(n);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && score[order[i]] - score[order[j]] <= SCORE_TIE_TOLERANCE) j++;
    if (j - i > 1 && score[order[i]] !== score[order[j - 1]]) {
      const group = order.slice(i, j).sort((a, b) => compareTied(keys, a, b));
      for (let g = 0; g < group.length; g++) order[i + g] = group[g];
    }
    groupEnd[i] = j;
    i = j;
  }
  return groupEnd;
}

/** The ranked entries: ranks, the quota from the top, the funding, and each tied entry's tie-break. */
function entriesOf(type: ProjectType, keys: Keys, order: number[], groupEnd: Int32Array): RankedEntry[] {
  const { candidates, score, spread, met } = keys;
  const quota = type.quota;
  const n = order.length;
  const entries: RankedEntry[] = new Array(n);
  let start = 0;
  let end = 0;
  let first: TieBreak | undefined;
  for (let i = 0; i < n; i++) {
    if (i === end) {
      start = i;
      end = groupEnd[i];
    }
    const ci = order[i];
    const c = candidates[ci];
    const awarded = i < quota;
    const amountCny = awarded ? awardAmount(type, c.requestedCny) : 0;
    let tieBreak: TieBreak | undefined;
    if (end - start > 1 && i === start + 1 && first !== undefined) {
      // the decision between the first two of a group is recorded by both, with one reason
      tieBreak = { with: [entries[start].applicationId], by: first.by, reason: first.reason };
    } else if (end - start > 1) {
      const upper = i === start ? ci : order[i - 1];
      const lower = i === start ? order[i + 1] : ci;
      const by = decidingCriterion(keys, upper, lower);
      // the same record twice has the same keys throughout: neighbours only a submission tie-break separates
      if (by === 'submission' && candidates[upper].applicationId === candidates[lower].applicationId) {
        throw new RangeError(`rankType(${type.typeId}): ${c.applicationId} appears twice`);
      }
      tieBreak = {
        with: [candidates[i === start ? lower : upper].applicationId],
        by,
        reason: tieReason(keys, upper, lower, by),
      };
      if (i === start) first = tieBreak;
    }
    const entry: RankedEntry = {
      applicationId: c.applicationId,
      unitId: c.unitId,
      title: c.title,
      rank: i + 1,
      score: score[ci],
      spread: spread[ci],
      awarded,
      requestedCny: c.requestedCny,
      amountCny,
      priorityMet: met[ci].ids,
    };
    if (tieBreak) entry.tieBreak = tieBreak;
    entries[i] = entry;
  }
  return entries;
}

/**
 * Ranks every project type of the call, in the call's order (a type without candidates has an
 * empty ranking and its whole quota unfilled). Throws a RangeError for a candidate whose type is
 * not in the call.
 */
export function rankCall(call: Call, candidates: RankCandidate[]): TypeRanking[] {
  const byType = new Map<string, RankCandidate[]>();
  for (const t of call.projectTypes) byType.set(t.typeId, []);
  for (const c of candidates) {
    const list = byType.get(c.projectTypeId);
    if (!list)
      throw new RangeError(
        `rankCall(${call.callId}): ${c.applicationId} is of type ${c.projectTypeId}, not in the call`,
      );
    list.push(c);
  }
  return call.projectTypes.map((t) => rankType(t, byType.get(t.typeId) ?? []));
}
