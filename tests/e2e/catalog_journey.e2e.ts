import { expect, test, type Page } from '@playwright/test';
import type { Kysely } from 'kysely';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { format_price, get_region, type RegionCode } from '../../src/lib/shared/regions.ts';

// The preview server reads the same database: the embedded sidecar unless DATABASE_URL is set.
let db: Kysely<Database>;

test.beforeAll(() => {
	db = create_db(read_database_settings(process.env));
});

test.afterAll(async () => {
	await db.destroy();
});

async function product_price(slug: string, region: RegionCode) {
	return db
		.selectFrom('product')
		.innerJoin('price', 'price.product_id', 'product.id')
		.select(['product.name', 'price.amount'])
		.where('product.slug', '=', slug)
		.where('price.currency', '=', get_region(region).currency)
		.executeTakeFirstOrThrow();
}

/** Walks home → first category → first product and returns the product's slug. */
async function open_first_product(page: Page, region: RegionCode): Promise<string> {
	await page.goto(`/${region}`, { waitUntil: 'networkidle' });
	await page.locator(`header a[href^="/${region}/c/"]`).first().click();
	await expect(page).toHaveURL(new RegExp(`/${region}/c/[a-z0-9-]+$`));

	await page.locator(`main a[href^="/${region}/p/"]`).first().click();
	await expect(page).toHaveURL(new RegExp(`/${region}/p/[a-z0-9-]+$`));
	// The add-to-cart script must be running before the form is used, or the click posts the form.
	await page.waitForLoadState('networkidle');
	return new URL(page.url()).pathname.split('/').pop()!;
}

for (const region of ['us', 'uk'] as const) {
	test(`cart prices a product in ${region}`, async ({ page }) => {
		const slug = await open_first_product(page, region);
		const product = await product_price(slug, region);
		const unit = format_price(product.amount, get_region(region));
		const total = format_price(product.amount * 2, get_region(region));

		await expect(page.locator('h1')).toHaveText(product.name);
		await expect(page.locator('main').getByText(unit).first()).toBeVisible();

		await page.getByLabel('Quantity').fill('2');
		await page.getByRole('button', { name: /add to cart/i }).click();
		await expect(page.getByRole('status')).toContainText(/added/i);

		await page.locator(`header a[href="/${region}/cart"]`).click();
		await expect(page).toHaveURL(`/${region}/cart`);
		const line = page.locator('main [data-cart-line]').filter({ hasText: product.name });
		await expect(line).toHaveCount(1);
		await expect(line).toContainText(total);
		await expect(page.locator('main [data-cart-total]')).toHaveText(total);
	});
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('add to cart posts the form', async ({ page }) => {
		const slug = await open_first_product(page, 'eu');
		const product = await product_price(slug, 'eu');

		await page.getByRole('button', { name: /add to cart/i }).click();
		await expect(page).toHaveURL('/eu/cart');
		await expect(page.locator('main [data-cart-total]')).toHaveText(
			format_price(product.amount, get_region('eu'))
		);
	});
});
