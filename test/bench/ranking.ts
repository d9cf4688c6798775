/**
 * Ranking at the size of a national funder: 300,000 scored applications (5 experts each) over the
 * 11 project types of the 2024 call, ranked by `rankCall` (the award proposal's pure core).
 * Goal: under 1 s. Only the ranking is timed, not building its input.
 *
 *   npx tsx test/bench/ranking.ts
 */
import { type ApplicationForm, validateApplication } from '@shared/domain/application-form';
import { type RankCandidate, rankCall } from '@shared/domain/award-ranking';
import { toBeijingIso } from '@shared/domain/clock';
import { call, example, type Body } from '../support/fixtures';
import { seededRandom } from '../support/random';

export const RANKING_APPLICATIONS = 300_000;
const EXPERTS_PER_APPLICATION = 5;

/**
 * A string as it comes from storage: flat. A string built by a template literal is a rope that its
 * first reader flattens, which would put the bench's own string building inside the timed ranking.
 */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** A few forms per type: the examples, and variants meeting more or fewer of the priority criteria. */
function forms(): ApplicationForm[][] {
  const c = call();
  const valid = (body: Body): ApplicationForm => {
    const r = validateApplication(c, body);
    if (!r.ok) throw new Error(`example does not validate: ${JSON.stringify(r.issues)}`);
    return r.value;
  };
  return c.projectTypes.map((t) => {
    const variants = [valid(example(t.typeId))];
    const plain = example(t.typeId);
    plain.coOrganisers = [];
    plain.discipline.basicScience = false;
    delete plain.budget.matchingFundsCny;
    if (plain.details) {
      delete plain.details.industryLinkCity;
      delete plain.details.expertServiceGroups;
    }
    variants.push(valid(plain));
    return variants;
  });
}

/**
 * The input: applications spread over the 11 types at random, each with 5 expert totals on the
 * grid half-point scores give (multiples of 0.025), around a per-application level. With some
 * 27,000 applications per type on that grid, nearly every entry ties on score with another (as it
 * would in a real call of this size), so the run also measures building ~295,000 tie-break records.
 */
export function rankingInput(n = RANKING_APPLICATIONS, seed = 2024): RankCandidate[] {
  const rng = seededRandom(seed);
  const byType = forms();
  const start = Date.parse('2023-09-01T09:00:00+08:00');
  const window = Date.parse('2023-09-25T23:59:59.999+08:00') - start;
  const out: RankCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const variants = byType[Math.floor(rng() * byType.length)];
    const form = variants[Math.floor(rng() * variants.length)];
    const level = 55 + rng() * 40;
    const totals: number[] = new Array(EXPERTS_PER_APPLICATION);
    for (let e = 0; e < EXPERTS_PER_APPLICATION; e++)
      totals[e] = Math.round(Math.min(100, Math.max(0, level + (rng() - 0.5) * 16)) * 40) / 40;
    out.push({
      applicationId: `app-${i.toString(36).padStart(5, '0')}`,
      unitId: `unit-${Math.floor(rng() * 20_000)}`,
      title: form.title,
      projectTypeId: form.projectTypeId,
      submittedAt: flat(toBeijingIso(new Date(start + Math.floor(rng() * window)))),
      requestedCny: form.budget.requestedCny,
      form,
      totals,
    });
  }
  return out;
}

/** Times one `rankCall` over `candidates` (the first in the process: no warm-up), and counts what it produced. */
function measure(candidates: RankCandidate[]): { applications: number; ms: number; ranked: number; tieBreaks: number } {
  const c = call();
  const t0 = performance.now();
  const ranking = rankCall(c, candidates);
  const ms = performance.now() - t0;
  let ranked = 0;
  let tieBreaks = 0;
  for (const r of ranking) {
    ranked += r.entries.length;
    for (const e of r.entries) if (e.tieBreak) tieBreaks++;
  }
  if (ranked !== candidates.length) throw new Error(`rankCall ranked ${ranked} of ${candidates.length} applications`);
  return { applications: candidates.length, ms, ranked, tieBreaks };
}

/** Builds 300,000 scored candidates, then times one `rankCall` over them (building the input is not timed). */
export function rankingFigures(): { applications: number; ms: number } {
  const { applications, ms } = measure(rankingInput());
  return { applications, ms };
}

if (require.main === module) {
  const { applications, ms, tieBreaks } = measure(rankingInput());
  const verdict = ms < 1000 ? 'under the 1 s goal' : 'OVER the 1 s goal';
  console.log(
    `ranking: ${applications.toLocaleString('en')} scored applications (11 types, 5 experts each) ranked in ${ms.toFixed(1)} ms (${verdict}); ` +
      `${tieBreaks.toLocaleString('en')} entries tied on score carry a tie-break`,
  );
}
