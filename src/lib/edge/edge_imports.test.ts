import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EDGE_BUNDLE_OUTPUT, EDGE_BUNDLE_SOURCE } from '../../../scripts/bundle_edge.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const EDGE_FUNCTIONS = join(ROOT, 'netlify/edge-functions');

/** Bare specifiers that cannot run in Deno's edge runtime or must not ship to it. */
const FORBIDDEN_PACKAGES = ['pg', 'kysely', '@neondatabase/serverless', '@electric-sql/pglite'];
const NODE_BUILTINS = new Set(builtinModules);

/** `import`/`export ... from`, side-effect imports and dynamic `import()` with a string literal. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

function forbidden_reason(specifier: string, resolved: string | null): string | null {
	if (specifier.startsWith('node:')) return 'a Node built-in';
	const bare = specifier.startsWith('@')
		? specifier.split('/').slice(0, 2).join('/')
		: specifier.split('/')[0];
	if (NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(bare as string)) return 'a Node built-in';
	if (FORBIDDEN_PACKAGES.includes(bare as string)) return 'a database package';
	if (specifier.startsWith('$env/') || specifier.startsWith('$app/'))
		return 'a SvelteKit virtual module';
	if (specifier.startsWith('$lib')) return 'a SvelteKit alias Deno cannot resolve';
	if (resolved && relative(join(ROOT, 'src/lib/server'), resolved).split(/[\\/]/)[0] !== '..') {
		return 'server-only code';
	}
	return null;
}

/**
 * Walks relative imports from each entry and returns every forbidden import with its file, and
 * the files walked. An import of a generated file listed in `sources` is walked from the module
 * it is built from.
 */
function find_forbidden_imports(
	entries: string[],
	root: string,
	sources = new Map<string, string>()
): { problems: string[]; visited: Set<string> } {
	const problems: string[] = [];
	const seen = new Set<string>();
	const queue = [...entries];

	while (queue.length > 0) {
		const file = queue.pop() as string;
		if (seen.has(file)) continue;
		seen.add(file);

		const source = readFileSync(file, 'utf8');
		for (const match of source.matchAll(SPECIFIER)) {
			const specifier = match[2] as string;
			const target = specifier.startsWith('.') ? resolve(dirname(file), specifier) : null;
			const resolved = target ? (sources.get(target) ?? target) : null;
			const reason = forbidden_reason(specifier, resolved);
			if (reason) problems.push(`${relative(root, file)} imports '${specifier}', ${reason}`);

			if (resolved) {
				if (existsSync(resolved)) queue.push(resolved);
				else
					problems.push(
						`${relative(root, file)} imports '${specifier}', which does not exist (use the .ts extension)`
					);
			}
		}
	}
	return { problems, visited: seen };
}

describe('edge function imports', () => {
	test('reach no Node-only or server module', () => {
		const entries = readdirSync(EDGE_FUNCTIONS)
			.filter((name) => /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.test.ts'))
			.map((name) => join(EDGE_FUNCTIONS, name));
		expect(entries.length).toBeGreaterThan(0);
		const sources = new Map([[EDGE_BUNDLE_OUTPUT, EDGE_BUNDLE_SOURCE]]);
		const { problems, visited } = find_forbidden_imports(entries, ROOT, sources);
		expect(problems).toEqual([]);
		// The entry imports the generated bundle, so its sources must be walked in its place.
		expect(visited.has(join(ROOT, 'src/lib/edge/pipeline.ts'))).toBe(true);
		expect(visited.has(EDGE_BUNDLE_OUTPUT)).toBe(false);
	});

	test('walk the bundle from its source', () => {
		const dir = mkdtempSync(join(tmpdir(), 'edge-imports-'));
		try {
			writeFileSync(join(dir, 'entry.ts'), "import { run } from './lib/bundle.js';\n");
			writeFileSync(
				join(dir, 'source.ts'),
				"import { Pool } from 'pg';\nexport const run = Pool;\n"
			);
			const sources = new Map([[join(dir, 'lib/bundle.js'), join(dir, 'source.ts')]]);
			expect(find_forbidden_imports([join(dir, 'entry.ts')], dir, sources).problems).toEqual([
				"source.ts imports 'pg', a database package"
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test('name forbidden imports in a fixture', () => {
		const dir = mkdtempSync(join(tmpdir(), 'edge-imports-'));
		try {
			writeFileSync(
				join(dir, 'entry.ts'),
				"import { a } from './a.ts';\nimport type { Config } from '@netlify/edge-functions';\n"
			);
			writeFileSync(
				join(dir, 'a.ts'),
				"import pg from 'pg';\nimport { Kysely } from 'kysely/helpers/postgres';\nimport { readFile } from 'node:fs/promises';\n" +
					"import crypto from 'crypto';\nimport { env } from '$env/dynamic/private';\nexport const load = () => import('./missing.ts');\n"
			);
			expect(find_forbidden_imports([join(dir, 'entry.ts')], dir).problems).toEqual([
				"a.ts imports 'pg', a database package",
				"a.ts imports 'kysely/helpers/postgres', a database package",
				"a.ts imports 'node:fs/promises', a Node built-in",
				"a.ts imports 'crypto', a Node built-in",
				"a.ts imports '$env/dynamic/private', a SvelteKit virtual module",
				"a.ts imports './missing.ts', which does not exist (use the .ts extension)"
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
