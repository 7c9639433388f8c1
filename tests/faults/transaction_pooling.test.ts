/**
 * Transaction pooling: catalog reads and checkouts at once through PgBouncer in transaction
 * mode, from two app instances, one with the `pg` driver and one with the Neon driver over a
 * local WebSocket proxy. No query may rely on state of a server connection, so none may fail
 * with a prepared statement error. A static check finds session-level SQL in the server code.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import {
	get_product,
	list_categories,
	list_category_products,
	price_cart_lines
} from '../../src/lib/server/catalog.ts';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { start_neon_ws_proxy, type NeonWsProxy } from '../support/neon_ws_proxy.ts';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import {
	library_checkout,
	line_for,
	open_checkout,
	settle_checkout,
	type CheckoutClient
} from './support/checkout_client.ts';
import { find_order_anomalies } from './support/consistency.ts';
import {
	count_connections,
	open_fault_database,
	shared_cluster,
	start_pooler,
	type FaultDatabase
} from './support/fault_database.ts';
import { create_agent, send } from './support/http_client.ts';
import { scan_source } from './support/session_state_scan.ts';

const POOL_SIZE = 20;
const INITIAL_STOCK = 10_000;
/** Per instance: catalog reads and checkouts, all started at once; 200 in total. */
const READS = 50;
const CHECKOUTS = 50;
const PREPARED_STATEMENT_ERROR = /prepared statement/i;

