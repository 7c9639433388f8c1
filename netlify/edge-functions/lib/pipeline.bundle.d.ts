// Types of the generated `pipeline.bundle.js`, which `scripts/bundle_edge.ts` builds from this
// re-exported module.
export * from '../../../src/lib/edge/index.ts';
