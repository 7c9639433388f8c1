/**
 * The child side of a benchmark part. `bench/run.ts` starts each part as its own Node process
 * with its input as JSON in `BENCH_INPUT`, and reads the result the part writes to the file
 * named by `BENCH_OUTPUT`. A part that runs past its time limit gets SIGTERM, then SIGKILL.
 */
import { writeFileSync } from 'node:fs';

export const INPUT_VARIABLE = 'BENCH_INPUT';
export const OUTPUT_VARIABLE = 'BENCH_OUTPUT';

/**
 * Prints one progress line, which the parent prefixes with the part's name. It writes to stdout
 * directly, so it still prints while `count_console_output` has replaced the console methods.
 */
export function progress(message: string): void {
	process.stdout.write(`${message}\n`);
}

/**
 * Replaces the console methods with a counter, for code under test that logs every request,
 * and returns the counts by message kind. The first line of each kind is still printed.
 */
export function count_console_output(): { counts: Map<string, number>; restore(): void } {
	const counts = new Map<string, number>();
	const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const saved = methods.map((name) => [name, console[name]] as const);
	for (const name of methods) {
		console[name] = (...args: unknown[]) => {
			const line = args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' ');
			const kind = message_kind(line);
			const seen = counts.get(kind) ?? 0;
			if (seen === 0) progress(`console.${name} from the code under test, shown once: ${line}`);
			counts.set(kind, seen + 1);
		};
	}
	return {
		counts,
		restore() {
			for (const [name, method] of saved) console[name] = method;
		}
	};
}

/**
 * Runs a part's main function with its input and writes what it returns. A thrown error exits
 * with code 1 and its message on stderr, which the parent reports as the reason.
 */
export async function run_part<Input, Result>(main: (input: Input) => Promise<Result>) {
	const raw = process.env[INPUT_VARIABLE];
	const output = process.env[OUTPUT_VARIABLE];
	if (raw === undefined || output === undefined) {
		console.error(
			`${INPUT_VARIABLE} and ${OUTPUT_VARIABLE} are not set: run the benchmark with npm run bench.`
		);
		process.exit(2);
	}
	process.once('SIGTERM', () => {
		console.error('stopped: the part ran past its time limit');
		process.exit(143);
	});

	try {
		const result = await main(JSON.parse(raw) as Input);
		writeFileSync(output, JSON.stringify(result));
		// Pools and timers left by the code under test must not hold the part open.
		process.exit(0);
	} catch (error) {
		const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
		process.stderr.write(`${text}\n`);
		process.exit(1);
	}
}

/** Returns a JSON log line's level and `msg`, or else its first 40 characters without digits. */
function message_kind(line: string): string {
	try {
		const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
		if (typeof entry.msg === 'string') return `${String(entry.level ?? 'log')}: ${entry.msg}`;
	} catch {
		// Not JSON: fall through to the plain-text kind.
	}
	return line.slice(0, 40).replace(/\d+/g, '#');
}
