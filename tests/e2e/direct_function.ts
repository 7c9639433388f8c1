/**
 * Calls the built SvelteKit function (`.netlify/functions-internal/sveltekit-render.mjs`, written
 * by the build that `npm run preview` runs) in this process, without the edge function in front
 * of it: what a client gets when it reaches the function directly.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Handler = (request: Request, context: unknown) => Promise<Response>;

/** The origin that the preview serves; requests carry it so same-origin checks behave alike. */
export const SITE_ORIGIN = 'http://localhost:8888';

const ENTRY = resolve('.netlify/functions-internal/sveltekit-render.mjs');

let handler: Promise<Handler> | undefined;

/** Sends `init` to the function at `path` and returns its response. */
export async function call_function(path: string, init: RequestInit = {}): Promise<Response> {
	handler ??= import(pathToFileURL(ENTRY).href).then((module) => module.default as Handler);
	const request = new Request(new URL(path, SITE_ORIGIN), { redirect: 'manual', ...init });
	// The part of Netlify's function context that the app reads.
	const context = {
		ip: '127.0.0.1',
		deploy: { context: 'dev' },
		waitUntil: (promise: Promise<unknown>) => void promise.catch(() => {})
	};
	return (await handler)(request, context);
}
