/**
 * Expert scoring: the scoring form (criteria, weights, ranges), reading one expert's answer,
 * the expert's weighted total, and the application's score from its experts' totals.
 *
 * Pure: no I/O. The 2024 notice names no scoring form; the call data's `review.scoringForm` is the
 * department's working assumption, stated in its `assumptions` text, meant to travel with the
 * call's data (validated by scoringFormSchema) so that next year's form is data, not code.
 */
import * as z from './zod';
import type { FieldDetail } from './errors';
import { describeValue, shortKey } from './field-details';
import { once } from './once';

/*
 * The call catalogue (catalogue.ts) embeds the scoring form, so this module imports nothing from it:
 * the bilingual text is declared here again, the same shape as the catalogue's (fields.ts).
 */
function bilingualSchema() {
  const NonBlank = z.string().check(z.trim(), z.minLength(1));
  return z.strictObject({ zh: NonBlank, en: NonBlank });
}
/** A text in Chinese and English (the catalogue's Bilingual). */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface ScoringCriterion {
  id: string;
  name: Bilingual;
  /** its share of the weighted total; the weights of a form add up to 1 */
  weight: number;
  /** the lowest and highest score an expert may give (inclusive) */
  min: number;
  max: number;
  guidance?: Bilingual;
}

export interface ScoringForm {
  criteria: ScoringCriterion[];
  /** whether an expert must write a comment with the scores */
  commentRequired: boolean;
  /** what the form assumes where the notice is silent */
  assumptions: Bilingual;
}

/** Weights may add up to 1 within this (floating-point) tolerance. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;
/** Scores are whole or half points (87, 87.5): a score times SCORE_STEPS_PER_POINT is a whole number. */
export const SCORE_STEPS_PER_POINT = 2;
/** A comment has 1..COMMENT_MAX_CHARS characters once trimmed. */
export const COMMENT_MAX_CHARS = 2000;
/** Unknown criteria beyond this many are not listed one by one (a hostile body could send millions). */
const MAX_UNKNOWN_LISTED = 20;

const KEBAB_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function scoringCriterionSchema(BilingualSchema: ReturnType<typeof bilingualSchema>) {
  return z
    .strictObject({
      id: z.string().check(z.regex(KEBAB_RE, 'must be a kebab-case id')),
      name: BilingualSchema,
      // z.number() refuses Infinity and NaN itself (classic zod's .finite() added nothing)
      weight: z.number().check(z.positive()),
      min: z.number(),
      max: z.number(),
      guidance: z.optional(BilingualSchema),
    })
    .check(z.refine((c) => c.min < c.max, { message: 'min must be less than max', path: ['max'] }));
}

/** The scoring form's schema, built on first use (once.ts says why). */
export const scoringFormSchema = once(() => {
  const BilingualSchema = bilingualSchema();
  return z
    .strictObject({
      criteria: z.array(scoringCriterionSchema(BilingualSchema)).check(z.minLength(1)),
      commentRequired: z.boolean(),
      assumptions: BilingualSchema,
    })
    .check(
      z.superRefine((form, ctx) => {
        const seen = new Set<string>();
        form.criteria.forEach((c, i) => {
          if (seen.has(c.id))
            ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: `duplicate criterion id ${c.id}` });
          seen.add(c.id);
        });
        const sum = form.criteria.reduce((total, c) => total + c.weight, 0);
        if (!(Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE)) {
          ctx.addIssue({
            code: 'custom',
            path: ['criteria'],
            message: `the weights must add up to 1 (they add up to ${sum})`,
          });
        }
      }),
    );
});

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Own property only: never reads through the prototype chain (`constructor`, `__proto__`). */
function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export type ExpertScoreResult =
  { ok: true; scores: Record<string, number>; comment: string } | { ok: false; details: FieldDetail[] };

/**
 * Reads one expert's answer `{"scores": {"<criterionId>": number, …}, "comment": "…"}` (other
 * fields of the body, such as `answer`, are the task's business and ignored). Every criterion of
 * the form must be present, a JSON number (strings such as "85" are refused: a page posting a form
 * converts its fields first), within the criterion's range, in whole or half points; a criterion
 * the form does not have is refused; the comment, trimmed, has 1–2000 characters (when the form
 * requires one; otherwise it may be empty). Every bad field is listed. Never throws.
 */
