// Order statistics over samples, rounded for printing.

/** The q-quantile (0..1) of `samples` by nearest rank; sorts a copy. */
export function quantile(samples, q) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** p50, p90, p99 and max of latency samples in ms. */
export function latencySummary(samples) {
  return {
    p50: quantile(samples, 0.5),
    p90: quantile(samples, 0.9),
    p99: quantile(samples, 0.99),
    max: Math.max(...samples),
  };
}

/** The median of `samples`. */
export function median(samples) {
  return quantile(samples, 0.5);
}

/** Rounds to `digits` decimals (keeps JSON figures readable). */
export function round(value, digits = 3) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
