// Stand-in for https://edge.netlify.com/bootstrap/globals/types.ts, which Netlify's edge bundler
// imports while reading each edge function's `config`. Mapped in netlify/import_map.json so that
// builds work with no network: offline, the remote import fails and the build silently writes an
// edge manifest with no routes.
export type NetlifyGlobal = {
	context: unknown;
	env: {
		delete: (name: string) => void;
		get: (name: string) => string | undefined;
		has: (name: string) => boolean;
		set: (name: string, value: string) => void;
		toObject: () => Record<string, string>;
	};
};