export function readExpertScore(form: ScoringForm, body: unknown): ExpertScoreResult {
  const details: FieldDetail[] = [];
  if (!isPlainObject(body)) {
    return {
      ok: false,
      details: [
        { path: '', code: 'INVALID_TYPE', message: `the answer must be a JSON object (given ${describeValue(body)})` },
      ],
    };
  }
  const scores = readScores(form, own(body, 'scores'), details);
  const comment = readComment(form, own(body, 'comment'), details);
  return details.length > 0 ? { ok: false, details } : { ok: true, scores, comment };
}

/** The scores object: every criterion's score that is good, every bad or unknown one a detail. */
function readScores(form: ScoringForm, rawScores: unknown, details: FieldDetail[]): Record<string, number> {
  const scores: Record<string, number> = {};
  if (rawScores === undefined) {
    details.push({
      path: 'scores',
      code: 'REQUIRED',
      message: 'scores is required: one score for each criterion of the scoring form',
    });
  } else if (!isPlainObject(rawScores)) {
    details.push({
      path: 'scores',
      code: 'INVALID_TYPE',
      message: `scores must be an object (given ${describeValue(rawScores)})`,
    });
  } else {
    for (const c of form.criteria) {
      const v = readCriterionScore(c, own(rawScores, c.id), details);
      if (v !== undefined) scores[c.id] = v;
    }
    nameUnknownCriteria(form, rawScores, details);
  }
  return scores;
}

/** One criterion's score: a finite number within its range, in whole or half points; else a detail. */
function readCriterionScore(c: ScoringCriterion, v: unknown, details: FieldDetail[]): number | undefined {
  const path = `scores.${c.id}`;
  const range = `${c.min}–${c.max}`;
  if (v === undefined) {
    details.push({ path, code: 'REQUIRED', message: `${path} is required (${c.name.en}, ${range})` });
  } else if (typeof v !== 'number' || !Number.isFinite(v)) {
    details.push({
      path,
      code: 'INVALID_TYPE',
      message: `${path} must be a number from ${range} (given ${describeValue(v)})`,
    });
  } else if (v < c.min) {
    details.push({ path, code: 'TOO_SMALL', message: `${path} must be at least ${c.min} (given ${v})` });
  } else if (v > c.max) {
    details.push({ path, code: 'TOO_LARGE', message: `${path} must be at most ${c.max} (given ${v})` });
  } else if (!Number.isInteger(v * SCORE_STEPS_PER_POINT)) {
    details.push({
      path,
      code: 'NOT_HALF_POINT',
      message: `${path} must be a whole or half point, such as 87 or 87.5 (given ${v})`,
    });
  } else {
    return v;
  }
  return undefined;
}

/** Names the keys that are no criterion of the form, the first MAX_UNKNOWN_LISTED of them. */
function nameUnknownCriteria(form: ScoringForm, rawScores: Record<string, unknown>, details: FieldDetail[]): void {
  const known = new Set(form.criteria.map((c) => c.id));
  let unknown = 0;
  for (const key of Object.keys(rawScores)) {
    if (known.has(key)) continue;
    if (++unknown > MAX_UNKNOWN_LISTED) {
      details.push({
        path: 'scores',
        code: 'TOO_MANY_ISSUES',
        message: `only the first ${MAX_UNKNOWN_LISTED} unknown criteria are listed`,
      });
      break;
    }
    const path = `scores.${shortKey(key)}`;
    details.push({
      path,
      code: 'UNKNOWN_FIELD',
      message: `${path} is not a criterion of the scoring form (${[...known].join(', ')})`,
    });
  }
}

/** The comment, trimmed: a text, present when the form requires one, not too long. */
function readComment(form: ScoringForm, rawComment: unknown, details: FieldDetail[]): string {
  if (rawComment !== undefined && typeof rawComment !== 'string') {
    details.push({
      path: 'comment',
      code: 'INVALID_TYPE',
      message: `comment must be a string (given ${describeValue(rawComment)})`,
    });
    return '';
  }
  const comment = (rawComment ?? '').trim();
  if (comment.length === 0 && form.commentRequired) {
    details.push({ path: 'comment', code: 'REQUIRED', message: 'comment is required: a short review in words' });
  } else if (comment.length > COMMENT_MAX_CHARS) {
    details.push({
      path: 'comment',
      code: 'TOO_LONG',
      message: `comment must have at most ${COMMENT_MAX_CHARS} characters (given ${comment.length})`,
    });
  }
  return comment;
}

