/** Sample catalog entries inserted by the seed. Prices are integer minor units per currency. */
export interface SeedProduct {
	slug: string;
	name: string;
	summary: string;
	description: string;
	prices: { USD: number; GBP: number; EUR: number };
	stock: number;
}

export interface SeedCategory {
	slug: string;
	name: string;
	description: string;
	products: SeedProduct[];
}
