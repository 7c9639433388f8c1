/**
 * Vitest global setup of the fault suites: one PostgreSQL cluster with the application role and
 * a template database. Each suite copies the template into a database of its own and starts its
 * own PgBouncer in front of it (`fault_database.ts`), because PgBouncer's generated config
 * serves one database.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { start_postgres_cluster } from '../../support/postgres_cluster.ts';
import { BUILD_DIR, has_build } from './app_server.ts';
import { prepare_cluster, type ClusterAccess } from './cluster.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The run's cluster: superuser URL, application role password and template name. */
		faults_cluster: ClusterAccess;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const started = performance.now();
	const cluster = await start_postgres_cluster({ max_connections: 100 });
	try {
		const access = await prepare_cluster(cluster.url);
		// `start_postgres_cluster` writes the server log next to the data folder.
		const server_log = join(dirname(cluster.data_dir), 'server.log');
		project.provide('faults_cluster', { ...access, server_log });
	} catch (error) {
		await cluster.stop();
		throw error;
	}

	const elapsed = Math.round(performance.now() - started);
	console.log(`[faults] PostgreSQL on port ${cluster.port} with the template in ${elapsed} ms`);
	console.log(`[faults] ${await describe_build()}`);
	return () => cluster.stop();
}

/** Describes which path the suites take to the app, and warns when the build is older than `src`. */
async function describe_build(): Promise<string> {
	if (!has_build()) {
		return 'No build: the suites call place_order instead of the HTTP handler, and skip the HTTP-only tests. Run npm run build to include them.';
	}
	const built = (await stat(join(BUILD_DIR, 'server', 'manifest.js'))).mtimeMs;
	const root = join(BUILD_DIR, '../../src');
	const entries = await readdir(root, { recursive: true, withFileTypes: true });
	let newest = { file: '', time: 0 };
	for (const entry of entries.filter((item) => item.isFile())) {
		const file = join(entry.parentPath, entry.name);
		const { mtimeMs } = await stat(file);
		if (mtimeMs > newest.time) newest = { file, time: mtimeMs };
	}
	if (newest.time > built) {
		return `The build in ${BUILD_DIR} is older than ${newest.file}: the HTTP tests run the old code. Run npm run build first.`;
	}
	return `Testing the build in ${BUILD_DIR} over HTTP.`;
}
