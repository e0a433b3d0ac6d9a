// The lint tier: ESLint with the repository's eslint.config.mjs (layer boundaries, process.env only in
// lib/env.ts) over every source file, failing with ESLint's own report.
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';
import { repoRoot } from './lint-source-graph';

it('eslint passes', { timeout: 300_000 }, async () => {
  const eslint = new ESLint({ cwd: repoRoot, errorOnUnmatchedPattern: false });
  const results = await eslint.lintFiles(['.']);
  const problems = results.filter((r) => r.errorCount > 0 || r.warningCount > 0);
  const report = problems.length ? await (await eslint.loadFormatter('stylish')).format(problems) : '';
  expect(report, 'ESLint problems').toBe('');
  expect(results.length, 'files linted').toBeGreaterThan(300);
});
