import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';

// `netlify dev --country=GB` mocks the visitor's country for the edge function. It needs its own
// server: the main suite's `netlify serve` uses the default offline mock, the United States.
const PORT = 8887;
const ORIGIN = `http://localhost:${PORT}`;
let server: ChildProcess;

async function wait_until_up(timeout_ms: number): Promise<void> {
	const deadline = Date.now() + timeout_ms;
	while (Date.now() < deadline) {
		const up = await fetch(`${ORIGIN}/robots.txt`).then(
			(response) => response.ok,
			() => false
		);
		if (up) return;
		if (server.exitCode !== null) throw new Error(`netlify dev exited with ${server.exitCode}`);
		await new Promise((wait) => setTimeout(wait, 250));
	}
	throw new Error(`timed out after ${timeout_ms} ms waiting for netlify dev on port ${PORT}`);
}

test.beforeAll(async () => {
	test.setTimeout(120_000);
	server = spawn(
		'node',
		['scripts/with-db.ts', '--', 'netlify', 'dev', '--offline', '--country=GB', `--port=${PORT}`],
		{ detached: true, stdio: 'ignore' }
	);
	await wait_until_up(90_000);
});

test.afterAll(() => {
	// The whole group: netlify dev leaves Vite running when only its own process stops.
	if (server.pid) process.kill(-server.pid, 'SIGTERM');
});

test('sends a GB visitor to /uk', async ({ request }) => {
	const response = await request.get(`${ORIGIN}/`, { maxRedirects: 0 });

	expect(response.status()).toBe(302);
	expect(response.headers()['location']).toBe('/uk');
});

test('keeps a GB visitor on a chosen region', async ({ request }) => {
	const response = await request.get(`${ORIGIN}/p/enamel-camp-mug`, {
		maxRedirects: 0,
		headers: { cookie: 'region=eu' }
	});

	expect(response.status()).toBe(302);
	expect(response.headers()['location']).toBe('/eu/p/enamel-camp-mug');
});

test('dev server pages load their modules', async ({ page }) => {
	// The edge runs in front of Vite here, so it must let Vite's module paths through.
	const failed: string[] = [];
	page.on('response', (response) => {
		if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
	});

	await page.goto(`${ORIGIN}/uk`, { waitUntil: 'networkidle' });

	expect(failed).toEqual([]);
	await expect(page.locator('meta[name="experiment"]')).toHaveCount(1);
});
