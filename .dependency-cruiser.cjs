/**
 * Lepton's import rules, checked in CI by dependency-cruiser: `npm run lint:deps`.
 *
 * src/ is layered; a folder may import only folders BELOW it in LAYERS (bottom first), never
 * one above, so folder-level cycles are impossible and each layer can be read without the ones
 * above it. src/index.ts (the public API) sits on top of everything. Outside src/, benchmarks and
 * scripts use the public API only ('lepton' → src/index.ts through tsconfig paths); tests may
 * test internals.
 *
 * Adding a folder: put it in LAYERS where it belongs (the unknown-folder rule fails until then).
 */
const LAYERS = [
  'util', //        errors, RNG, CSV writer, atomic writes: no Lepton imports
  'tf', //          the one tfjs import and backend choice
  'nn', //          fused Float32Array training kernels (MLP forward/backward, losses, optimizers): no tfjs
  'workload', //    jobs, trace loaders, generators
  'cluster', //     ClusterSpec, presets, node lists
  'sim', //         event-driven simulator, placement, the Scheduler interface
  'metrics', //     summaries of a SimResult
  'predict', //     duration predictors from submit-time features and finished jobs' history
  'schedulers', //  heuristic policies + their registry
  'env', //         Gymnasium-style environments over the simulator
  'deeprm', //      the DeepRM environment, generator and heuristics
  'rlsched', //     the RLScheduler (SC'20) environment, seeding and heuristics
  'agents', //      learning agents (tfjs) and their fast inference path
  'experiment', //  training, evaluation, comparisons, manifests
  'report', //      CSV/HTML/PNG rendering and writing of results
  'sweep', //       experiment plans: grids of cells, sharded runs (local, Slurm, Kubernetes), merge
  'notebook', //    lepton/notebook: display helpers for JupyterLab (a second public entry point)
  'cli', //         argument parsing and printing
];

module.exports = {
  forbidden: [
    ...LAYERS.map((layer, i) => ({
      name: `layer-${layer}`,
      comment: `src/${layer}/ may import only ${i === 0 ? 'node and npm modules' : `src/{${LAYERS.slice(0, i).join(',')}}/`} (layers in .dependency-cruiser.cjs); move the code down or the import up`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: '^src/', pathNot: `^src/(${LAYERS.slice(0, i + 1).join('|')})/` },
    })),
    {
      name: 'unknown-folder',
      comment: 'every folder under src/ must be listed in LAYERS of .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(${LAYERS.join('|')})/`, '^src/index\\.ts$'] },
      to: {},
    },
    {
      name: 'unknown-folder-leaf',
      comment: 'every folder under src/ must be listed in LAYERS of .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(${LAYERS.join('|')})/`, '^src/index\\.ts$'], orphan: true },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycles, not even inside a folder',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'public-api-only',
      comment:
        "benchmarks/ and scripts/ import Lepton as 'lepton' (src/index.ts) or 'lepton/notebook' (src/notebook/index.ts), never a module by path",
      severity: 'error',
      from: { path: '^(benchmarks|scripts)/' },
      to: { path: '^(src|dist)/', pathNot: '^src/(index|notebook/index)\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve (typo, or a package missing from package.json)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-dev-dep',
      comment:
        'src/ ships to users: no static import of a devDependency (report/deeprm.ts loads playwright-core with a lazy import() only to render PNGs)',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.venv|results|datasets)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'] },
  },
};
