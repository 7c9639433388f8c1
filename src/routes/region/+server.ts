import { error, redirect } from '@sveltejs/kit';
import { is_region_code, REGION_COOKIE } from '$lib/shared/regions.ts';
import type { RequestHandler } from './$types';
import { next_path } from './next_path.ts';

const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

/**
 * Stores the region chosen in the region switcher and redirects to the same page in that region.
 * A missing or off-site `next` falls back to the region's home page rather than failing.
 */
export const POST: RequestHandler = async ({ request, cookies }) => {
	// A body that is not a form is a client error, not a failure of this route.
	const form = await request.formData().catch(() => null);
	if (!form) error(415, 'Invalid body: expected a form with region and next fields');
	const region = form.get('region');
	if (!is_region_code(region)) error(400, 'Invalid region: expected us, uk or eu');

	cookies.set(REGION_COOKIE, region, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		maxAge: ONE_YEAR_SECONDS
	});
	redirect(303, next_path(form.get('next'), region) ?? `/${region}`);
};
