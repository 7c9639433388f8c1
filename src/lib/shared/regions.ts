/**
 * Storefront regions. Each region is a URL prefix with its own currency. The edge picks one from
 * the visitor's country on a first visit, and the region cookie records an explicit choice.
 * Pure module: imported by the edge function (Deno) and by server and browser code.
 */

export const REGIONS = [
	{
		code: 'us',
		name: 'United States',
		place: 'the United States',
		currency: 'USD',
		locale: 'en-US'
	},
	{
		code: 'uk',
		name: 'United Kingdom',
		place: 'the United Kingdom',
		currency: 'GBP',
		locale: 'en-GB'
	},
	{ code: 'eu', name: 'Europe', place: 'Europe', currency: 'EUR', locale: 'en-IE' }
] as const satisfies readonly {
	code: string;
	name: string;
	/** The name as it reads inside a sentence. */
	place: string;
	currency: string;
	locale: string;
}[];

export type Region = (typeof REGIONS)[number];
export type RegionCode = Region['code'];
export type Currency = Region['currency'];

export const DEFAULT_REGION: RegionCode = 'us';

/** Cookie that stores the visitor's explicit region choice from the region switcher. */
export const REGION_COOKIE = 'region';

/** ISO 3166-1 alpha-2 codes of the 27 EU member states. */
const EU_COUNTRIES = new Set([
	'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
	'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'
]); // prettier-ignore

export function is_region_code(value: unknown): value is RegionCode {
	return REGIONS.some((region) => region.code === value);
}

export function get_region(code: RegionCode): Region {
	const region = REGIONS.find((candidate) => candidate.code === code);
	if (!region) throw new Error(`Unknown region "${code}"`);
	return region;
}

/** Maps a country code from geolocation to a region: GB to uk, EU members to eu, else us. */
export function region_for_country(country: string | null | undefined): RegionCode {
	const code = country?.toUpperCase();
	if (code === 'GB') return 'uk';
	if (code && EU_COUNTRIES.has(code)) return 'eu';
	return DEFAULT_REGION;
}

/** Formats an amount in integer minor units (cents, pence) for display. */
export function format_price(minor_units: number, region: Region): string {
	return new Intl.NumberFormat(region.locale, {
		style: 'currency',
		currency: region.currency
	}).format(minor_units / 100);
}
