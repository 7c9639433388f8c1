import adapter from '@sveltejs/adapter-netlify';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// One Node function serves every dynamic route; the edge function in
		// netlify/edge-functions runs in front of it and of the prerendered pages.
		adapter: adapter({ edge: false, split: false }),
		// Absolute links: the edge serves variant pages at another URL than they were rendered for.
		paths: { relative: false },
		prerender: {
			handleHttpError: 'fail',
			handleMissingId: 'fail',
			handleEntryGeneratorMismatch: 'fail'
		}
	}
};

export default config;
