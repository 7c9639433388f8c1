/**
 * Flag document command. `init` stores the built-in defaults in the Netlify Blobs store `flags`
 * unless a document exists (`--force` replaces it); `show` prints the stored document.
 *
 * Credentials, first match wins:
 * - `NETLIFY_BLOBS_CONTEXT`, which Netlify sets in builds and `netlify dev` sets for its command;
 * - `NETLIFY_SITE_ID` and `NETLIFY_AUTH_TOKEN` (a personal access token), for the live site;
 *   `NETLIFY_BLOBS_API_URL` points them at another Blobs API, such as a local `BlobsServer`.
 *
 * Usage: node scripts/flags.ts <init|show> [--force]
 */
import { getStore, type GetStoreOptions } from '@netlify/blobs';
import {
	FLAG_KEY,
	FLAG_STORE,
	create_flag_document,
	parse_flag_document
} from '../src/lib/edge/flags.ts';

const COMMANDS = ['init', 'show'] as const;
const [command, ...flags] = process.argv.slice(2);

if (!COMMANDS.includes(command as (typeof COMMANDS)[number])) {
	console.error(`Usage: node scripts/flags.ts <${COMMANDS.join('|')}> [--force]`);
	process.exit(2);
}

function store_options(): GetStoreOptions {
	const options: GetStoreOptions = { name: FLAG_STORE, consistency: 'strong' };
	if (process.env.NETLIFY_BLOBS_CONTEXT) return options;

	const { NETLIFY_SITE_ID, NETLIFY_AUTH_TOKEN, NETLIFY_BLOBS_API_URL } = process.env;
	if (!NETLIFY_SITE_ID || !NETLIFY_AUTH_TOKEN) {
		throw new Error(
			'No Netlify Blobs credentials: set NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN, ' +
				'or run the command where NETLIFY_BLOBS_CONTEXT is set (a Netlify build or `netlify dev`).'
		);
	}
	return {
		...options,
		siteID: NETLIFY_SITE_ID,
		token: NETLIFY_AUTH_TOKEN,
		apiURL: NETLIFY_BLOBS_API_URL
	};
}

try {
	const store = getStore(store_options());
	if (command === 'init') {
		const written = await create_flag_document(store, { force: flags.includes('--force') });
		console.log(
			written
				? `flags: stored the default flag document as "${FLAG_STORE}/${FLAG_KEY}"`
				: `flags: "${FLAG_STORE}/${FLAG_KEY}" already exists and was kept; pass --force to replace it`
		);
	} else {
		const stored: unknown = await store.get(FLAG_KEY, { type: 'json' });
		if (stored === null) {
			console.log(
				`flags: no document at "${FLAG_STORE}/${FLAG_KEY}"; the edge uses the built-in defaults`
			);
		} else {
			const result = parse_flag_document(stored, { strict: false });
			console.log(JSON.stringify(stored, null, '\t'));
			if (!result.ok)
				console.error(`flags: the stored document is invalid: ${result.errors.join(' ')}`);
		}
	}
} catch (error) {
	console.error(`flags ${command} failed:`, error instanceof Error ? error.message : error);
	process.exitCode = 1;
}
