import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import { list_mailbox } from '../../src/lib/server/email/mailbox.ts';
import { read_mail_settings } from '../../src/lib/server/email/settings.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { SESSION_COOKIE } from '../../src/lib/shared/session/policy.ts';
import { format_price, get_region } from '../../src/lib/shared/regions.ts';
import { set_stock } from '../integration/commerce_fixtures.ts';

// The whole account flow in Chromium on the preview stack: edge, prerendered pages, the
// function, the outbox background function and the local mailbox.

const PRODUCT = 'linen-tea-towel';
const PASSWORD = 'journey-password-1234';

let db: Kysely<Database>;

test.beforeAll(async () => {
	db = create_db(read_database_settings(process.env));
	await set_stock(db, PRODUCT, 50);
	// Repeated local runs register from 127.0.0.1 every time, so start from empty address counters.
	await db
		.deleteFrom('rate_limit_counter')
		.where((eb) =>
			eb.or([eb('key', 'like', 'register:address:%'), eb('key', 'like', 'login:address:%')])
		)
		.execute();
});

test.afterAll(async () => {
	await db.destroy();
});

test('register, buy, invoice, email, sign out', async ({ page, context }) => {
	const email = `journey-${randomUUID()}@example.com`;
	const name = 'Journey Tester';
	const price = await db
		.selectFrom('price')
		.innerJoin('product', 'product.id', 'price.product_id')
		.select(['price.amount', 'product.name'])
		.where('product.slug', '=', PRODUCT)
		.where('price.currency', '=', 'USD')
		.executeTakeFirstOrThrow();
	const total = format_price(price.amount * 2, get_region('us'));

	await test.step('register', async () => {
		await page.goto('/register', { waitUntil: 'networkidle' });
		await page.getByLabel('Name').fill(name);
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page).toHaveURL('/account');
		await expect(page.getByRole('heading', { name: `Hello, ${name}` })).toBeVisible();
	});

	await test.step('login', async () => {
		await context.clearCookies();
		await page.goto('/login', { waitUntil: 'networkidle' });
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL('/account');
		await expect(page.getByText('No orders yet.')).toBeVisible();
		const session = (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
		expect(session?.httpOnly).toBe(true);
		expect(session?.secure).toBe(true);
	});

	await test.step('add to cart', async () => {
		await page.goto(`/us/p/${PRODUCT}`, { waitUntil: 'networkidle' });
		await page.getByLabel('Quantity').fill('2');
		await page.getByRole('button', { name: /add to cart/i }).click();
		await expect(page.getByRole('status')).toContainText(/added/i);
	});

	let order_id = '';
	await test.step('checkout', async () => {
		await page.goto('/us/cart', { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Check out' }).click();
		await expect(page).toHaveURL('/checkout?region=us');
		await expect(page.locator(`[data-checkout-line="${PRODUCT}"]`)).toContainText(price.name);
		await expect(page.locator('[data-checkout-total]')).toHaveText(total);
		await expect(page.getByLabel('Card number')).toHaveValue('4242 4242 4242 4242');
		const key = await page.locator('input[name="idempotency_key"]').inputValue();
		expect(key).toMatch(/^[0-9a-f-]{36}$/);

		await page.getByRole('button', { name: /place order/i }).click();
		await expect(page).toHaveURL(/\/account\/orders\/\d+\?placed=1$/);
		order_id = /\/orders\/(\d+)/.exec(page.url())![1]!;
	});

	await test.step('confirmation', async () => {
		await expect(page.getByRole('heading', { name: /your order is placed/i })).toBeVisible();
		await expect(page.getByRole('heading', { name: `Order ${order_id}` })).toBeVisible();
		await expect(page.locator('[data-order-total]')).toHaveText(total);
		const cart = (await context.cookies()).find((cookie) => cookie.name === 'cart');
		expect(cart).toBeUndefined();
	});

	await test.step('order history', async () => {
		await page.goto('/account');
		const row = page.locator(`[data-order-id="${order_id}"]`);
		await expect(row).toContainText(total);
		await row.getByRole('link').click();
		await expect(page).toHaveURL(`/account/orders/${order_id}`);
	});

	await test.step('invoice download', async () => {
		const download_event = page.waitForEvent('download');
		await page.getByRole('link', { name: /download invoice/i }).click();
		const download = await download_event;
		expect(download.suggestedFilename()).toBe(`splitshop-INV-${order_id.padStart(6, '0')}.pdf`);
		const bytes = await readFile((await download.path())!);
		expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');

		const response = await page.request.get(`/account/orders/${order_id}/invoice.pdf`);
		expect(response.headers()['content-type']).toBe('application/pdf');
		expect(response.headers()['cache-control']).toBe('private, no-store');
		expect(response.headers()['content-disposition']).toMatch(/^attachment; filename=/);
	});

	await test.step('email in the local mailbox', async () => {
		// Read from the folder: the `/dev/mailbox` page returns 404 under `netlify serve`.
		const settings = read_mail_settings(process.env);
		expect(settings.transport.kind).toBe('mailbox');
		const dir = settings.transport.kind === 'mailbox' ? settings.transport.dir : '';
		const find_message = async () =>
			(await list_mailbox(dir)).filter((message) => message.to.includes(email));

		await expect.poll(async () => (await find_message()).length, { timeout: 30_000 }).toBe(1);
		const [message] = await find_message();
		expect(message!.subject).toContain(`order ${order_id}`);
		expect(message!.text).toContain(price.name);
	});

	await test.step('logout', async () => {
		await page.goto('/account');
		await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
		// The edge may send `/` on to the visitor's region.
		await expect(page).toHaveURL(/^http:\/\/localhost:8888\/(us|uk|eu)?$/);
		const session = (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
		expect(session).toBeUndefined();

		await page.goto('/account');
		await expect(page).toHaveURL('/login?next=%2Faccount');
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	});
});
