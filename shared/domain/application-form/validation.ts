/**
 * Validating an application body against its call. Lists every bad field (never only the first),
 * never throws, and never writes to its input or to any prototype: the body is hostile until read.
 */
import * as z from '../zod';
import type { FieldDetail } from '../errors';
import { describeValue, fieldDetails, shortKey } from '../field-details';
import type { Call } from '../catalogue/call-schema';
import type { ProjectType } from '../catalogue/project-type';
import { fundingAllows, fundingLabel, getProjectType } from '../catalogue/call-queries';
import { type ApplicationDetails, detailsSchemaFor } from './details-schemas';
import { formFieldSchemas, list } from './field-schemas';
import {
  ALL_FIELD_NAMES,
  type ApplicationForm,
  type CoOrganiser,
  FIELD_NAMES,
  type FieldName,
  formFields,
} from './form-schema';

/**
 * One bad field. Codes (UPPER_SNAKE): REQUIRED, INVALID_TYPE, NOT_INTEGER, TOO_LONG, TOO_SMALL,
 * TOO_LARGE, TOO_FEW_ITEMS, TOO_MANY_ITEMS, INVALID_VALUE, INVALID_DATE, INVALID_EMAIL,
 * INVALID_PHONE, UNKNOWN_FIELD, UNKNOWN_PROJECT_TYPE, FUNDING_OUT_OF_RANGE, END_BEFORE_START,
 * END_AFTER_FINISH_DATE, BUDGET_MISMATCH, TOO_MANY_ISSUES.
 */
export type FieldIssue = FieldDetail;

export type ValidationResult =
  { ok: true; value: ApplicationForm; type: ProjectType } | { ok: false; issues: FieldIssue[] };

/** At most this many issues are listed (a hostile body could otherwise produce millions). */
export const MAX_ISSUES = 200;

