// Lint rules, including the module map's "never" arrows (DESIGN.md "Module map").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const area = (name) => [`**/src/${name}/**`, `../${name}/**`, `../../${name}/**`, `../../../${name}/**`];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-tsc/**',
      'node_modules/**',
      'coverage/**',
      '**/*.cjs',
      '.tmp/**',
      'dist.tmp-*/**',
      '.gen-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/cli/print/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*', '../config/*', '../runtime/*', '../relay/*', '../client/*'],
              message: 'core imports nothing of ours',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/tui/**', 'src/mcp/**', 'src/client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: area('relay'), message: 'tui, mcp and client never import relay' }] },
      ],
    },
  },
  {
    files: ['src/relay/**', 'src/transports/**', 'src/hooks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...area('cli'), ...area('tui'), ...area('mcp'), ...area('client')],
              message: 'relay never imports cli, tui, mcp or client',
            },
          ],
        },
      ],
    },
  },
  {
    // Agent worktrees sit below the transports that start agents in them.
    files: ['src/workspace/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...area('relay'),
                ...area('transports'),
                ...area('cli'),
                ...area('tui'),
                ...area('mcp'),
                ...area('client'),
              ],
              message: 'workspace imports only core, config, runtime and hooks',
            },
          ],
        },
      ],
    },
  },
  {
    // Heavy modules load only with `await import()` inside the handlers that need them.
    files: ['src/cli/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            'ink',
            'react',
            'better-sqlite3',
            'node-pty',
            '@modelcontextprotocol/sdk',
            '@agentclientprotocol/sdk',
          ].map((name) => ({
            name,
            message: `load ${name} with await import() in the handler`,
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: ['**/relay/*', '**/tui/*', '**/mcp/*'],
              message: 'load with await import() in the handler',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', 'examples/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      parserOptions: { project: false, program: null, projectService: false },
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
