/** The form as typed so far: a plain JSON object read and written by the API's dot paths. */
export type FormValue = Record<string, unknown>;

const isIndex = (segment: string) => /^\d+$/.test(segment);

export function getAt(root: unknown, path: string): unknown {
  let node = root;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, segment))
      return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A copy of `root` with `value` at `path` (undefined removes it), creating objects and arrays on the way. */
export function setAt(root: FormValue, path: string, value: unknown): FormValue {
  const [head, ...rest] = path.split('.');
  const copy: Record<string, unknown> | unknown[] = Array.isArray(root) ? [...root] : { ...root };
  const child = (copy as Record<string, unknown>)[head];
  const next =
    rest.length === 0 ? value : setAt((child ?? (isIndex(rest[0]) ? [] : {})) as FormValue, rest.join('.'), value);
  if (next === undefined && !Array.isArray(copy)) delete (copy as Record<string, unknown>)[head];
  else (copy as Record<string, unknown>)[head] = next;
  return copy as FormValue;
}

/** The rows of a table field, always an array. */
export const rowsAt = (root: unknown, path: string): Record<string, unknown>[] => {
  const rows = getAt(root, path);
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
};

/**
 * What is sent to the API: empty text and empty optional tables left out, so "not filled in" reads
 * as missing (REQUIRED) rather than as a blank string.
 */
export function formBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(formBody);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const cleaned = formBody(field);
    if (cleaned === undefined || cleaned === '') continue;
    out[key] = cleaned;
  }
  return out;
}
