/**
 * The flag document: kill switches and experiment settings, stored as JSON in the Netlify Blobs
 * store `flags` under `flags.json`. The edge reads it through a per-isolate cache; the admin
 * endpoint validates and writes it; `scripts/flags.ts` creates it with `DEFAULT_FLAGS`.
 */
import { EXPERIMENTS, type Experiment } from '../shared/experiments.ts';

export const FLAG_STORE = 'flags';
export const FLAG_KEY = 'flags.json';

/** Kill switches; each is on (true) by default, and turning one off disables the feature. */
export const FEATURES = ['checkout', 'geo_redirect'] as const;
export type Feature = (typeof FEATURES)[number];

export interface ExperimentSettings {
	/** When false, every visitor gets the control and cohort cookies are left as they are. */
	enabled: boolean;
	/** Relative weight of each variant, in the order of the experiment's `variants`. */
	weights: number[];
}

export interface FlagDocument {
	version: 1;
	features: Record<Feature, boolean>;
	/** Settings by experiment key; experiments left out use their built-in weights. */
	experiments: Record<string, ExperimentSettings>;
}

/** An experiment definition joined with its current settings. */
export interface ActiveExperiment extends ExperimentSettings {
	key: string;
	variants: readonly string[];
}

/** Largest weight accepted, so weights stay small integers that sum without rounding. */
const MAX_WEIGHT = 10_000;

/** Built-in flags: everything on, experiments at the weights in `experiments.ts`. */
export const DEFAULT_FLAGS: FlagDocument = {
	version: 1,
	features: { checkout: true, geo_redirect: true },
	experiments: Object.fromEntries(
		EXPERIMENTS.map((experiment) => [
			experiment.key,
			{ enabled: true, weights: [...experiment.weights] }
		])
	)
};

export type FlagParseResult = { ok: true; flags: FlagDocument } | { ok: false; errors: string[] };

/**
 * Validates a flag document. Missing features and experiments take their defaults. With `strict`
 * (the admin endpoint), unknown features and experiments are errors. The edge reads leniently,
 * so a document written before an experiment was removed from the code still applies.
 */
export function parse_flag_document(input: unknown, { strict = true } = {}): FlagParseResult {
	const errors: string[] = [];
	if (!is_record(input)) return { ok: false, errors: ['The flag document must be a JSON object.'] };
	if (input.version !== 1) errors.push('"version" must be 1.');

	const features = { ...DEFAULT_FLAGS.features };
	if (input.features !== undefined) {
		if (!is_record(input.features)) {
			errors.push('"features" must be an object of booleans.');
		} else {
			for (const [name, value] of Object.entries(input.features)) {
				if (!FEATURES.includes(name as Feature)) {
					if (strict)
						errors.push(`"features.${name}" is not a known feature (${FEATURES.join(', ')}).`);
				} else if (typeof value !== 'boolean') {
					errors.push(`"features.${name}" must be true or false.`);
				} else {
					features[name as Feature] = value;
				}
			}
		}
	}

	const experiments = structuredClone(DEFAULT_FLAGS.experiments);
	if (input.experiments !== undefined) {
		if (!is_record(input.experiments)) {
			errors.push('"experiments" must be an object keyed by experiment.');
		} else {
			for (const [key, value] of Object.entries(input.experiments)) {
				const experiment = EXPERIMENTS.find((candidate) => candidate.key === key);
				if (!experiment) {
					if (strict) errors.push(`"experiments.${key}" is not a known experiment.`);
					continue;
				}
				const settings = parse_experiment_settings(experiment, value, errors);
				if (settings) experiments[key] = settings;
			}
		}
	}

	if (errors.length > 0) return { ok: false, errors };
	return { ok: true, flags: { version: 1, features, experiments } };
}

function parse_experiment_settings(
	experiment: Experiment,
	value: unknown,
	errors: string[]
): ExperimentSettings | null {
	const field = `experiments.${experiment.key}`;
	if (!is_record(value)) {
		errors.push(`"${field}" must be an object with "enabled" and "weights".`);
		return null;
	}

	const before = errors.length;
	if (typeof value.enabled !== 'boolean') errors.push(`"${field}.enabled" must be true or false.`);

	const { weights } = value;
	const count = experiment.variants.length;
	if (!Array.isArray(weights) || weights.length !== count) {
		errors.push(
			`"${field}.weights" must list ${count} weights, one per variant (${experiment.variants.join(', ')}).`
		);
	} else if (
		!weights.every((weight) => Number.isInteger(weight) && weight >= 0 && weight <= MAX_WEIGHT)
	) {
		errors.push(`"${field}.weights" must be integers from 0 to ${MAX_WEIGHT}.`);
	} else if (weights.reduce((sum: number, weight: number) => sum + weight, 0) === 0) {
		errors.push(`"${field}.weights" must not all be 0.`);
	}

	if (errors.length > before) return null;
	return { enabled: value.enabled as boolean, weights: [...(weights as number[])] };
}

const active_by_document = new WeakMap<FlagDocument, ActiveExperiment[]>();

/**
 * Joins every experiment defined in code with its settings from the flag document. The result
 * is computed once per document, since the same cached document serves many requests.
 */
export function active_experiments(flags: FlagDocument): ActiveExperiment[] {
	let active = active_by_document.get(flags);
	if (!active) {
		active = join_experiments(flags);
		active_by_document.set(flags, active);
	}
	return active;
}

function join_experiments(flags: FlagDocument): ActiveExperiment[] {
	return EXPERIMENTS.map((experiment) => {
		const settings = flags.experiments[experiment.key] ?? {
			enabled: true,
			weights: [...experiment.weights]
		};
		return { key: experiment.key, variants: experiment.variants, ...settings };
	});
}

function is_record(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The part of a Netlify Blobs store that writing the flag document uses. */
export interface FlagStore {
	get(key: string, options: { type: 'json' }): Promise<unknown>;
	setJSON(
		key: string,
		value: unknown,
		options?: { onlyIfNew?: boolean }
	): Promise<{ modified: boolean }>;
}

/**
 * Stores `DEFAULT_FLAGS` unless a document exists; `force` replaces an existing one. Returns
 * whether it wrote. The write is conditional on the key being new, so two runs at once cannot
 * overwrite an administrator's change made in between.
 */
export async function create_flag_document(
	store: FlagStore,
	{ force = false } = {}
): Promise<boolean> {
	if (force) {
		await store.setJSON(FLAG_KEY, DEFAULT_FLAGS);
		return true;
	}
	const { modified } = await store.setJSON(FLAG_KEY, DEFAULT_FLAGS, { onlyIfNew: true });
	return modified;
}
