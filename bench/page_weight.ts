/**
 * Page weight part of `npm run bench`. For the prerendered pages in `build/`, collects the
 * JavaScript each page loads: external and inline `<script>` tags, `modulepreload` links,
 * modules an inline script imports, and every static import of those modules in turn. Lazy
 * `import()` calls inside modules are left out, because the page does not load them up front.
 * Sizes are gzip at zlib's default level, file by file, as a server compresses each response.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REGIONS } from '../src/lib/shared/regions.ts';
import { progress, run_part } from './lib/part.ts';

export interface PageWeightInput {
	build_dir: string;
}

export interface PageScripts {
	/** The path the page is served at. */
	page: string;
	/** Script files by served path. */
	files: string[];
	/** Inline `<script>` elements. */
	inline_scripts: number;
	bytes: number;
	gzip_bytes: number;
}

export interface PageWeightResult {
	prerendered_pages: number;
	/** `/`: the region picker. */
	root: PageScripts | null;
	/** The home page of the first region. */
	home: PageScripts | null;
	/** The product page that loads the most JavaScript, over every region. */
	heaviest_product: PageScripts | null;
	product_pages: number;
}

function list_html(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
		.map((entry) => join(entry.parentPath, entry.name))
		.sort();
}

/** Maps `build/us/p/slug.html` to `/us/p/slug`, and `build/index.html` to `/`. */
function served_path(build_dir: string, file: string): string {
	const path = '/' + relative(build_dir, file).replace(/\.html$/, '');
	return path === '/index' ? '/' : path.replace(/\/index$/, '');
}

const SCRIPT_SRC = /<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*>/gi;
const SCRIPT_ELEMENT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const MODULEPRELOAD =
	/<link\b(?=[^>]*\brel=["']modulepreload["'])[^>]*\bhref=["']([^"']+)["'][^>]*>/gi;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
/** `import x from "./a.js"`, `export * from "./a.js"` and `import "./a.js"`, minified or not. */
const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["']([^"']+\.js)["']/g;

function matches(pattern: RegExp, text: string): string[] {
	return [...text.matchAll(pattern)].map((match) => match[1] as string);
}

/** Code of inline scripts that run: no `src`, and no data type such as `application/json`. */
function inline_scripts(html: string): string[] {
	return [...html.matchAll(SCRIPT_ELEMENT)]
		.filter(([, attributes = '']) => !/\bsrc=/i.test(attributes))
		.filter(([, attributes = '']) => {
			const type = /\btype=["']([^"']*)["']/i.exec(attributes)?.[1]?.toLowerCase();
			return type === undefined || type === 'module' || type.includes('javascript');
		})
		.map(([, , code = '']) => code)
		.filter((code) => code.trim() !== '');
}

function measure_page(build_dir: string, file: string): PageScripts {
	const html = readFileSync(file, 'utf8');
	const inline = inline_scripts(html);
	const entry_points = [
		...matches(SCRIPT_SRC, html),
		...matches(MODULEPRELOAD, html),
		...inline.flatMap((code) => matches(DYNAMIC_IMPORT, code))
	];

	const loaded = new Set<string>();
	const pending = entry_points.map((path) => new URL(path, 'http://site/').pathname);
	while (pending.length > 0) {
		const path = pending.pop() as string;
		if (loaded.has(path)) continue;
		const disk_path = join(build_dir, path);
		if (!existsSync(disk_path)) {
			throw new Error(
				`${served_path(build_dir, file)} loads ${path}, which is not in ${build_dir}`
			);
		}
		loaded.add(path);
		const code = readFileSync(disk_path, 'utf8');
		for (const imported of matches(STATIC_IMPORT, code)) {
			pending.push(new URL(imported, `http://site${path}`).pathname);
		}
	}

	let bytes = 0;
	let gzip_bytes = 0;
	for (const path of loaded) {
		const content = readFileSync(join(build_dir, path));
		bytes += content.length;
		gzip_bytes += gzipSync(content).length;
	}
	for (const code of inline) {
		bytes += Buffer.byteLength(code);
		gzip_bytes += gzipSync(code).length;
	}
	return {
		page: served_path(build_dir, file),
		files: [...loaded].sort(),
		inline_scripts: inline.length,
		bytes,
		gzip_bytes
	};
}

async function main(input: PageWeightInput): Promise<PageWeightResult> {
	if (!existsSync(input.build_dir)) {
		throw new Error(`${input.build_dir} not found: run npm run build`);
	}
	const pages = list_html(input.build_dir);
	const by_path = new Map(pages.map((file) => [served_path(input.build_dir, file), file]));
	const measure = (path: string) => {
		const file = by_path.get(path);
		return file === undefined ? null : measure_page(input.build_dir, file);
	};

	const product_files = pages.filter((file) =>
		/^\/[^/]+\/p\/[^/]+$/.test(served_path(input.build_dir, file))
	);
	let heaviest: PageScripts | null = null;
	for (const file of product_files) {
		const scripts = measure_page(input.build_dir, file);
		if (!heaviest || scripts.gzip_bytes > heaviest.gzip_bytes) heaviest = scripts;
	}
	const home_path = `/${REGIONS[0]?.code}`;

	const result: PageWeightResult = {
		prerendered_pages: pages.length,
		root: measure('/'),
		home: measure(home_path),
		heaviest_product: heaviest,
		product_pages: product_files.length
	};
	for (const scripts of [result.root, result.home, result.heaviest_product]) {
		if (scripts) {
			progress(
				`${scripts.page}: ${scripts.files.length} files and ${scripts.inline_scripts} inline scripts, ` +
					`${(scripts.gzip_bytes / 1024).toFixed(1)} KB gzip`
			);
		}
	}
	progress(
		`${result.prerendered_pages} prerendered pages, ${result.product_pages} of them product pages`
	);
	return result;
}

await run_part(main);
