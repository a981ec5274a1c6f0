// Type-checked rules: no-floating-promises matters most in a service where a dropped promise
// is a lost notification.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.run/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['support/**', 'test/**', 'bench/**', 'scripts/**', 'demo/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/require-await': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  // Imports run one way: support/ serves test/, bench/ and scripts/ and uses none of them; bench/ and
  // scripts/ never reach into test/; demo/ ships in the image, which has no support/ or test/;
  // exporters/ are programs of their own (their own image stage): nothing of ours but themselves
  // and the dependency-free src/lib/.
  ...[
    { files: ['bench/**', 'scripts/**'], banned: ['test'] },
    { files: ['support/**'], banned: ['test', 'bench', 'scripts'] },
    { files: ['demo/**'], banned: ['test', 'support', 'bench', 'scripts'] },
    // src/lib/ imports nothing of ours (.dependency-cruiser.cjs), so an exporter may share it.
    { files: ['exporters/**'], banned: ['src', 'demo', 'test', 'support', 'bench', 'scripts'], allowed: ['src/lib'] },
  ].map(({ files, banned, allowed = [] }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // gitignore semantics: a folder's files come back only if the folder itself does, so
              // a banned folder with an allowed subfolder is banned by its entries (`src/*`).
              group: [
                ...banned.map((dir) => (allowed.some((a) => a.startsWith(`${dir}/`)) ? `**/${dir}/*` : `**/${dir}/**`)),
                ...allowed.flatMap((dir) => [`!**/${dir}`, `!**/${dir}/**`]),
              ],
              message: `not from ${banned.map((d) => `${d}/`).join(', ')}${allowed.length ? ` (${allowed.join(', ')}/ excepted)` : ''}`,
            },
          ],
        },
      ],
    },
  })),
);
