/**
 * The automatic formal check (形式审查): does a schema-valid application meet the checkable
 * requirements of its project type, as the catalogue states them, and are its performance
 * targets complete? Requirements are evaluated generically, one evaluator per check op; there
 * is no per-type code here. Every failing requirement is reported, not only the first.
 */
import type { ApplicationForm } from './application-form';
import { type Bilingual, type Call, type Check, type Requirement, getProjectType } from './catalogue';

export interface FormalCheckReason {
  /** the catalogue requirement's id, or "performance-targets-complete" / "unknown-project-type" */
  requirementId: string;
  /** dot path into the application body */
  path: string;
  /** what is required and what was given */
  text: Bilingual;
}

export interface FormalCheckResult {
  passed: boolean;
  reasons: FormalCheckReason[];
}

export const PERFORMANCE_TARGETS_REQUIREMENT_ID = 'performance-targets-complete';

/** The performance-target groups that each need at least one indicator. */
export const PERFORMANCE_TARGET_GROUPS: ReadonlyArray<{ path: string; name: Bilingual }> = [
  { path: 'performanceTargets.output.quantity', name: { zh: '产出指标—数量指标', en: 'output — quantity' } },
  { path: 'performanceTargets.output.quality', name: { zh: '产出指标—质量指标', en: 'output — quality' } },
  { path: 'performanceTargets.output.timeliness', name: { zh: '产出指标—时效指标', en: 'output — timeliness' } },
  { path: 'performanceTargets.output.cost', name: { zh: '产出指标—成本指标', en: 'output — cost' } },
  { path: 'performanceTargets.effect', name: { zh: '效益指标', en: 'effect' } },
  { path: 'performanceTargets.satisfaction', name: { zh: '满意度指标', en: 'satisfaction' } },
];

// ---------------------------------------------------------------------------------------------
// Reading the form by dot path (own properties only)

export function getPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function items(form: ApplicationForm, path: string): unknown[] | undefined {
  const v = getPath(form, path);
  return Array.isArray(v) ? v : undefined;
}

/** Normalised for distinctness: trimmed, case-insensitive, full-width spaces folded. */
function norm(v: unknown): string {
  return typeof v === 'string'
    ? v
        .replace(/\u3000/g, ' ')
        .trim()
        .toLowerCase()
    : (JSON.stringify(v) ?? '');
}

const NOT_GIVEN: Bilingual = { zh: '未填写', en: 'not given' };

function givenNumber(v: unknown): Bilingual {
  return typeof v === 'number' ? { zh: `申报为${v}`, en: `given ${v}` } : NOT_GIVEN;
}

function givenCount(n: number | undefined): Bilingual {
  return n === undefined ? NOT_GIVEN : { zh: `申报${n}项`, en: `given ${n}` };
}

// ---------------------------------------------------------------------------------------------
// One evaluator per op: returns what was given when the check fails, null when it passes.

type Evaluator<C extends Check> = (check: C, form: ApplicationForm, call: Call) => Bilingual | null;
type Evaluators = { [Op in Check['op']]: Evaluator<Extract<Check, { op: Op }>> };

const evaluators: Evaluators = {
  min: (c, form) => {
    const v = getPath(form, c.path);
    return typeof v === 'number' && Number.isFinite(v) && v >= c.value ? null : givenNumber(v);
  },
  max: (c, form) => {
    const v = getPath(form, c.path);
    return typeof v === 'number' && Number.isFinite(v) && v <= c.value ? null : givenNumber(v);
  },
  oneOf: (c, form, call) => {
    const v = getPath(form, c.path);
    const allowed: readonly string[] = c.values ?? (c.valuesFrom ? call[c.valuesFrom] : []);
    if (typeof v === 'string' && allowed.includes(v.trim())) return null;
    return typeof v === 'string' ? { zh: `申报为“${v}”`, en: `given "${v}"` } : NOT_GIVEN;
  },
  minCount: (c, form) => {
    const list = items(form, c.path);
    return list && list.length >= c.value ? null : givenCount(list?.length);
  },
  minDistinct: (c, form) => {
    const list = items(form, c.path);
    if (!list) return NOT_GIVEN;
    const distinct = new Set(
      list
        .map((item) => getPath(item, c.field))
        .filter((v) => v !== undefined && v !== null && norm(v) !== '')
        .map(norm),
    );
    return distinct.size >= c.value ? null : { zh: `申报${distinct.size}个`, en: `given ${distinct.size}` };
  },
  minCountWhere: (c, form) => {
    const list = items(form, c.path);
    if (!list) return NOT_GIVEN;
    const n = list.filter((item) => getPath(item, c.field) === c.equals).length;
    return n >= c.value ? null : givenCount(n);
  },
  minCountWith: (c, form) => {
    const list = items(form, c.path);
    if (!list) return NOT_GIVEN;
    const filled = (value: unknown) => value !== undefined && value !== null && norm(value) !== '';
    const n = list.filter(
      (item) => getPath(item, c.where.field) === c.where.equals && filled(getPath(item, c.field)),
    ).length;
    return n >= c.value ? null : givenCount(n);
  },
  coversAll: (c, form) => {
    const list = items(form, c.path) ?? [];
    const where = c.where;
    const present = new Set(
      list
        .filter((item) => !where || getPath(item, where.field) === where.equals)
        .map((item) => getPath(item, c.field)),
    );
    const missing = c.values.filter((v) => !present.has(v));
    if (missing.length === 0) return null;
    const label = (v: string): Bilingual => c.labels?.[v] ?? { zh: v, en: v };
    return {
      zh: `缺少：${missing.map((v) => label(v).zh).join('、')}`,
      en: `missing: ${missing.map((v) => label(v).en).join(', ')}`,
    };
  },
};