/**
 * One expert's weighted total on a 0–100 scale: each criterion's score is placed on 0–1 within its
 * range, weighted, added up and multiplied by 100 (with 0–100 criteria, simply Σ weight × score).
 * Throws a RangeError if a criterion has no finite score (scores come from readExpertScore).
 */
export function weightedTotal(form: ScoringForm, scores: Record<string, number>): number {
  let total = 0;
  for (const c of form.criteria) {
    const v = Object.prototype.hasOwnProperty.call(scores, c.id) ? scores[c.id] : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(`weightedTotal: no score for criterion ${c.id}`);
    total += c.weight * ((v - c.min) / (c.max - c.min));
  }
  return Math.min(100, Math.max(0, total * 100));
}

/** An application needs at least this many expert totals to be scored (it never proceeds on fewer). */
export const MIN_EXPERT_SCORES = 3;
/** With at least this many totals, the highest and the lowest are dropped before the mean. */
export const TRIM_FROM = 5;

export interface ApplicationScore {
  /** the mean of the counted totals, full precision (round only to display) */
  score: number;
  /** the totals the mean is taken over, ascending */
  counted: number[];
  /** the lowest and the highest total when 5 or more were given, else [] */
  dropped: number[];
  /** the population standard deviation of the counted totals */
  spread: number;
}

/** Scratch space for sorting totals without allocating (grown when an application has more experts). */
let scratch = new Float64Array(16);

/**
 * The one computation behind applicationScore, without allocating: sorts the totals ascending into
 * the scratch space, writes the score and spread into `out` and returns how many totals were counted
 * (0 with fewer than 3 totals; `out` is then untouched). The ranking of 300,000 applications calls
 * it directly; applicationScore builds its arrays from the same sorted scratch space.
 */
export function scoreInto(totals: readonly number[], out: { score: number; spread: number }): number {
  const n = totals.length;
  if (n < MIN_EXPERT_SCORES) return 0;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  const s = scratch;
  // insertion sort: a panel is a handful of experts
  for (let i = 0; i < n; i++) {
    const v = totals[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(`applicationScore: total ${i} is not a finite number`);
    let j = i - 1;
    while (j >= 0 && s[j] > v) {
      s[j + 1] = s[j];
      j--;
    }
    s[j + 1] = v;
  }
  const from = n >= TRIM_FROM ? 1 : 0;
  const to = n >= TRIM_FROM ? n - 1 : n;
  const counted = to - from;
  let sum = 0;
  for (let i = from; i < to; i++) sum += s[i];
  const score = sum / counted;
  let squares = 0;
  for (let i = from; i < to; i++) squares += (s[i] - score) * (s[i] - score);
  out.score = score;
  out.spread = Math.sqrt(squares / counted);
  return counted;
}

/**
 * The application's score from its experts' weighted totals: the mean; with 5 or more totals the
 * highest and the lowest are dropped first. Undefined with fewer than 3 totals. The totals are
 * sorted before adding up, so the same totals in any order give the very same score (bit for bit).
 * Throws a RangeError on a total that is not a finite number.
 */
export function applicationScore(totals: number[]): ApplicationScore | undefined {
  const out = { score: 0, spread: 0 };
  const counted = scoreInto(totals, out);
  if (counted === 0) return undefined;
  const n = totals.length;
  const sorted = Array.from(scratch.subarray(0, n));
  const trim = n >= TRIM_FROM;
  return {
    score: out.score,
    counted: trim ? sorted.slice(1, n - 1) : sorted,
    dropped: trim ? [sorted[0], sorted[n - 1]] : [],
    spread: out.spread,
  };
}

/** A score as shown to people: two decimals ("85.20"). Ranking always uses the full value. */
export function displayScore(score: number): string {
  return score.toFixed(2);
}
