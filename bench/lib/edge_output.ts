/**
 * Reads the figures from the text that `bench/edge.ts` prints: its table of p50 and p99 per
 * measurement in microseconds, and one line per edge bundle file with its gzip size.
 */

export interface EdgeMeasurement {
	name: string;
	p50_us: number;
	p99_us: number;
}

export interface EdgeBundle {
	file: string;
	kb: number;
	gzip_kb: number;
}

export interface EdgeResult {
	/** The first line edge.ts prints: runtime and round counts. */
	title: string;
	measurements: EdgeMeasurement[];
	/** The bare `crypto.subtle.verify` row that the pipeline is compared with. */
	bare_verify: EdgeMeasurement;
	/** Rows of the whole pipeline. */
	pipeline: EdgeMeasurement[];
	bundles: EdgeBundle[];
	/** Reason no bundle size was printed, or null. */
	bundle_note: string | null;
}

const ROW = /^(\S.*?)\s{2,}(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)$/;
const BUNDLE = /^Edge bundle (\S+): (\d+(?:\.\d+)?) KB, (\d+(?:\.\d+)?) KB gzip/;

export function parse_edge_output(lines: readonly string[]): EdgeResult {
	const measurements: EdgeMeasurement[] = [];
	const bundles: EdgeBundle[] = [];
	let bundle_note: string | null = null;
	for (const line of lines.map((text) => text.trimEnd())) {
		const row = ROW.exec(line);
		if (row) {
			measurements.push({ name: row[1]!, p50_us: Number(row[2]), p99_us: Number(row[3]) });
			continue;
		}
		const bundle = BUNDLE.exec(line);
		if (bundle) {
			bundles.push({ file: bundle[1]!, kb: Number(bundle[2]), gzip_kb: Number(bundle[3]) });
		} else if (line.startsWith('Edge bundle')) {
			bundle_note = line.replace(/^Edge bundle:?\s*/, '');
		}
	}

	const bare_verify = measurements.find((row) => /^bare\b/i.test(row.name));
	const pipeline = measurements.filter((row) => /^pipeline\b/i.test(row.name));
	if (!bare_verify || pipeline.length === 0) {
		throw new Error(
			'bench/edge.ts printed no table with a "bare ..." row and "pipeline ..." rows; ' +
				'its output format may have changed'
		);
	}
	return {
		title: lines.find((line) => line.trim() !== '')?.trim() ?? '',
		measurements,
		bare_verify,
		pipeline,
		bundles,
		bundle_note
	};
}