function evaluate(check: Check, form: ApplicationForm, call: Call): Bilingual | null {
  const evaluator = evaluators[check.op] as Evaluator<Check>;
  return evaluator(check, form, call);
}

/** Evaluates one catalogue requirement; null when it is met. */
export function evaluateRequirement(
  call: Call,
  requirement: Requirement,
  form: ApplicationForm,
): FormalCheckReason | null {
  const given = evaluate(requirement.check, form, call);
  if (!given) return null;
  return {
    requirementId: requirement.id,
    path: requirement.check.path,
    text: { zh: `${requirement.text.zh}（${given.zh}）`, en: `${requirement.text.en} (${given.en})` },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The automatic formal check of a schema-valid application (the output of
 * validateApplication): every requirement of its project type, then the completeness of its
 * performance targets. All failing requirements are returned.
 */
export function formalCheck(call: Call, form: ApplicationForm): FormalCheckResult {
  const reasons = typeRequirementReasons(call, form).concat(
    PERFORMANCE_TARGET_GROUPS.flatMap((group) => targetGroupReasons(form, group)),
  );
  return { passed: reasons.length === 0, reasons };
}

/** The requirements of the application's project type that it fails (or that the type is not the call's). */
function typeRequirementReasons(call: Call, form: ApplicationForm): FormalCheckReason[] {
  const type = getProjectType(call, form.projectTypeId);
  if (!type) {
    return [
      {
        requirementId: 'unknown-project-type',
        path: 'projectTypeId',
        text: {
          zh: `项目类型不在本次申报通知之列（申报为“${form.projectTypeId}”）`,
          en: `The project type is not one of this call's (given "${form.projectTypeId}")`,
        },
      },
    ];
  }
  const reasons: FormalCheckReason[] = [];
  for (const requirement of type.requirements) {
    const reason = evaluateRequirement(call, requirement, form);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** A group of performance targets needs at least one indicator, and each indicator its unit. */
function targetGroupReasons(form: ApplicationForm, group: { path: string; name: Bilingual }): FormalCheckReason[] {
  const reasons: FormalCheckReason[] = [];
  const list = items(form, group.path);
  const n = list?.length ?? 0;
  if (n < 1) {
    reasons.push({
      requirementId: PERFORMANCE_TARGETS_REQUIREMENT_ID,
      path: group.path,
      text: {
        zh: `绩效目标“${group.name.zh}”应至少填写1项（填写${n}项）`,
        en: `Performance targets: ${group.name.en} indicators must number at least 1 (given ${n})`,
      },
    });
  }
  // Each indicator has a name, a target value and a unit of measure (计量单位); the schema holds
  // the first two, the unit may be left blank while drafting and is asked for here.
  (list ?? []).forEach((indicator, i) => {
    const reason = missingUnitReason(group, indicator, i);
    if (reason) reasons.push(reason);
  });
  return reasons;
}

function missingUnitReason(
  group: { path: string; name: Bilingual },
  indicator: unknown,
  i: number,
): FormalCheckReason | undefined {
  const unit = (indicator as { unit?: unknown } | null)?.unit;
  if (typeof unit === 'string' && unit.trim() !== '') return undefined;
  // Echo at most a short name: reasons are stored with the application and must stay small.
  const fullName = String((indicator as { name?: unknown } | null)?.name ?? '');
  const name = fullName.length > 40 ? `${fullName.slice(0, 39)}…` : fullName;
  return {
    requirementId: PERFORMANCE_TARGETS_REQUIREMENT_ID,
    path: `${group.path}.${i}.unit`,
    text: {
      zh: `绩效目标“${group.name.zh}”第${i + 1}项“${name}”应填写计量单位`,
      en: `Performance targets: ${group.name.en} indicator ${i + 1} ("${name}") needs a unit of measure`,
    },
  };
}