describe('PgBouncer in transaction mode', () => {
	let database: FaultDatabase;
	let pooler: PgBouncer;
	let proxy: NeonWsProxy;
	let server: AppServer | null = null;
	let pg_db: Kysely<Database>;
	let neon_db: Kysely<Database>;
	let checkout: CheckoutClient;
	let neon_checkout: CheckoutClient;
	let users: number[];
	let category: string;

	beforeAll(async () => {
		database = await open_fault_database('transaction_pooling');
		await database.set_stock(INITIAL_STOCK);
		users = await database.create_users(2 * CHECKOUTS);
		const { rows } = await database.admin.query<{ slug: string }>(
			'select slug from category order by position limit 1'
		);
		category = rows[0]!.slug;
		pooler = await start_pooler(database.app_url, { pool_size: POOL_SIZE });
		proxy = await start_neon_ws_proxy({ allow: [`127.0.0.1:${pooler.port}`] });

		if (has_build()) server = await start_app_server({ database_url: pooler.url, pool_max: 10 });
		checkout = open_checkout(server, { database_url: pooler.url, pool_max: 10 });
		pg_db = create_db(
			read_database_settings({ DATABASE_URL: pooler.url, DATABASE_POOL_MAX: '10' })
		);
		neon_db = create_db(
			read_database_settings({
				DATABASE_URL: pooler.url,
				DATABASE_DRIVER: 'neon',
				NEON_WS_PROXY: proxy.address,
				DATABASE_POOL_MAX: '10'
			})
		);
		neon_checkout = library_checkout(neon_db);
	});

	afterAll(async () => {
		await pg_db?.destroy();
		await neon_checkout?.close();
		await checkout?.close();
		await server?.stop();
		await proxy?.stop();
		await pooler?.stop();
		await database?.destroy();
	});

	/**
	 * Reads the catalog through the built app (cart page or add-to-cart action), or through the
	 * library with the `pg` driver when there is no build.
	 */
	async function app_read(index: number, agent: Agent): Promise<string> {
		const slug = database.products[index % database.products.length]!.slug;
		if (!server) return library_read(pg_db, index);

		if (index % 2 === 0) {
			const response = await send(server.origin, '/us/cart', {
				headers: { cookie: `cart=${slug}*2` },
				agent
			});
			return response!.status === 200
				? 'ok'
				: `GET /us/cart: ${response!.status} ${response!.body.slice(0, 200)}`;
		}
		const response = await send(server.origin, '/us/cart?/add', {
			method: 'POST',
			headers: {
				origin: server.origin,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			},
			body: new URLSearchParams({ slug, quantity: '1', enhanced: '1' }).toString(),
			agent
		});
		const ok = response!.status === 200 && response!.body.includes('"type":"success"');
		return ok ? 'ok' : `POST /us/cart?/add: ${response!.status} ${response!.body.slice(0, 200)}`;
	}

	/** Runs one of the catalog queries of the pages through `db`. */
	async function library_read(db: Kysely<Database>, index: number): Promise<string> {
		const slug = database.products[index % database.products.length]!.slug;
		try {
			switch (index % 4) {
				case 0:
					return (await list_categories(db)).length > 0 ? 'ok' : 'no categories';
				case 1:
					return (await get_product(db, slug, 'USD')) ? 'ok' : `no product ${slug}`;
				case 2:
					return (await list_category_products(db, category, 'GBP')).length > 0
						? 'ok'
						: `no products in ${category}`;
				default: {
					const cart = await price_cart_lines(db, [{ slug, quantity: 2 }], 'EUR');
					return cart.lines.length === 1 ? 'ok' : `cart not priced: ${JSON.stringify(cart)}`;
				}
			}
		} catch (error) {
			return `library read failed: ${(error as Error).message}`;
		}
	}

	/** Places one order, retrying conflicts, and returns `ok` or what went wrong. */
	async function settle(client: CheckoutClient, user_id: number, index: number): Promise<string> {
		const lines = line_for(database.products, index);
		const outcomes = await settle_checkout(client, user_id, randomUUID(), lines, {
			max_attempts: 20,
			retry_delay_ms: () => 50
		});
		const last = outcomes.at(-1);
		return last?.status === 201 ? 'ok' : `${client.via}: ${last?.status} ${last?.body}`;
	}

	test('200 concurrent reads and checkouts', async () => {
		const agent = create_agent();
		let peak = 0;
		let watching = true;
		const watcher = (async () => {
			while (watching) {
				peak = Math.max(peak, (await count_connections(database.admin, database.name)).total);
				await new Promise((wait) => setTimeout(wait, 25));
			}
		})();

		const started = performance.now();
		const results = await Promise.all([
			...Array.from({ length: READS }, (_, index) => app_read(index, agent)),
			...Array.from({ length: READS }, (_, index) => library_read(neon_db, index)),
			...users.map((user_id, index) =>
				settle(index < CHECKOUTS ? checkout : neon_checkout, user_id, index)
			)
		]);
		const elapsed_ms = performance.now() - started;
		watching = false;
		await watcher;
		agent.destroy();

		const failures = results.filter((result) => result !== 'ok');
		expect(failures).toEqual([]);
		expect(results).toHaveLength(2 * (READS + CHECKOUTS));
		expect(peak).toBeLessThanOrEqual(POOL_SIZE);

		const server_lines = server?.output ?? [];
		expect(server_lines.filter((line) => PREPARED_STATEMENT_ERROR.test(line))).toEqual([]);
		expect(server_lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
		const log_file = shared_cluster().server_log;
		expect(log_file).toBeDefined();
		const log = await readFile(log_file!, 'utf8');
		expect(log.length).toBeGreaterThan(0);
		expect(log.split('\n').filter((line) => PREPARED_STATEMENT_ERROR.test(line))).toEqual([]);

		const { rows } = await database.admin.query<{ n: number }>(
			'select count(*)::int as n from customer_order'
		);
		expect(rows[0]!.n).toBe(2 * CHECKOUTS);
		const anomalies = await find_order_anomalies(database.admin, INITIAL_STOCK);
		for (const [name, count] of Object.entries(anomalies)) {
			expect({ [name]: count }).toEqual({ [name]: 0 });
		}

		console.log(
			`[faults] transaction pooling: ${results.length} concurrent operations ` +
				`(${2 * READS} catalog reads, ${2 * CHECKOUTS} checkouts via ${checkout.via} and the ` +
				`Neon driver), 0 errors, 0 prepared statement errors, peak ${peak} server connections ` +
				`of ${POOL_SIZE}, ${Math.round(elapsed_ms)} ms`
		);
	});
});

describe('session state in server code', () => {
	const ROOT = new URL('../../', import.meta.url).pathname;

	async function source_files(dir: string): Promise<string[]> {
		const entries = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
		return entries
			.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
			.filter((entry) => !entry.name.endsWith('.test.ts'))
			.map((entry) => join(entry.parentPath, entry.name));
	}

	test('scanner flags session-level SQL', () => {
		const flagged = [
			'await sql`set search_path to shop`.execute(db);',
			"await sql`select set_config('statement_timeout', '1s', false)`.execute(db);",
			'await sql`select pg_advisory_lock(${id})`.execute(db);',
			"await client.query('LISTEN orders');",
			"await client.query({ name: 'by-id', text: 'select 1' });",
			"await sql.raw('prepare by_id as select 1').execute(db);"
		];
		for (const source of flagged) {
			expect({ source, found: scan_source('sample.ts', source).length }).toEqual({
				source,
				found: 1
			});
		}

		const allowed = [
			"await sql`set local lock_timeout = '2s'`.execute(trx);",
			"await sql`select set_config('lock_timeout', '2s', true)`.execute(trx);",
			'await sql`select pg_try_advisory_xact_lock(${id})`.execute(trx);',
			"await db.updateTable('stock').set({ quantity: 1 }).execute();",
			'await sql`update stock set quantity = quantity - 1`.execute(trx);',
			'// sql`set search_path to shop` is not run'
		];
		for (const source of allowed) {
			expect({ source, found: scan_source('sample.ts', source) }).toEqual({ source, found: [] });
		}
	});

	test('server code has no session-level SQL', async () => {
		const files = [
			...(await source_files('src/lib/server')),
			...(await source_files('src/routes')),
			join(ROOT, 'src/hooks.server.ts')
		];
		expect(files.length).toBeGreaterThan(10);

		const findings = [];
		for (const file of files) {
			findings.push(...scan_source(file.slice(ROOT.length), await readFile(file, 'utf8')));
		}
		expect(findings).toEqual([]);
		console.log(
			`[faults] session state scan: ${files.length} server files, 0 session-level statements ` +
				'(SET without LOCAL, LISTEN, session advisory locks, named prepared statements)'
		);
	});
});
