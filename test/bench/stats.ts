/** Small numeric helpers for the bench: percentiles (nearest rank), rounding, a text table. */

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const round = (value: number, digits = 1) =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value;

export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(mean),
  };
}

export const median = (samples: readonly number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; results in index order. */
export async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/**
 * A plain text table: the first `leftColumns` columns left-aligned, the rest right-aligned (numbers).
 * With no header, just the aligned rows.
 */
export function table(header: string[] | undefined, rows: (string | number)[][], leftColumns = 1): string {
  const body = rows.map((row) => row.map(String));
  const cells = header ? [header, ...body] : body;
  const columns = Math.max(...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...cells.map((row) => [...(row[c] ?? '')].length)));
  const pad = (text: string, c: number) => {
    const gap = ' '.repeat(widths[c] - [...text].length);
    return c < leftColumns ? text + gap : gap + text;
  };
  const line = (row: string[]) =>
    row
      .map((cell, c) => pad(cell ?? '', c))
      .join('  ')
      .trimEnd();
  return header
    ? [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
    : body.map(line).join('\n');
}
