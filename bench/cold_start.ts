/**
 * Cold start part of `npm run bench`. Starts a fresh Node process per run that imports a
 * function module and sends it one GET, and takes the median of each figure over the runs. It
 * measures the deployed bundle (the zip from `netlify build`, when it is at least as new as
 * the adapter's output), the adapter's unbundled output in `.netlify/functions-internal`, and a
 * minimal handler, interleaved run by run so that machine noise spreads evenly.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { progress, run_part } from './lib/part.ts';
import { median, round } from './lib/stats.ts';

const run_file = promisify(execFile);

/** A page the function renders per request: the cart reads the category list from the database. */
const PAGE_URL = 'http://localhost/us/cart';
const PROBE_TIMEOUT_MS = 20_000;
const FUNCTION_NAME = 'sveltekit-render';

export interface ColdStartInput {
	root: string;
	runs: number;
	/** PgBouncer's URL of a migrated and seeded database. */
	database_url: string;
	secrets: { SESSION_SECRET: string; IDENTITY_SECRET: string };
}

export interface ColdStartTarget {
	name: 'deployed bundle' | 'adapter output' | 'minimal handler';
	module: string;
	runs: number;
	/** Medians in ms. `import_to_response_ms` is the budgeted figure. */
	process_start_to_import_ms: number | null;
	import_ms: number | null;
	first_response_ms: number | null;
	import_to_response_ms: number | null;
	process_start_to_response_ms: number | null;
	/** The same request again in the same process. The first response's extra time is one-time work. */
	second_response_ms: number | null;
	/** Status of every first response; anything but 200 means the figure is not a real page. */
	statuses: number[];
}

export interface ColdStartResult {
	page: string;
	targets: ColdStartTarget[];
	/** Reason the deployed bundle was not measured, or null. */
	bundle_skipped: string | null;
}

interface ProbeOutput {
	import_started_ms: number;
	imported_ms: number;
	responded_ms: number;
	second_response_ms: number;
	status: number;
	bytes: number;
}

interface Target {
	name: ColdStartTarget['name'];
	/** Working folder of the probe. */
	cwd: string;
	module: string;
	label: string;
}

/** Extracts the `netlify build` zip when it is not older than the adapter output. */
async function extract_bundle(root: string): Promise<{ dir: string; entry: string } | string> {
	const zip = join(root, '.netlify/functions', `${FUNCTION_NAME}.zip`);
	const manifest_file = join(root, '.netlify/functions/manifest.json');
	const adapter_entry = join(root, '.netlify/functions-internal', `${FUNCTION_NAME}.mjs`);
	if (!existsSync(zip) || !existsSync(manifest_file)) {
		return 'no function zip: run netlify build --offline to measure the deployed bundle';
	}
	if (existsSync(adapter_entry) && statSync(zip).mtimeMs < statSync(adapter_entry).mtimeMs) {
		return 'the function zip is older than the last build: run netlify build --offline';
	}
	const manifest = JSON.parse(readFileSync(manifest_file, 'utf8')) as {
		functions: { name: string; mainFile: string }[];
	};
	const main_file = manifest.functions.find((entry) => entry.name === FUNCTION_NAME)?.mainFile;
	if (!main_file) return `the functions manifest lists no ${FUNCTION_NAME}`;

	const dir = mkdtempSync(join(tmpdir(), 'splitshop-function-'));
	await run_file('unzip', ['-q', zip, '-d', dir], { timeout: 60_000 });
	// The zip keeps the entry at its path relative to the project root.
	return { dir, entry: join(dir, relative(root, main_file)) };
}

async function probe(target: Target, input: ColdStartInput): Promise<ProbeOutput> {
	const probe_script = join(input.root, 'bench/cold_start_probe.mjs');
	const { stdout } = await run_file(process.execPath, [probe_script, target.module, PAGE_URL], {
		cwd: target.cwd,
		timeout: PROBE_TIMEOUT_MS,
		// Only what a deployed function would have: no URL, so checkouts call nothing remote.
		env: { PATH: process.env.PATH, DATABASE_URL: input.database_url, ...input.secrets }
	});
	const last = stdout.trim().split('\n').at(-1) ?? '';
	return JSON.parse(last) as ProbeOutput;
}

function summarize(target: Target, outputs: ProbeOutput[]): ColdStartTarget {
	const figure = (pick: (output: ProbeOutput) => number) => round(median(outputs.map(pick)));
	return {
		name: target.name,
		module: target.label,
		runs: outputs.length,
		process_start_to_import_ms: figure((output) => output.import_started_ms),
		import_ms: figure((output) => output.imported_ms - output.import_started_ms),
		first_response_ms: figure((output) => output.responded_ms - output.imported_ms),
		import_to_response_ms: figure((output) => output.responded_ms - output.import_started_ms),
		process_start_to_response_ms: figure((output) => output.responded_ms),
		second_response_ms: figure((output) => output.second_response_ms),
		statuses: outputs.map((output) => output.status)
	};
}

async function main(input: ColdStartInput): Promise<ColdStartResult> {
	const targets: Target[] = [];
	const bundle = await extract_bundle(input.root);
	try {
		if (typeof bundle !== 'string') {
			targets.push({
				name: 'deployed bundle',
				cwd: bundle.dir,
				module: bundle.entry,
				label: `.netlify/functions/${FUNCTION_NAME}.zip`
			});
		} else progress(`deployed bundle: not measured, because ${bundle}`);

		const adapter_entry = join(input.root, '.netlify/functions-internal', `${FUNCTION_NAME}.mjs`);
		if (!existsSync(adapter_entry))
			throw new Error(`${adapter_entry} not found: run npm run build`);
		targets.push({
			name: 'adapter output',
			cwd: input.root,
			module: adapter_entry,
			label: relative(input.root, adapter_entry)
		});
		const minimal = join(input.root, 'bench/minimal_function.mjs');
		targets.push({
			name: 'minimal handler',
			cwd: input.root,
			module: minimal,
			label: relative(input.root, minimal)
		});

		const outputs = new Map<Target, ProbeOutput[]>(targets.map((target) => [target, []]));
		for (let run = 1; run <= input.runs; run++) {
			for (const target of targets) {
				const output = await probe(target, input);
				outputs.get(target)?.push(output);
				progress(
					`run ${run}/${input.runs}, ${target.name}: import ${(output.imported_ms - output.import_started_ms).toFixed(0)} ms, ` +
						`first response ${(output.responded_ms - output.imported_ms).toFixed(0)} ms (status ${output.status}), ` +
						`second ${output.second_response_ms.toFixed(0)} ms`
				);
			}
		}
		return {
			page: new URL(PAGE_URL).pathname,
			targets: targets.map((target) => summarize(target, outputs.get(target) ?? [])),
			bundle_skipped: typeof bundle === 'string' ? bundle : null
		};
	} finally {
		if (typeof bundle !== 'string') rmSync(bundle.dir, { recursive: true, force: true });
	}
}

await run_part(main);
