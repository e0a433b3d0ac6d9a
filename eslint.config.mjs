// Boundaries a tool enforces (tests/unit/lint.test.ts runs this config over the repository as a tier of
// `npm test`). The rules are about the shape of the code base, not style:
// - layers: adapters (app/, components/, server.ts, proxy.ts, workers/, lib/adapters/) -> endpoint registry
//   (lib/api/) -> domain (every other lib/ folder) -> Prisma (lib/db/). UI code never reaches the database;
//   the domain never imports Next, React, websockets or an adapter, so it runs the same from the API, the
//   console, a worker or a test;
// - configuration is read in one place: lib/env.ts validates the environment, nothing else in the
//   product's runtime reads process.env.
// Two more checks live next to the ESLint tier because they need the whole import graph, not one file:
// folder cycles in lib/ (tests/unit/lint-import-cycles.test.ts) and unused exports
// (tests/unit/lint-unused-exports.test.ts).
import { defineConfig, globalIgnores } from 'eslint/config';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const SOURCES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.mjs'];

/** Prisma's client, the database module and the generated client: the domain's business only. */
const DATABASE = {
  regex: '^(@prisma/|(\\.\\./)*(@/)?lib/(db|generated)(/|$))',
  message: 'UI code never touches the database: call the endpoint registry (lib/adapters/console/session.ts) instead.',
};
/** Frameworks and transports that belong to adapters. */
const FRAMEWORKS = {
  regex: '^(next|next-auth|next-intl|react|react-dom|ws)(/|$)',
  message: 'Domain code knows nothing of Next, React or websockets: put this adapter in lib/adapters/ (or app/, workers/).',
};
const ADAPTERS = {
  regex: '(^@/app/|^(\\.\\./)+app/|(^|/)adapters/)',
  message: 'Data flows one way (adapter -> registry -> domain): a domain module never imports an adapter.',
};
const REGISTRY = {
  regex: '(^@/lib/api/|^(\\.\\./)+api/)',
  message: 'Data flows one way (adapter -> registry -> domain): a domain module never imports the endpoint registry.',
};

const restrict = (...patterns) => ['error', { patterns }];

export default defineConfig(
  // lib/comet/constants.ts is generated from Comet's contract (scripts/sync-comet-wire.mjs).
  globalIgnores(['lib/comet/constants.ts', 'node_modules/', '.next/', 'lib/generated/', 'data/', '.test-services/', 'test-results/', 'bench/results/', 'next-env.d.ts']),
  {
    files: SOURCES,
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // React's hook rules (the code base already states its exceptions to exhaustive-deps inline) and Next's
  // <img> rule, for the UI.
  {
    files: ['app/**', 'components/**'],
    plugins: { 'react-hooks': reactHooks, '@next/next': nextPlugin },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@next/next/no-img-element': 'error',
    },
  },

  // Layers.
  { files: ['app/**', 'components/**'], rules: { 'no-restricted-imports': restrict(DATABASE) } },
  { files: ['lib/api/**'], rules: { 'no-restricted-imports': restrict(FRAMEWORKS, ADAPTERS) } },
  {
    files: ['lib/**'],
    ignores: ['lib/adapters/**', 'lib/api/**'],
    rules: { 'no-restricted-imports': restrict(FRAMEWORKS, ADAPTERS, REGISTRY) },
  },

  // process.env only in lib/env.ts. Outside the product's runtime rule: scripts/ (npm start, npm test and the
  // tools start processes with an environment of their own making), bench/, tests/, the reference agent
  // (agent/, a separate client program), and the tools' own config files, which run before lib/env.ts can.
  {
    files: SOURCES,
    ignores: ['lib/env.ts', 'scripts/**', 'bench/**', 'tests/**', 'agent/**', 'next.config.mjs', 'prisma.config.ts', 'vitest.config.ts', 'eslint.config.mjs'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through lib/env.ts (validated once at boot), not process.env.',
        },
      ],
    },
  },
);
