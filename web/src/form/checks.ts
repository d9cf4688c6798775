import type { Call } from '@shared/domain/catalogue/call-schema';
import type { Requirement } from '@shared/domain/catalogue/checks';
import { getProjectType } from '@shared/domain/catalogue/call-queries';
import { validateApplication, type ApplicationForm } from '@shared/domain/application-form';
import { formalCheck } from '@shared/domain/formal-check';
import type { Bilingual } from '../i18n';
import { formBody, type FormValue } from './values';

/**
 * The form's problems as the API and the formal check will find them, by field path: the same
 * schema the API validates with, then the notice's thresholds (线下参会不少于200人) of the type.
 * Nothing here is a second copy of a rule.
 */
export interface Problem {
  path: string;
  text: Bilingual;
}

/** The schema's codes in words; the English is the API's own message. */
const CODE_WORDS: Record<string, string> = {
  REQUIRED: '必填',
  TOO_SHORT: '内容过短',
  TOO_LONG: '内容过长',
  INVALID_DATE: '请填写有效日期（年-月-日）',
  INVALID_EMAIL: '请填写有效的电子邮箱',
  INVALID_PHONE: '电话应为5–30位数字、+、-或空格',
  INVALID_TYPE: '格式不正确',
  NOT_INTEGER: '应为整数',
  TOO_SMALL: '数值过小',
  TOO_LARGE: '数值过大',
  TOO_FEW_ITEMS: '至少填写一行',
  TOO_MANY_ITEMS: '行数过多',
  INVALID_VALUE: '请从列表中选择',
};

export function problemFromDetail(detail: { path: string; code: string; message: string }): Problem {
  const zh = CODE_WORDS[detail.code] ?? detail.message;
  return { path: detail.path, text: { zh, en: detail.message } };
}

export function formProblems(call: Call, value: FormValue): Problem[] {
  const body = formBody(value) as ApplicationForm;
  const validated = validateApplication(call, body);
  const schema = validated.ok ? [] : validated.issues.map(problemFromDetail);
  const thresholds = thresholdProblems(call, body);
  const seen = new Set(schema.map((p) => p.path));
  return [...schema, ...thresholds.filter((p) => !seen.has(p.path))];
}

function thresholdProblems(call: Call, body: ApplicationForm): Problem[] {
  try {
    // The formal check reads a finished form; on a half-filled one it still tells what it can.
    return formalCheck(call, body).reasons.map((reason) => ({ path: reason.path, text: reason.text }));
  } catch {
    return [];
  }
}

/** The notice's requirements of the type, by the field each reads: shown beside that field. */
export function requirementsByPath(call: Call, projectTypeId: unknown): Map<string, Requirement[]> {
  const type = typeof projectTypeId === 'string' ? getProjectType(call, projectTypeId) : undefined;
  const byPath = new Map<string, Requirement[]>();
  for (const requirement of type?.requirements ?? [])
    byPath.set(requirement.check.path, [...(byPath.get(requirement.check.path) ?? []), requirement]);
  return byPath;
}

/** Problems of a field and of anything inside it (a table's rows). */
export const problemsUnder = (problems: readonly Problem[], path: string) =>
  problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));

/** The API's own refusal, by field: each `details` entry lands on the field its path names. */
export function problemsFromRefusal(error: unknown): Problem[] {
  const details = (error as { details?: Array<{ path: string; code: string; message: string }> } | undefined)?.details;
  // A header's or the address's problem is no field's: it is shown as the refusal it is.
  return (details ?? []).filter((d) => d.path && !/^(headers|path|query)\./.test(d.path)).map(problemFromDetail);
}

const REFUSED_KEY = (draftId: string) => `gdast.refused.${draftId}`;

/** Keeps a draft's refusal for its editor to show (the refusal comes on the preview page). */
export function keepRefusal(draftId: string, problems: Problem[]): void {
  sessionStorage.setItem(REFUSED_KEY(draftId), JSON.stringify(problems));
}

export function takeRefusal(draftId: string): Problem[] {
  const kept = sessionStorage.getItem(REFUSED_KEY(draftId));
  sessionStorage.removeItem(REFUSED_KEY(draftId));
  return kept ? (JSON.parse(kept) as Problem[]) : [];
}
