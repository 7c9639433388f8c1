/** Summary statistics and number formatting shared by the benchmark parts. */

export interface LatencySummary {
	count: number;
	p50_ms: number | null;
	p99_ms: number | null;
	max_ms: number | null;
}

/** Returns the nearest-rank percentile of an ascending array, or null for an empty one. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.ceil(fraction * sorted.length) - 1;
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function median(values: readonly number[]): number | null {
	return percentile(
		[...values].sort((a, b) => a - b),
		0.5
	);
}

export function summarize_latency(durations_ms: readonly number[]): LatencySummary {
	const sorted = [...durations_ms].sort((a, b) => a - b);
	return {
		count: sorted.length,
		p50_ms: round(percentile(sorted, 0.5)),
		p99_ms: round(percentile(sorted, 0.99)),
		max_ms: round(sorted.at(-1) ?? null)
	};
}

/** Rounds to `digits` decimals, keeping null. */
export function round(value: number | null, digits = 1): number | null {
	if (value === null) return null;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** Counts each distinct string, most frequent first. */
export function count_by(values: Iterable<string>): Record<string, number> {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

export function sum(values: Iterable<number>): number {
	let total = 0;
	for (const value of values) total += value;
	return total;
}
