/**
 * Import rules checked by `npm run deps` (test/lint/folder-cycles.mjs runs dependency-cruiser with
 * this file, then checks the folder-level graph too). Type-only imports count: they couple folders
 * just the same.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No file may reach itself through its imports at run time (a cycle of `import type` only is erased by tsc; folder-level cycles count those too).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'common-is-foundation',
      severity: 'error',
      comment: 'server/src/common holds pure helpers below every feature: it imports only shared/ and itself.',
      from: { path: '^server/src/common/' },
      to: { path: '^(server|console)/', pathNot: '^server/src/common/' },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'shared/ is used by the server and the console: it imports neither.',
      from: { path: '^shared/' },
      to: { path: '^(server|console)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.vue', '.json'] },
  },
};
