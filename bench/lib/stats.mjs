// Order statistics. Percentiles are nearest-rank on the sorted sample (no interpolation).

export function percentile(sorted, q) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** {n, min, p50, p95, p99, max, mean} of a sample (ms or whatever unit it is in). */
export function summarize(values) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return { n: 0 };
  return {
    n: s.length,
    min: s[0],
    p50: percentile(s, 0.5),
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

export const median = (values) => summarize(values).p50 ?? null;

export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : null;
}

/** The same list rotated by k: rounds alternate which client goes first. */
export function rotate(list, k) {
  const n = list.length;
  const s = ((k % n) + n) % n;
  return [...list.slice(s), ...list.slice(0, s)];
}
