import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { cohort_cookie_name } from '../../src/lib/edge/cohorts.ts';
import { HOME_HERO } from '../../src/lib/shared/experiments.ts';
import { IDENTITY_HEADERS } from '../../src/lib/shared/identity.ts';
import { SESSION_COOKIE } from '../../src/lib/shared/session/policy.ts';

// These run against `netlify serve --offline`, where the bundled edge function runs in Deno in
// front of the CDN files and the function, and geolocation is the offline United States mock.

const COHORT_COOKIE = cohort_cookie_name(HOME_HERO.key);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads `name=value` of one cookie from a response's Set-Cookie lines. */
function set_cookie_value(set_cookie: string[], name: string): string | null {
	const line = set_cookie.find((header) => header.startsWith(`${name}=`));
	return line ? line.slice(name.length + 1).split(';')[0]! : null;
}

function set_cookie_lines(headers: { name: string; value: string }[]): string[] {
	return headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
}

function experiment_in(html: string): string | undefined {
	return /<meta name="experiment" content="([^"]+)"/.exec(html)?.[1];
}

test('edge manifest lists the routes', () => {
	// Offline, a bundler that cannot load its remote types still exits 0 with no routes.
	const manifest = JSON.parse(readFileSync('.netlify/edge-functions-dist/manifest.json', 'utf8'));
	const routes = (manifest.routes as { function: string; path?: string }[]).map(
		(route) => `${route.function} ${route.path}`
	);

	expect(routes).toContain('pipeline /*');
	expect(manifest.function_config.pipeline.excluded_patterns).toContain(
		'^/_app/immutable(?:/(.*))/?$'
	);
});

test.describe('paths the edge skips', () => {
	test('built chunks skip the edge', async ({ request }) => {
		const chunk = readdirSync('build/_app/immutable/entry').find((name) => name.endsWith('.js'));
		const response = await request.get(`/_app/immutable/entry/${chunk}`);

		expect(response.status()).toBe(200);
		expect(response.headers()['x-request-id']).toBeUndefined();
		expect(set_cookie_lines(response.headersArray())).toEqual([]);
	});

	test('built chunks get the immutable rule', () => {
		// netlify-cli's local static server ignores header rules, so this reads the rule that
		// Netlify's CDN applies to build assets from the published `_headers` file.
		const rules = readFileSync('build/_headers', 'utf8');
		const block = rules.split(/\n(?=\/)/).find((rule) => rule.startsWith('/_app/immutable/*'));

		expect(block).toContain('cache-control: immutable');
		expect(block).toContain('cache-control: max-age=31536000');
	});

	test('function paths get no request id', async ({ request }) => {
		const response = await request.get('/.netlify/functions/anything', { maxRedirects: 0 });

		expect(response.headers()['x-request-id']).toBeUndefined();
		expect(set_cookie_lines(response.headersArray())).toEqual([]);
	});
});

test.describe('request id', () => {
	test('replaces a client-sent id', async ({ request }) => {
		const response = await request.get('/us', { headers: { 'x-request-id': 'client-chosen' } });

		expect(response.status()).toBe(200);
		expect(response.headers()['x-request-id']).toMatch(UUID);
		expect(response.headers()['server-timing']).toMatch(/edge;dur=\d+\.\d{3}/);
	});
});

test.describe('security headers', () => {
	test('pages forbid framing and sniffing', async ({ request }) => {
		const response = await request.get('/us');

		expect(response.headers()['x-frame-options']).toBe('DENY');
		expect(response.headers()['content-security-policy']).toBe("frame-ancestors 'none'");
		expect(response.headers()['x-content-type-options']).toBe('nosniff');
	});
});

test.describe('geo routing', () => {
	test('sends a first visit to its region', async ({ request }) => {
		const response = await request.get('/', { maxRedirects: 0 });

		expect(response.status()).toBe(302);
		expect(response.headers()['location']).toBe('/us');
	});

	test('prefers the region cookie', async ({ request }) => {
		const response = await request.get('/c/camp-kitchen', {
			maxRedirects: 0,
			headers: { cookie: 'region=uk' }
		});

		expect(response.status()).toBe(302);
		expect(response.headers()['location']).toBe('/uk/c/camp-kitchen');
	});

	test('leaves region paths alone', async ({ request }) => {
		const response = await request.get('/eu', {
			maxRedirects: 0,
			headers: { cookie: 'region=uk' }
		});

		expect(response.status()).toBe(200);
	});
});

test.describe('protected routes', () => {
	test('redirects an anonymous account visit', async ({ request }) => {
		const response = await request.get('/account', { maxRedirects: 0 });

		expect(response.status()).toBe(302);
		expect(response.headers()['location']).toBe('/login?next=%2Faccount');
	});

	test('rejects spoofed identity headers', async ({ request }) => {
		const spoofed: Record<string, string> = { 'x-user-id': '1', 'x-role': 'admin' };
		for (const name of Object.values(IDENTITY_HEADERS)) spoofed[name] = '1';

		const response = await request.get('/api/orders', { headers: spoofed, maxRedirects: 0 });

		expect(response.status()).toBe(401);
		expect(response.headers()['content-type']).toContain('application/json');
	});

	test('rejects a malformed session token', async ({ request }) => {
		const response = await request.get('/api/orders', {
			headers: { cookie: `${SESSION_COOKIE}=not.a.token` },
			maxRedirects: 0
		});

		expect(response.status()).toBe(401);
		const cleared = set_cookie_lines(response.headersArray()).find((line) =>
			line.startsWith(`${SESSION_COOKIE}=;`)
		);
		expect(cleared).toMatch(/Max-Age=0/i);
	});
});

test.describe('home experiment', () => {
	test('splits 200 new visitors by weight', async ({ request }) => {
		const counts: Record<string, number> = {};
		for (let visit = 0; visit < 200; visit++) {
			const response = await request.get('/us', { headers: { cookie: '' } });
			const cohort = set_cookie_value(set_cookie_lines(response.headersArray()), COHORT_COOKIE);

			expect(cohort).not.toBeNull();
			expect(experiment_in(await response.text())).toBe(`${HOME_HERO.key}:${cohort}`);
			expect(response.headers()['netlify-vary']).toContain(`cookie=${COHORT_COOKIE}`);
			counts[cohort!] = (counts[cohort!] ?? 0) + 1;
		}

		// 50/50 weights: each variant within 10 points of half.
		expect(counts['control']).toBeGreaterThanOrEqual(80);
		expect(counts['spotlight']).toBeGreaterThanOrEqual(80);
	});

	test('keeps the cohort across navigation', async ({ page, context }) => {
		await page.goto('/us');
		const cookie = (await context.cookies()).find((c) => c.name === COHORT_COOKIE);
		expect(cookie).toBeDefined();
		const expected = `${HOME_HERO.key}:${cookie!.value}`;
		await expect(page.locator('meta[name="experiment"]')).toHaveAttribute('content', expected);

		await page.locator('header a[href^="/us/c/"]').first().click();
		await expect(page).toHaveURL(/\/us\/c\//);
		await page.goBack();
		await expect(page).toHaveURL(/\/us$/);
		await expect(page.locator('meta[name="experiment"]')).toHaveAttribute('content', expected);

		await page.reload();
		await expect(page.locator('meta[name="experiment"]')).toHaveAttribute('content', expected);
	});
});
