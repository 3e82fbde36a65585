// @ts-check
// Type-aware lint for every workspace (typescript-eslint flat config), and lint for the
// JavaScript files too (the offline schema engine, scripts, Jest configs): those are type
// checked by tsc through `// @ts-check` + JSDoc (allowJs/checkJs in the tsconfigs).
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/src/generated/**', '**/coverage/**', '**/.turbo/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/require-await': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-var': 'error',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // CommonJS files load their dependencies with require().
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Only repositories touch the Prisma client (services/api/src/architecture.spec.ts checks uses too).
  {
    files: ['services/api/src/**/*.ts'],
    ignores: ['services/api/src/**/*.repository.ts', 'services/api/src/database/**', 'services/api/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/database/prisma.service'],
              message: 'Only *.repository.ts files touch the Prisma client: add a named repository method.',
            },
          ],
          paths: [
            {
              name: '@chefcloud/db',
              importNames: ['PrismaClient', 'createPrismaClient'],
              message: 'Only *.repository.ts files touch the Prisma client: add a named repository method.',
            },
          ],
        },
      ],
    },
  },
  // Formatting is Prettier's (npm run format); turn off the stylistic rules that would fight it.
  prettier,
);
