/** Small value helpers shared by the local Step Functions modules. */
import type { JsonObject } from './types';

/** Epoch milliseconds as the epoch seconds the JSON API carries. */
export function seconds(ms: number): number {
  return ms / 1000;
}

export function jsonClone<T>(value: T): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function causeText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Adds `value` to the list kept under `key`, starting the list when there is none. */
export function appendTo<K, V>(lists: Map<K, V[]> | undefined, key: K, value: V): void {
  const list = lists?.get(key);
  if (list) list.push(value);
  else lists?.set(key, [value]);
}

/** Evaluates the simple JSONPaths (`$`, `$.a.b`, `$.a[0]`, `$['a']`) used to size a Map in the history. */
export function simplePath(pathExpr: string, value: unknown): unknown {
  if (pathExpr === '$') return value;
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]/gy;
  let current: unknown = value;
  re.lastIndex = 1;
  if (!pathExpr.startsWith('$')) return undefined;
  while (re.lastIndex < pathExpr.length) {
    const m = re.exec(pathExpr);
    if (!m) return undefined;
    const key = m[1] ?? m[3] ?? Number(m[2]);
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
