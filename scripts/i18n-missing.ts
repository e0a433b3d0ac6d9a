// Which translations are missing: for every locale file next to messages/en.json (the console, namespace
// "api" included) and lib/email/messages/en.json (report emails), the keys en.json has and the locale lacks,
// and the keys the locale has that en.json no longer has. Also every locale of lib/i18n/locales.ts that has
// no file at all. For topping up translations after new keys land in en.json.
//   npx tsx scripts/i18n-missing.ts           per locale: missing keys (with the English text) and extra keys
//   npx tsx scripts/i18n-missing.ts --json    the same as JSON: { "<catalogue>/<locale>": { missing: { key: English }, extra: [key] } }
// Exits 1 when a key is missing or extra anywhere, 0 when every locale has exactly en.json's keys.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES } from '../lib/i18n/locales';

type Tree = { [key: string]: unknown };
export type Gaps = { missing: Record<string, string>; extra: string[] };

const root = join(import.meta.dirname, '..');
const CATALOGUES = [
  { name: 'messages', dir: join(root, 'messages'), locales: LOCALES as readonly string[] },
  { name: 'email', dir: join(root, 'lib/email/messages'), locales: [] as readonly string[] },
];

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaves by dotted path; the email catalogue's flat "subject.summary" keys read the same way. */
function flatten(tree: Tree, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isTree(value)) flatten(value, path, out);
    else out.set(path, value);
  }
  return out;
}

/** Keys of `en` that `other` lacks (or has as a non-string), with their English text, and keys only `other` has. */
export function translationGaps(en: Tree, other: Tree): Gaps {
  const source = flatten(en);
  const target = flatten(other);
  const missing: Record<string, string> = {};
  for (const [key, text] of source) if (typeof target.get(key) !== 'string' || !String(target.get(key)).trim()) missing[key] = String(text);
  const extra = [...target.keys()].filter((key) => !source.has(key));
  return { missing, extra };
}

function readJson(file: string): Tree {
  return JSON.parse(readFileSync(file, 'utf8')) as Tree;
}

function report(): Record<string, Gaps> {
  const out: Record<string, Gaps> = {};
  for (const c of CATALOGUES) {
    const en = readJson(join(c.dir, 'en.json'));
    const files = readdirSync(c.dir).filter((f) => f.endsWith('.json') && f !== 'en.json').map((f) => f.slice(0, -'.json'.length));
    const locales = [...new Set([...files, ...c.locales.filter((l) => l !== 'en')])].sort();
    for (const locale of locales) {
      const file = join(c.dir, `${locale}.json`);
      out[`${c.name}/${locale}`] = translationGaps(en, existsSync(file) ? readJson(file) : {});
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const gaps = report();
  const bad = Object.values(gaps).some((g) => Object.keys(g.missing).length > 0 || g.extra.length > 0);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(gaps, null, 2));
  } else {
    for (const [name, g] of Object.entries(gaps)) {
      const missing = Object.entries(g.missing);
      console.log(`${name}: ${missing.length} missing, ${g.extra.length} extra`);
      for (const [key, text] of missing) console.log(`  - ${key}: ${JSON.stringify(text)}`);
      for (const key of g.extra) console.log(`  + ${key}`);
    }
  }
  process.exit(bad ? 1 : 0);
}
