// Every error message the API can answer is translatable: a user-facing error (AppError and its subclasses)
// is thrown with apiMessage('key', ...) from the "api" catalogue (lib/i18n/api-messages.ts), never with a plain
// English string literal. Internal errors (plain Error, answered as "Internal server error" with a request id)
// may stay English.
//
// PLAIN_STRING_BUDGET lists files that still throw plain strings, with how many (none since issues 19/20; a merged
// branch may list its old sites here until they are converted): the budget only goes down. A new file with a
// plain-string user-facing error, or one more in a listed file, fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** Files with plain-string user-facing errors from before the rule, and how many (convert them; never raise a number). */
const PLAIN_STRING_BUDGET: Record<string, number> = {};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated' && entry.name !== 'node_modules') sourceFiles(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

const files = [...sourceFiles(join(root, 'lib')), ...sourceFiles(join(root, 'app'))].map((path) => ({
  path: relative(root, path).split('\\').join('/'),
  text: readFileSync(path, 'utf8'),
}));

/** AppError and every class that extends it, directly or through another one, anywhere in the sources. */
function userFacingErrorClasses(): Set<string> {
  const classes = new Set(['AppError']);
  const extendsPairs = files.flatMap(({ text }) => [...text.matchAll(/\bclass\s+(\w+)\s+extends\s+(\w+)/g)].map((m) => [m[1], m[2]] as const));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of extendsPairs) {
      if (classes.has(parent) && !classes.has(child)) {
        classes.add(child);
        grew = true;
      }
    }
  }
  return classes;
}

/**
 * `new SomeUserFacingError('text'` / `(404, "text"` / `` (`text ${x}` `` / `(cond ? 'text' : …` / `(x || 'text'`: one
 * per plain-string site, with its line.
 */
function plainStringSites(text: string, classes: Set<string>): number[] {
  const lines = new Set<number>();
  // The third: a fallback text (`new AppError(500, reply.message || 'The device …')`), as English as a literal.
  for (const re of [/\bnew\s+(\w+)\s*\(\s*(?:\d+\s*,\s*)?['"`]/g, /\bnew\s+(\w+)\s*\([^()\n;]{0,120}[?:]\s*['"`]/g, /\bnew\s+(\w+)\s*\([^()\n;]{0,120}(?:\|\||\?\?)\s*['"`]/g]) {
    for (const m of text.matchAll(re)) {
      if (classes.has(m[1])) lines.add(text.slice(0, m.index).split('\n').length);
    }
  }
  return [...lines];
}

describe('API error messages', () => {
  const classes = userFacingErrorClasses();

  it('finds the error hierarchy', () => {
    for (const name of ['BadRequestError', 'NotFoundError', 'ForbiddenError', 'ConflictError', 'AuthError']) expect(classes.has(name)).toBe(true);
  });

  it('are thrown with apiMessage(...), not plain English strings (the budget of old sites only goes down)', () => {
    const over: string[] = [];
    for (const { path, text } of files) {
      const sites = plainStringSites(text, classes);
      const budget = PLAIN_STRING_BUDGET[path] ?? 0;
      if (sites.length > budget) {
        over.push(`${path}: ${sites.length} plain-string error(s) (budget ${budget}) at line(s) ${sites.join(', ')}: use apiMessage('key', {...}) with a key in namespace "api" of messages/*.json`);
      }
    }
    expect(over).toEqual([]);
  });

  it('budget lists only files that exist', () => {
    const known = new Set(files.map((f) => f.path));
    expect(Object.keys(PLAIN_STRING_BUDGET).filter((path) => !known.has(path))).toEqual([]);
  });
});
