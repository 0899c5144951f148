// ESLint (flat config): typescript-eslint's recommended type-checked rules over the sources and
// tests; formatting is Prettier's job, so ESLint's stylistic rules are off (eslint-config-prettier).
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/**', 'scripts/**', '*.config.*', 'jest.config.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A leading underscore says "deliberately unused"; rest siblings drop fields from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The dashboard's browser script is plain JavaScript, type-checked by tsc (checkJs, its own
    // tsconfig): here it gets the recommended rules and the browser's globals, not the typed rules.
    files: ['apps/integrations/src/dashboard/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['document', 'window', 'location', 'history', 'sessionStorage', 'fetch', 'URL', 'FormData', 'Intl', 'Node', 'HTMLElement', 'HTMLFormElement']
          .concat(['HTMLInputElement', 'HTMLDialogElement'])
          .map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Tests read HTTP answers (supertest's `body` is `any` by design) and assert on them: the
    // no-unsafe-* family would only make them cast what the assertion is about to check.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
