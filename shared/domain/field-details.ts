import type * as z from './zod';
import type { FieldDetail } from './errors';

/**
 * The one translation of schema (zod) issues into the API's field details: a dot path, an
 * UPPER_SNAKE code and a sentence that says what is wrong and, where it helps, what was given.
 */

export function shortKey(key: string): string {
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

export function joinPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.map((s) => shortKey(String(s))).join('.');
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/** Where an issue is and what it names in messages, for the mapper of its code. */
interface IssueAt {
  segs: PropertyKey[];
  path: string;
  name: string;
  input: unknown;
  what: string;
  out: FieldDetail[];
}

type IssueCode = z.core.$ZodIssue['code'];
type IssueOf<C extends IssueCode> = Extract<z.core.$ZodIssue, { code: C }>;
type IssueMapper<C extends IssueCode> = (issue: IssueOf<C>, at: IssueAt) => void;

function mapInvalidType(issue: IssueOf<'invalid_type'>, { path, name, input, out }: IssueAt): void {
  if (input === undefined) {
    out.push({ path, code: 'REQUIRED', message: `${name} is required` });
  } else if (issue.expected === 'int' && typeof input === 'number') {
    out.push({ path, code: 'NOT_INTEGER', message: `${name} must be a whole number (given ${input})` });
  } else {
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    out.push({
      path,
      code: 'INVALID_TYPE',
      message: `${name} must be ${expected} (given ${describeValue(input)})`,
    });
  }
}

function mapTooBig(issue: IssueOf<'too_big'>, { path, name, input, out }: IssueAt): void {
  const max = String(issue.maximum);
  if (issue.origin === 'string') {
    const len = typeof input === 'string' ? ` (given ${input.length})` : '';
    out.push({ path, code: 'TOO_LONG', message: `${name} must have at most ${max} characters${len}` });
  } else if (issue.origin === 'array' || issue.origin === 'set') {
    out.push({ path, code: 'TOO_MANY_ITEMS', message: `${name} must have at most ${max} items` });
  } else {
    out.push({ path, code: 'TOO_LARGE', message: `${name} must be at most ${max}` });
  }
}

function mapTooSmall(issue: IssueOf<'too_small'>, { path, name, input, out }: IssueAt): void {
  const min = String(issue.minimum);
  if (issue.origin === 'string') {
    out.push({ path, code: 'TOO_SHORT', message: `${name} must have at least ${min} characters` });
  } else if (issue.origin === 'array' || issue.origin === 'set') {
    out.push({ path, code: 'TOO_FEW_ITEMS', message: `${name} must have at least ${min} item(s)` });
  } else {
    const bound = issue.inclusive === false ? `greater than ${min}` : `at least ${min}`;
    out.push({
      path,
      code: 'TOO_SMALL',
      message: `${name} must be ${bound}${typeof input === 'number' ? ` (given ${input})` : ''}`,
    });
  }
}

function mapInvalidUnion(issue: IssueOf<'invalid_union'>, { segs, path, name, input, what, out }: IssueAt): void {
  // Prefer the branch that got past the type check: its issues say what is wrong.
  const informative = issue.errors.find((errs) =>
    errs.some((e) => !(e.code === 'invalid_type' && e.path.length === 0)),
  );
  if (informative) {
    for (const e of informative) mapIssue(e, segs, what, out);
  } else if (input === undefined) {
    out.push({ path, code: 'REQUIRED', message: `${name} is required` });
  } else {
    const expected = issue.errors
      .map((errs) => errs[0])
      .filter((e): e is z.core.$ZodIssueInvalidType => e?.code === 'invalid_type')
      .map((e) => EXPECTED[e.expected] ?? e.expected);
    out.push({
      path,
      code: 'INVALID_TYPE',
      message: `${name} must be ${expected.join(' or ') || 'valid'} (given ${describeValue(input)})`,
    });
  }
}

const ISSUE_MAPPERS: { [C in IssueCode]?: IssueMapper<C> } = {
  invalid_type: mapInvalidType,
  too_big: mapTooBig,
  too_small: mapTooSmall,
  invalid_value: (issue, { path, name, out }) => {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    out.push({ path, code: 'INVALID_VALUE', message: `${name} must be one of ${allowed}` });
  },
  unrecognized_keys: (issue, { segs, what, out }) => {
    for (const key of issue.keys) {
      const p = joinPath([...segs, key]);
      out.push({ path: p, code: 'UNKNOWN_FIELD', message: `${p} is not a field of ${what}` });
    }
  },
  invalid_union: mapInvalidUnion,
  custom: (issue, { path, name, out }) => {
    const code = (issue.params as { code?: string } | undefined)?.code ?? 'INVALID_VALUE';
    out.push({ path, code, message: `${name} ${issue.message}` });
  },
  invalid_format: (_issue, { path, name, out }) =>
    out.push({ path, code: 'INVALID_FORMAT', message: `${name} has an invalid format` }),
};

function mapIssue(issue: z.core.$ZodIssue, prefix: ReadonlyArray<PropertyKey>, what: string, out: FieldDetail[]): void {
  const segs = [...prefix, ...issue.path];
  const path = joinPath(segs);
  const name = path || 'the body';
  const input = (issue as { input?: unknown }).input;
  const mapper = ISSUE_MAPPERS[issue.code] as IssueMapper<IssueCode> | undefined;
  if (mapper) mapper(issue as IssueOf<IssueCode>, { segs, path, name, input, what, out });
  else out.push({ path, code: 'INVALID_VALUE', message: `${name} is not valid` });
}

/** Every issue as field details; `what` names the object in messages about unknown fields. */
export function fieldDetails(
  issues: readonly z.core.$ZodIssue[],
  prefix: ReadonlyArray<PropertyKey> = [],
  what = 'the request',
): FieldDetail[] {
  const out: FieldDetail[] = [];
  for (const issue of issues) mapIssue(issue, prefix, what, out);
  return out;
}
