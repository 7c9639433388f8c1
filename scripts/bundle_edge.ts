/**
 * Bundles the edge pipeline (`src/lib/edge/index.ts` and what it imports, `jose` included) into
 * one minified ES module that `netlify/edge-functions/pipeline.ts` imports. Netlify's eszip stores
 * each imported TypeScript module transpiled and with a source map. Importing the bundle instead
 * cut the eszip from 88.7 KB to 26.0 KB gzip (`netlify build --offline`, netlify-cli 27.10).
 * `@netlify/blobs` stays out of the bundle because the entry imports it itself.
 *
 * Usage: node scripts/bundle_edge.ts [--watch]
 */
import { build, context, type BuildOptions } from 'esbuild';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The module the bundle is built from. */
export const EDGE_BUNDLE_SOURCE = join(ROOT, 'src/lib/edge/index.ts');
/** The built file, gitignored. Netlify treats only files directly in `edge-functions/` as functions. */
export const EDGE_BUNDLE_OUTPUT = join(ROOT, 'netlify/edge-functions/lib/pipeline.bundle.js');

const OPTIONS: BuildOptions = {
	entryPoints: [EDGE_BUNDLE_SOURCE],
	outfile: EDGE_BUNDLE_OUTPUT,
	bundle: true,
	minify: true,
	format: 'esm',
	// Web APIs only: Deno runs the bundle, and `platform: 'neutral'` picks no Node entry points.
	platform: 'neutral',
	target: 'es2022',
	legalComments: 'none',
	logLevel: 'warning'
};

function log(message: string): void {
	console.log(`[bundle-edge] ${message}`);
}

/** Writes the bundle once. */
export async function bundle_edge(): Promise<void> {
	await build(OPTIONS);
	log(`wrote ${relative(ROOT, EDGE_BUNDLE_OUTPUT)}`);
}

/** Writes the bundle, then rewrites it on every change to its sources until the returned stop runs. */
export async function watch_edge(): Promise<() => Promise<void>> {
	const watcher = await context({
		...OPTIONS,
		plugins: [
			{
				name: 'log-rebuilds',
				setup(plugin) {
					plugin.onEnd((result) => {
						if (result.errors.length === 0) log(`wrote ${relative(ROOT, EDGE_BUNDLE_OUTPUT)}`);
					});
				}
			}
		]
	});
	await watcher.rebuild();
	await watcher.watch();
	return () => watcher.dispose();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	if (process.argv.includes('--watch')) {
		await watch_edge();
		log('watching for changes');
	} else {
		await bundle_edge();
	}
}
