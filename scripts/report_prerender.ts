/**
 * Runs after `vite build`: counts the prerendered pages and fails the build when a catalog page
 * (home and its variants, every category, every product, in every region) was not prerendered.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { create_db, read_database_settings } from '../src/lib/server/db/connect.ts';
import { home_variant_path, HOME_HERO } from '../src/lib/shared/experiments.ts';
import { REGIONS } from '../src/lib/shared/regions.ts';

const PAGES_DIR = '.svelte-kit/output/prerendered/pages';

function list_html(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
		.map((entry) => join(entry.parentPath, entry.name));
}

/** Maps `us/p/slug.html` or `us.html` to the path it is served at. */
function served_path(file: string): string {
	const path = '/' + relative(PAGES_DIR, file).replace(/\.html$/, '');
	return path === '/index' ? '/' : path.replace(/\/index$/, '');
}

async function expected_paths(): Promise<string[]> {
	const db = create_db(read_database_settings(process.env));
	try {
		const categories = await db.selectFrom('category').select('slug').execute();
		const products = await db.selectFrom('product').select('slug').execute();
		return REGIONS.flatMap(({ code }) => [
			...HOME_HERO.variants.map((variant) => home_variant_path(code, variant)),
			...categories.map(({ slug }) => `/${code}/c/${slug}`),
			...products.map(({ slug }) => `/${code}/p/${slug}`)
		]);
	} finally {
		await db.destroy();
	}
}

if (!existsSync(PAGES_DIR)) {
	console.error(`prerender: ${PAGES_DIR} not found; run vite build first`);
	process.exit(1);
}

const served = new Set(list_html(PAGES_DIR).map(served_path));
const expected = await expected_paths();
const missing = expected.filter((path) => !served.has(path));

console.log(
	`prerender: ${served.size} pages prerendered (${expected.length} catalog pages expected)`
);
if (missing.length > 0) {
	console.error(
		`prerender: ${missing.length} catalog pages missing, first: ${missing.slice(0, 5).join(', ')}`
	);
	process.exit(1);
}
