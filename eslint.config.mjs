// ESLint for CDK code: typescript-eslint's recommended rules, plus the few that matter in construct
// libraries (no floating promises in handlers, consistent type imports are not forced because jsii
// needs plain imports of the types it exports).
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'cdk.out/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.d.ts', '!eslint.config.mjs',
      '**/__snapshots__/**', 'test/**/cdk.out/**', '**/*.snapshot/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      // One import order everywhere (autofixed by `eslint --fix`): side-effect imports, node: builtins, packages, then
      // the project's own modules, each group sorted by path.
      'simple-import-sort/imports': 'error',
      // CDK constructs are created for their side effects on the construct tree.
      'no-new': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'error',
      'eqeqeq': ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'prefer-const': 'error',
      'no-var': 'error',
      'curly': ['error', 'multi-line'],
      'max-len': ['error', { code: 150, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreComments: false }],
    },
  },
  {
    // CommonJS helpers that jest loads outside TypeScript (test/util/cfn-validate): `require` is how they load.
    files: ['**/*.cjs'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
