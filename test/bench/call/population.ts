/**
 * Who takes part in the measured call: the member units (3 applications each, as the call allows,
 * one type each so per-type limits hold), their applications (the seeds' example of each type,
 * titled uniquely), which of them staff reject on purpose, and the experts added to the pool so
 * that every panel fits within each expert's cap. Units and experts are registered through the
 * API, as staff do (`PUT /units/{unitId}`, `PUT /experts/{expertId}`).
 */
import { call, example, type Body, type Api } from './support';
import { pool } from '../stats';

export const CALL_ID = 'gdast-2024';
/** One application in REJECT_EVERY is rejected by staff at the formal review (on purpose: that path too). */
const REJECT_EVERY = 25;
const REJECT_AT = 7;
/** The cap of each added expert, and the spare capacity of the pool beyond what the panels need. */
const EXPERT_MAX_LOAD = 40;
const POOL_SPARE = 1.25;

export interface PlannedApplication {
  index: number;
  unitId: string;
  typeId: string;
  title: string;
  /** staff reject it at the formal review */
  reject: boolean;
}

export interface PlannedExpert {
  expertId: string;
  body: {
    name: string;
    email: string;
    affiliation: string;
    unitIds: string[];
    disciplines: string[];
    maxLoad: number;
  };
}

export interface CallPlan {
  units: string[];
  applications: PlannedApplication[];
  experts: PlannedExpert[];
  /** applications that reach the expert review */
  reviewed: number;
  panelSize: number;
}

const pad = (n: number) => String(n).padStart(5, '0');
export const unitIdOf = (k: number) => `bench-unit-${pad(k)}`;

/** N applications from ceil(N / per-unit cap) units, each unit's of different types. */
export function planCall(n: number): CallPlan {
  const c = call();
  const types = c.projectTypes.map((t) => t.typeId);
  const perUnit = c.maxApplicationsPerUnit;
  if (perUnit > types.length) throw new Error('a unit would repeat a type');
  const applications = Array.from({ length: n }, (_, index) => ({
    index,
    unitId: unitIdOf(Math.floor(index / perUnit)),
    typeId: types[index % types.length],
    title: `${example(types[index % types.length]).title}（基准${pad(index)}）`,
    reject: index % REJECT_EVERY === REJECT_AT,
  }));
  const units = [...new Set(applications.map((a) => a.unitId))];
  const reviewed = applications.filter((a) => !a.reject).length;
  const panelSize = c.review.expertsPerApplication;
  return { units, applications, experts: planExperts(reviewed * panelSize, units, types), reviewed, panelSize };
}

/** Enough experts for `places` within their caps (and spare), across the example types' fields. */
function planExperts(places: number, units: string[], types: string[]): PlannedExpert[] {
  const fields = [...new Set(types.map((t) => String(example(t).discipline.field)))];
  const count = Math.ceil((places * POOL_SPARE) / EXPERT_MAX_LOAD) + 5;
  return Array.from({ length: count }, (_, k) => ({
    expertId: `bench-exp-${pad(k)}`,
    body: {
      name: `基准专家${pad(k)}`,
      email: `bench-exp-${pad(k)}@experts.example.org`,
      affiliation: '基准测试大学',
      // Each expert belongs to one of the units: never on that unit's panels (a conflict the round avoids).
      unitIds: [units[k % units.length]],
      disciplines: [fields[k % fields.length], fields[(k + 1) % fields.length]],
      maxLoad: EXPERT_MAX_LOAD,
    },
  }));
}

/** The body a unit submits: the type's example, with its own title. */
export function bodyOf(app: PlannedApplication): Body {
  const body = example(app.typeId);
  body.title = app.title;
  return body;
}

/** Registers the units (as staff) and takes each one's token; answers the tokens by unit id. */
export async function registerUnits(api: Api, plan: CallPlan, concurrency: number): Promise<Map<string, string>> {
  // A staff token, PUT /units/{unitId}, then the unit's token (Api.unitToken).
  const tokens = await pool(plan.units.length, concurrency, (i) => api.unitToken(plan.units[i]));
  return new Map(plan.units.map((unitId, i) => [unitId, tokens[i]]));
}

/** Adds the planned experts to the pool (as staff). */
export async function registerExperts(api: Api, staff: string, plan: CallPlan, concurrency: number): Promise<void> {
  await pool(plan.experts.length, concurrency, async (i) => {
    const { expertId, body } = plan.experts[i];
    const put = await api.request('PUT', `/experts/${expertId}`, { token: staff, body });
    if (put.status !== 201 && put.status !== 200)
      throw new Error(`PUT /experts/${expertId}: ${put.status} ${JSON.stringify(put.body)}`);
  });
}
