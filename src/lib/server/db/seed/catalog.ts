import type { SeedCategory } from './types.ts';

export const CATALOG: SeedCategory[] = [];