// ---------------------------------------------------------------------------------------------
// Reading the body safely

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Own property only: never reads through the prototype chain (`constructor`, `__proto__`). */
function own(obj: unknown, key: string): unknown {
  return isPlainObject(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function parseField<T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
  prefix: string[],
  out: FieldIssue[],
): { ok: true; data: T } | { ok: false } {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return { ok: true, data: r.data };
  out.push(...fieldDetails(r.error.issues, prefix, 'the application form'));
  return { ok: false };
}

/** The parsed value if `value` satisfies `schema`, else undefined (no issues reported). */
function peek<T>(schema: z.ZodMiniType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Validates an application body against the call: every bad field is listed. Used for new
 * applications and for amendments alike.
 */
export function validateApplication(call: Call, body: unknown): ValidationResult {
  try {
    return validate(call, body);
  } catch {
    // Not expected to happen: a schema bug must not become a 5xx on hostile input.
    return { ok: false, issues: [{ path: '', code: 'INVALID_BODY', message: 'the application could not be read' }] };
  }
}

/** Amendments (PUT /applications/{id}) carry the full form: same rules. */
export const validateAmendment = validateApplication;

function unknownFields(body: Record<string, unknown>, issues: FieldIssue[]): void {
  for (const key of Object.keys(body)) {
    if (!ALL_FIELD_NAMES.has(key)) {
      const p = shortKey(key);
      issues.push({ path: p, code: 'UNKNOWN_FIELD', message: `${p} is not a field of the application form` });
      if (issues.length > MAX_ISSUES) return;
    }
  }
}

/** Every top-level field parsed on its own, so all their issues are listed; undefined if any is bad. */
function parseFields(
  body: Record<string, unknown>,
  issues: FieldIssue[],
): Partial<Record<FieldName, unknown>> | undefined {
  const parsed: Partial<Record<FieldName, unknown>> = {};
  let allFieldsOk = true;
  for (const name of FIELD_NAMES) {
    const r = parseField(formFields()[name] as z.ZodMiniType, own(body, name), [name], issues);
    if (r.ok) parsed[name] = r.data;
    else allFieldsOk = false;
  }
  return allFieldsOk ? parsed : undefined;
}

/** The project type the body names, if it is one of the call's (an unknown one is an issue). */
function projectTypeOf(call: Call, body: Record<string, unknown>, issues: FieldIssue[]): ProjectType | undefined {
  const typeId = peek(formFields().projectTypeId, own(body, 'projectTypeId'));
  if (typeId === undefined) return undefined;
  const type = getProjectType(call, typeId);
  if (!type) {
    issues.push({
      path: 'projectTypeId',
      code: 'UNKNOWN_PROJECT_TYPE',
      message: `projectTypeId must be one of ${call.projectTypes.map((t) => t.typeId).join(', ')} (given ${JSON.stringify(shortKey(typeId))})`,
    });
  }
  return type;
}

/** The details the type's form kind needs; a general type needs none, so it may leave them out. */
function parseDetails(type: ProjectType, body: Record<string, unknown>, issues: FieldIssue[]) {
  const rawDetails = own(body, 'details');
  const details = type.form === 'general' && rawDetails === undefined ? {} : rawDetails;
  return parseField(detailsSchemaFor(type), details, ['details'], issues);
}

/** The dates: the end not before the start, and not after the type's finish date. */
function checkDates(body: Record<string, unknown>, type: ProjectType | undefined, issues: FieldIssue[]): void {
  const { IsoDateField } = formFieldSchemas();
  const start = peek(IsoDateField, own(body, 'startDate'));
  const end = peek(IsoDateField, own(body, 'endDate'));
  if (start !== undefined && end !== undefined && end < start) {
    issues.push({
      path: 'endDate',
      code: 'END_BEFORE_START',
      message: `endDate (${end}) must not be before startDate (${start})`,
    });
  }
  if (type && end !== undefined && end > type.finishBy) {
    issues.push({
      path: 'endDate',
      code: 'END_AFTER_FINISH_DATE',
      message: `endDate (${end}) must not be after ${type.finishBy}: ${type.typeId} projects must finish by then`,
    });
  }
}

/** The budget: the amount within the type's funding, and the items adding up to it. */
function checkBudget(body: Record<string, unknown>, type: ProjectType | undefined, issues: FieldIssue[]): void {
  const rawBudget = own(body, 'budget');
  const requested = peek(formFields().budget.shape.requestedCny, own(rawBudget, 'requestedCny'));
  if (type && requested !== undefined && !fundingAllows(type, requested)) {
    const f = type.funding;
    const allowed = f.kind === 'fixed' ? `at most ${f.amountCny}` : `between ${f.minCny} and ${f.maxCny}`;
    issues.push({
      path: 'budget.requestedCny',
      code: 'FUNDING_OUT_OF_RANGE',
      message: `budget.requestedCny must be ${allowed} CNY for ${type.typeId} (funding ${fundingLabel(type)}; given ${requested})`,
    });
  }
  const rawItems = peek(list(z.unknown(), 1, 50), own(rawBudget, 'items'));
  if (requested === undefined || rawItems === undefined) return;
  const { Count } = formFieldSchemas();
  const amounts = rawItems.map((item) => peek(Count, own(item, 'amountCny')));
  if (!amounts.every((a): a is number => a !== undefined)) return;
  const sum = amounts.reduce((total, a) => total + a, 0);
  if (sum !== requested) {
    issues.push({
      path: 'budget.items',
      code: 'BUDGET_MISMATCH',
      message: `the budget items add up to ${sum} CNY but budget.requestedCny is ${requested}`,
    });
  }
}

function capped(issues: FieldIssue[]): FieldIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  return [
    ...issues.slice(0, MAX_ISSUES),
    { path: '', code: 'TOO_MANY_ISSUES', message: `only the first ${MAX_ISSUES} issues are listed` },
  ];
}

/** The form as stored: optional lists filled in, and the names of experts to avoid trimmed for matching. */
function formOf(parsed: Partial<Record<FieldName, unknown>>, details: unknown): ApplicationForm {
  return {
    ...(parsed as Omit<ApplicationForm, 'coOrganisers' | 'details'>),
    coOrganisers: (parsed.coOrganisers as CoOrganiser[] | undefined) ?? [],
    ...(parsed.expertsToAvoid
      ? { expertsToAvoid: (parsed.expertsToAvoid as string[]).map((name) => name.trim()) }
      : {}),
    details: details as ApplicationDetails,
  };
}

function validate(call: Call, body: unknown): ValidationResult {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      issues: [
        {
          path: '',
          code: 'INVALID_TYPE',
          message: `the application must be a JSON object (given ${describeValue(body)})`,
        },
      ],
    };
  }
  const issues: FieldIssue[] = [];
  unknownFields(body, issues);
  const fields = parseFields(body, issues);
  const type = projectTypeOf(call, body, issues);
  const details = type && parseDetails(type, body, issues);
  // Cross-field rules, each checked as soon as the fields it reads are valid on their own.
  checkDates(body, type, issues);
  checkBudget(body, type, issues);

  if (issues.length > 0 || !fields || !type || !details?.ok) return { ok: false, issues: capped(issues) };
  return { ok: true, value: formOf(fields, details.data), type };
}
