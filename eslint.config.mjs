// ESLint flat config. typescript-eslint "recommended" without type information, so
// `npx eslint src test benchmarks` stays fast (no tsc program is built; `npm run typecheck` does types).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated or third-party: never linted.
    ignores: ['dist/**', 'node_modules/**', '.venv/**', '.jupyter/**', 'results/**', 'datasets/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a parameter kept for an interface's shape.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
);
