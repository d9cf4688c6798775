import type { FieldDetail } from '../errors';

/**
 * The findings of a summary report's review (was each performance target met?), read from the
 * reviewer's answer for readTaskAnswer.
 */

/** The form's flat field name of a performance target's finding: `target.<path>` = `met` | `not-met`. */
export const TARGET_FIELD_PREFIX = 'target.';
/** The values of a `target.<path>` field (the page's radio pair). */
export const TARGET_FINDINGS = { met: 'met', notMet: 'not-met' } as const;

/** A performance target as the reviewer of a summary report judges it: its path on the form and its name. */
export interface TargetToJudge {
  path: string;
  indicator: string;
}

/** The most unknown target paths named one by one (a hostile body could send thousands). */
const MAX_UNKNOWN_TARGETS_LISTED = 20;
const shortPath = (path: string) => (path.length > 100 ? `${path.slice(0, 100)}…` : path);

/** A finding as given: JSON true/false, or the form's `met` / `not-met` (also accepted in JSON). */
function findingOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text === TARGET_FINDINGS.met) return true;
  if (text === TARGET_FINDINGS.notMet) return false;
  return undefined;
}

/**
 * The findings as given, path and value, from the flat fields or the `targets` object; undefined
 * (with the detail) when both are given or the object is not one.
 */
function givenFindings(input: Record<string, unknown>, details: FieldDetail[]): Array<[string, unknown]> | undefined {
  const flat = Object.keys(input).filter((key) => key.startsWith(TARGET_FIELD_PREFIX));
  const hasObject = Object.prototype.hasOwnProperty.call(input, 'targets') && input.targets !== undefined;
  if (flat.length && hasObject) {
    details.push({
      path: 'targets',
      code: 'AMBIGUOUS',
      message: `give the findings either as a targets object or as ${TARGET_FIELD_PREFIX}<path> fields, not both`,
    });
    return undefined;
  }
  if (flat.length) return flat.map((key) => [key.slice(TARGET_FIELD_PREFIX.length), input[key]]);
  if (!hasObject) return [];
  const raw = input.targets;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    details.push({
      path: 'targets',
      code: 'INVALID_TYPE',
      message: "targets: an object of each performance target's path and true (met) or false (not met)",
    });
    return undefined;
  }
  return Object.entries(raw as Record<string, unknown>);
}

/** The findings of the known targets; a bad value is a detail, an unknown path is kept to be named after. */
function judgeFindings(
  given: Array<[string, unknown]>,
  targets: readonly TargetToJudge[] | undefined,
  details: FieldDetail[],
): { findings: Map<string, boolean>; unknown: string[] } {
  const known = new Map((targets ?? []).map((t) => [t.path, t] as const));
  const findings = new Map<string, boolean>();
  const unknown: string[] = [];
  for (const [path, value] of given) {
    if (!known.has(path)) {
      unknown.push(path);
      continue;
    }
    const met = findingOf(value);
    if (met === undefined) {
      details.push({
        path: `targets.${path}`,
        code: 'INVALID_VALUE',
        message: `${known.get(path)?.indicator}: met or not-met (true or false), given ${JSON.stringify(String(value).slice(0, 50))}`,
      });
    } else findings.set(path, met);
  }
  return { findings, unknown };
}

/** Names the first unknown paths one by one and only counts the rest. */
function nameUnknownTargets(
  unknown: string[],
  targets: readonly TargetToJudge[] | undefined,
  details: FieldDetail[],
): void {
  unknown.slice(0, MAX_UNKNOWN_TARGETS_LISTED).forEach((path) =>
    details.push({
      path: `targets.${shortPath(path)}`,
      code: 'UNKNOWN_TARGET',
      message: targets
        ? `${shortPath(path)} is not a performance target of the application`
        : "only a summary report's review judges performance targets",
    }),
  );
  if (unknown.length > MAX_UNKNOWN_TARGETS_LISTED)
    details.push({
      path: 'targets',
      code: 'UNKNOWN_TARGET',
      message: `and ${unknown.length - MAX_UNKNOWN_TARGETS_LISTED} more paths that are not performance targets`,
    });
}

/** A target neither found nor already named as invalid is still owed a finding. */
function requireEveryTarget(
  targets: readonly TargetToJudge[],
  findings: Map<string, boolean>,
  details: FieldDetail[],
): void {
  for (const target of targets) {
    const invalid = details.some((d) => d.path === `targets.${target.path}`);
    if (!findings.has(target.path) && !invalid)
      details.push({
        path: `targets.${target.path}`,
        code: 'REQUIRED',
        message: `say whether the target was met: ${target.indicator}`,
      });
  }
}

/**
 * The findings of a summary report's review, one per performance target: JSON `{"targets":
 * {"<path>": true|false}}`, or the form's flat fields `target.<path>` = `met` | `not-met` (both at
 * once is refused). When `targets` is given (the reviewed report is a summary), every one of them
 * must be answered and no other path is taken; without it, no finding is taken at all. Every bad
 * finding is named `targets.<path>`.
 */
export function readTargetFindings(
  input: Record<string, unknown>,
  targets: readonly TargetToJudge[] | undefined,
  details: FieldDetail[],
): Record<string, boolean> | undefined {
  const given = givenFindings(input, details);
  if (!given) return undefined;
  const { findings, unknown } = judgeFindings(given, targets, details);
  nameUnknownTargets(unknown, targets, details);
  if (!targets) return undefined;
  requireEveryTarget(targets, findings, details);
  // fromEntries defines own properties: a path named __proto__ is just a key
  return Object.fromEntries(
    targets.filter((t) => findings.has(t.path)).map((t) => [t.path, findings.get(t.path) as boolean]),
  );
}
