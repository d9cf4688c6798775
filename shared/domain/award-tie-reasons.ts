import type { Bilingual } from './catalogue';
import type { Keys } from './award-ranking-keys';
import type { TieBreakBy } from './award-ranking-types';

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
export function tieReason(k: Keys, upper: number, lower: number, by: TieBreakBy): Bilingual {
  const u = k.candidates[upper].applicationId;
  const l = k.candidates[lower].applicationId;
  switch (by) {
    case 'priority': {
      const versus = prioritiesVersus(k, upper, lower);
      return { zh: u + ' 与 ' + l + versus.zh, en: u + ' and ' + l + versus.en };
    }
    case 'spread':
      return { zh: u + ' 与 ' + l + SPREAD_TAIL.zh, en: u + ' and ' + l + SPREAD_TAIL.en };
    case 'submission':
      return k.submittedMs[upper] === k.submittedMs[lower]
        ? sameInstantReason(u, l, k.candidates[upper].submittedAt)
        : submissionReason(u, l, k.candidates[upper].submittedAt, k.candidates[lower].submittedAt);
  }
}

/** The tail comparing the two combinations of criteria met, made once per pair of combinations and kept. */
function prioritiesVersus(k: Keys, upper: number, lower: number): Bilingual {
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
  return versus;
}

/** Identical instants, never seen in practice: only the application id is left to order them. */
function sameInstantReason(u: string, l: string, at: string): Bilingual {
  return {
    zh: [u, ' 与 ', l, ' 同分，优先条件项数、评分离散度与提交时间（', at, '）均相同，按申请编号排序。'].join(''),
    en: [
      u,
      ' and ',
      l,
      ' tie with as many priority criteria, the same spread and submission time (',
      at,
      '); ordered by application id.',
    ].join(''),
  };
}

function submissionReason(u: string, l: string, tu: string, tl: string): Bilingual {
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
