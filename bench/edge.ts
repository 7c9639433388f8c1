/**
 * Edge pipeline benchmark (`npm run bench:edge`). Runs `handle_request` with a valid session and
 * every step under Node (or Deno: `deno run -A bench/edge.ts`), after warm-ups, and prints the time per request (p50, p99) next to a
 * bare `crypto.subtle.verify` HMAC of the same token. The origin responds at once, so the times
 * are the edge's own CPU work plus promise scheduling. Two pipeline figures are printed: with the
 * token already verified in this isolate (a visitor's later requests) and with a full `jose`
 * verification on every request (a visitor's first request to an isolate). Then prints the gzip
 * size of the built edge bundle. Usage: node bench/edge.ts [runs per step]
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_FLAGS } from '../src/lib/edge/flags.ts';
import { handle_request, type EdgeDeps } from '../src/lib/edge/pipeline.ts';
import { ClientRateLimits } from '../src/lib/edge/rate_limiter.ts';
import { SessionVerifier } from '../src/lib/edge/session.ts';
import { load_session_keyring } from '../src/lib/shared/session/keys.ts';
import { SESSION_COOKIE } from '../src/lib/shared/session/policy.ts';
import { sign_session_token } from '../src/lib/shared/session/sign.ts';
import { verify_session_token } from '../src/lib/shared/session/verify.ts';

const ITERATIONS = Number(process.argv[2] ?? 20_000);
const WARM_UP = Math.min(5_000, ITERATIONS);
const BUNDLE_DIR = '.netlify/edge-functions-dist';
const P99_BUDGET_MS = 1;
const RATIO_BUDGET = 1.5;
/** Measured blocks per step; the steps take turns block by block. */
const BLOCKS = 4;

const secrets = {
	session: { current: 'benchmark-session-secret-0123456789abcdef' },
	identity: 'benchmark-identity-secret-0123456789abcdef'
};
const keyring = await load_session_keyring(secrets.session);
const { token } = await sign_session_token({ user_id: 'user-1', role: 'customer' }, keyring);
const cookie = `${SESSION_COOKIE}=${token}; region=us`;

/**
 * Measures each step in blocks of `ITERATIONS / BLOCKS` consecutive runs, each block after its
 * own warm-up, with the steps taking turns block by block. A step runs alone within a block, as
 * in a plain loop, while machine load that comes and goes is spread over all steps. Returns each
 * step's durations in ms.
 */
async function measure(
	steps: Record<string, () => Promise<unknown>>
): Promise<Record<string, number[]>> {
	const durations: Record<string, number[]> = {};
	const block_size = Math.ceil(ITERATIONS / BLOCKS);
	for (let block = 0; block < BLOCKS; block++) {
		for (const [name, step] of Object.entries(steps)) {
			const samples = (durations[name] ??= []);
			for (let run = 0; run < WARM_UP / BLOCKS; run++) await step();
			for (let run = 0; run < block_size; run++) {
				const started = performance.now();
				await step();
				samples.push(performance.now() - started);
			}
		}
	}
	return durations;
}

function percentile(sorted: number[], fraction: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}

