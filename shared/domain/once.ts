/**
 * A value built on its first use, then the same value for good. The domain's schemas are built this
 * way rather than when their module loads: a Lambda bundle loads every module it holds at cold start,
 * and building a zod schema is work (each `.check()` builds another), yet most handlers use few of
 * the schemas they bundle, or none before their first request (`npm run bench`, docs/measuring.md).
 */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}
