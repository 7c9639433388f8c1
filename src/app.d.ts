// See https://svelte.dev/docs/kit/types#app.d.ts
// The adapter declares `App.Platform` with Netlify's function `Context`.
/// <reference types="@sveltejs/adapter-netlify" />
import type { RegionCode } from '$lib/shared/regions.ts';
import type { Session } from '$lib/shared/session/policy.ts';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}

		interface Locals {
			/** The verified session (signed edge headers or the session cookie), or null. */
			user: Session | null;
			/** Variant by experiment key. */
			cohorts: Record<string, string>;
			/** Region of the page's path prefix, else the region the visitor chose or was routed to. */
			region: RegionCode;
			/** The request id the edge created, echoed as `x-request-id`. */
			request_id: string;
		}
	}
}

export {};