function summary(durations: number[]): { p50: number; p99: number } {
	const sorted = [...durations].sort((a, b) => a - b);
	return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

function deps(sessions: SessionVerifier): EdgeDeps {
	return {
		secrets,
		flags: { get: () => DEFAULT_FLAGS },
		revoked_sessions: { get: () => new Set<string>() },
		// One client sends every request, so the limit is set out of reach.
		limits: new ClientRateLimits(
			{ limit: 1e12, window_ms: 60_000 },
			{ limit: 1e12, window_ms: 60_000 }
		),
		sessions,
		now: Date.now
	};
}

const context = {
	ip: '203.0.113.1',
	country: 'US',
	next: async () => new Response('origin', { headers: { 'cache-control': 'public, max-age=0' } })
};

// The home page without a cohort cookie: a new assignment, a rewrite, a Set-Cookie. The runtime
// builds the incoming request, so it is built once here; the pipeline never reads its body.
const request = new Request('https://shop.example/us', {
	headers: {
		cookie,
		accept: 'text/html,application/xhtml+xml',
		'accept-language': 'en-GB,en;q=0.9',
		'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36'
	}
});

async function run_pipeline(pipeline_deps: EdgeDeps): Promise<void> {
	const response = await handle_request(request, context, pipeline_deps);
	if (response.status !== 200) {
		throw new Error(`The pipeline returned status ${response.status}; expected 200.`);
	}
}

const encoder = new TextEncoder();
const dot = token.lastIndexOf('.');
const signing_input = encoder.encode(token.slice(0, dot));
const signature = new Uint8Array(Buffer.from(token.slice(dot + 1), 'base64url'));
const bare_key = keyring.current.key;

const cached_deps = deps(new SessionVerifier());
const uncached_deps = deps(new SessionVerifier(0));

const BARE = 'bare crypto.subtle.verify (HMAC)';
const CACHED = 'pipeline, all steps, session cached in isolate';
const UNCACHED = 'pipeline, all steps, session verified each time';

const durations = await measure({
	[BARE]: () => crypto.subtle.verify('HMAC', bare_key, signature, signing_input),
	'jose verify (policy, key imported once)': () => verify_session_token(token, keyring, Date.now()),
	[CACHED]: () => run_pipeline(cached_deps),
	[UNCACHED]: () => run_pipeline(uncached_deps)
});
const results = Object.fromEntries(
	Object.entries(durations).map(([name, values]) => [name, summary(values)])
) as Record<string, { p50: number; p99: number }>;

const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
const runtime = deno ? `Deno ${deno.version.deno}` : `Node ${process.version}`;
console.log(
	`Edge pipeline, ${runtime}, ${ITERATIONS} runs per step in ${BLOCKS} blocks after warm-ups`
);
console.log('');
const width = Math.max(...Object.keys(results).map((name) => name.length));
console.log(`${'measurement'.padEnd(width)}  p50 (µs)  p99 (µs)`);
for (const [name, { p50, p99 }] of Object.entries(results)) {
	const format = (ms: number) => (ms * 1000).toFixed(1).padStart(8);
	console.log(`${name.padEnd(width)}  ${format(p50)}  ${format(p99)}`);
}

const bare = results[BARE] as { p50: number; p99: number };
console.log('');
for (const name of [CACHED, UNCACHED]) {
	const { p50, p99 } = results[name] as { p50: number; p99: number };
	const ratio_p50 = p50 / bare.p50;
	const ratio_p99 = p99 / bare.p99;
	const is_within = p99 < P99_BUDGET_MS && ratio_p50 <= RATIO_BUDGET && ratio_p99 <= RATIO_BUDGET;
	const verdict = is_within ? 'within budget' : 'over budget';
	console.log(
		`${name}: p99 ${(p99 * 1000).toFixed(0)} µs (budget ${P99_BUDGET_MS * 1000} µs), ` +
			`${ratio_p50.toFixed(2)}x bare verify at p50, ${ratio_p99.toFixed(2)}x at p99 ` +
			`(budget ${RATIO_BUDGET}x): ${verdict}`
	);
}

console.log('');
print_bundle_size();

function print_bundle_size(): void {
	if (!existsSync(BUNDLE_DIR)) {
		console.log('Edge bundle: bundle not built: run npm run build');
		return;
	}
	const files = readdirSync(BUNDLE_DIR).filter((name) => /\.(eszip|js)$/.test(name));
	if (files.length === 0) {
		console.log(`Edge bundle: no .eszip or .js file in ${BUNDLE_DIR}: run npm run build`);
		return;
	}
	for (const name of files) {
		const bytes = readFileSync(join(BUNDLE_DIR, name));
		const gzip_kb = gzipSync(bytes, { level: 9 }).length / 1024;
		const verdict = gzip_kb < 60 ? 'within the 60 KB budget' : 'over the 60 KB budget';
		console.log(
			`Edge bundle ${name}: ${(bytes.length / 1024).toFixed(1)} KB, ${gzip_kb.toFixed(1)} KB gzip, ${verdict}`
		);
	}
}
