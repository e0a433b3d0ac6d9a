// The console's messages: messages/en.json is the source of truth.
// - Every other locale file has exactly its keys, string leaves where en has strings, and the same
//   ICU arguments ({placeholders}, plural/select arguments, rich-text tags) per message, keeping en's
//   exact plural cases (=0) and select options.
// - Every message in every file is valid ICU for its locale (plural categories included).
// - The source (app/, components/, lib/ without lib/generated) uses every key of en.json and no key
//   that en.json lacks. Translators come from `const t = useTranslations('ns')` /
//   `await getTranslations('ns')` and are called as t('key'), t.rich/markup/raw/has('key'),
//   t(`prefix.${x}`) (every leaf under ns.prefix counts as used) or t(variable) (every string literal
//   of the file that names a direct child of ns counts as used).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../lib/i18n/locales';

const root = join(import.meta.dirname, '../..');
const messagesDir = join(root, 'messages');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Tree = { [key: string]: Json };

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readMessages(locale: string): Tree {
  return JSON.parse(readFileSync(join(messagesDir, `${locale}.json`), 'utf8')) as Tree;
}

/** Leaves by dotted path ("users.add.title" → value); objects are descended, anything else is a leaf. */
function flatten(tree: Tree, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isTree(value)) flatten(value, path, out);
    else out.set(path, value);
  }
  return out;
}

function lookup(tree: Tree, path: string): Json | undefined {
  let node: Json | undefined = tree;
  for (const part of path ? path.split('.') : []) {
    if (!isTree(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

// ---- ICU -------------------------------------------------------------------------------------------

// The parser's element types (@formatjs/icu-messageformat-parser TYPE): literal 0, argument 1, number 2,
// date 3, time 4, select 5, plural 6, pound 7, tag 8.
type IcuNode = { type: number; value: string; options?: Record<string, { value: IcuNode[] }>; children?: IcuNode[] };
const PLURAL = 6;
const TAG = 8;

type Parsed = {
  args: Set<string>;
  /** "arg=option" for every select option and every exact plural case (=0, =1…): translations keep them. */
  cases: Set<string>;
  problems: string[];
};

function parseIcu(message: string, locale: string): Parsed {
  const ast = new IntlMessageFormat(message, locale).getAst() as unknown as IcuNode[];
  const args = new Set<string>();
  const cases = new Set<string>();
  const problems: string[] = [];
  const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
  const ordinalCategories = new Set<string>(new Intl.PluralRules(locale, { type: 'ordinal' }).resolvedOptions().pluralCategories);
  const walk = (nodes: IcuNode[]) => {
    for (const node of nodes) {
      if (node.type >= 1 && node.type <= 6) args.add(node.value);
      if (node.type === TAG) args.add(`<${node.value}>`);
      if (node.options) {
        if (node.type === PLURAL) {
          const ordinal = (node as { pluralType?: string }).pluralType === 'ordinal';
          const allowed = ordinal ? ordinalCategories : categories;
          for (const option of Object.keys(node.options)) {
            if (!/^=\d+$/.test(option) && !allowed.has(option)) {
              problems.push(`plural option "${option}" of {${node.value}} is not a ${locale} plural category (${[...allowed].join(', ')})`);
            }
          }
        }
        for (const option of Object.keys(node.options)) {
          if (node.type !== PLURAL || /^=\d+$/.test(option)) cases.add(`${node.value}=${option.replace(/^=/, '')}`);
        }
        for (const option of Object.values(node.options)) walk(option.value);
      }
      if (node.children) walk(node.children);
    }
  };
  walk(ast);
  return { args, cases, problems };
}

function fmtArgs(args: Set<string>): string {
  return `[${[...args].sort().join(', ')}]`;
}

// ---- locale files ----------------------------------------------------------------------------------

const files = readdirSync(messagesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();
const en = readMessages('en');
const enLeaves = flatten(en);
const translations = files.filter((l) => l !== 'en');

describe('messages/*.json', () => {
  it('has one file per locale of lib/i18n/locales.ts', () => {
    expect(files).toEqual([...LOCALES].sort());
  });

  it.each(translations)('%s.json has the keys, string leaves and placeholders of en.json', (locale) => {
    const leaves = flatten(readMessages(locale));
    const problems: string[] = [];
    for (const [key, enValue] of enLeaves) {
      if (!leaves.has(key)) {
        problems.push(`missing key: ${key}`);
        continue;
      }
      const value = leaves.get(key);
      if (typeof enValue === 'string' && typeof value !== 'string') {
        problems.push(`not a string: ${key} (${JSON.stringify(value)})`);
        continue;
      }
      if (typeof enValue !== 'string' || typeof value !== 'string') continue;
      let enParsed: Parsed;
      let parsed: Parsed;
      try {
        enParsed = parseIcu(enValue, 'en');
        parsed = parseIcu(value, locale);
      } catch {
        continue; // reported by the ICU test
      }
      if (fmtArgs(enParsed.args) !== fmtArgs(parsed.args)) {
        problems.push(`placeholders differ: ${key}: en ${fmtArgs(enParsed.args)}, ${locale} ${fmtArgs(parsed.args)}`);
      }
      const lost = [...enParsed.cases].filter((c) => !parsed.cases.has(c));
      if (lost.length) problems.push(`plural/select cases missing: ${key}: ${lost.join(', ')}`);
    }
    for (const key of leaves.keys()) {
      if (!enLeaves.has(key)) problems.push(`extra key: ${key}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(files)('%s.json: every message is valid ICU', (locale) => {
    const problems: string[] = [];
    for (const [key, value] of flatten(readMessages(locale))) {
      if (typeof value !== 'string') continue;
      try {
        for (const p of parseIcu(value, locale).problems) problems.push(`${key}: ${p}`);
      } catch (err) {
        problems.push(`${key}: ${err instanceof Error ? err.message : String(err)}: ${JSON.stringify(value)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---- source usage ----------------------------------------------------------------------------------

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(root, path).split('\\').join('/');
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || rel === 'lib/generated') continue;
      sourceFiles(path, out);
    } else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

type Usage = {
  used: Set<string>;
  /** Keys the source asks for that en.json does not have: "ns.key (file:line)". */
  missing: string[];
};

const IDENT = '[A-Za-z_$][\\w$]*';
const TRANSLATIONS_CALL = '(?:useTranslations|getTranslations)\\(\\s*(?:([\'"`])([^\'"`]*)\\2|\\{[^}]*?namespace:\\s*([\'"`])([^\'"`]*)\\4[^}]*\\})?\\s*\\)';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function collectUsage(): Usage {
  const used = new Set<string>();
  const missing: string[] = [];
  const leavesUnder = (path: string): string[] => {
    const node = lookup(en, path);
    if (node === undefined) return [];
    if (!isTree(node)) return [path];
    return [...flatten(node, path).keys()];
  };
  const join2 = (ns: string, key: string) => (ns && key ? `${ns}.${key}` : ns || key);

  for (const file of [...sourceFiles(join(root, 'app')), ...sourceFiles(join(root, 'components')), ...sourceFiles(join(root, 'lib'))]) {
    // Comment lines are blanked (line numbers stay), so commented-out calls do not count.
    const src = readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => (/^\s*(\/\/|\/\*|\*)/.test(line) ? '' : line))
      .join('\n');
    const rel = relative(root, file).split('\\').join('/');
    const where = (index: number) => `${rel}:${src.slice(0, index).split('\n').length}`;
    const literals = new Set<string>();
    for (const m of src.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\$]*)`/g)) literals.add(m[1] ?? m[2] ?? m[3]);

    // The call's argument starts at src[at]; `candidates` are the namespaces it may belong to, best first.
    const record = (at: number, candidates: string[], callIndex: number) => {
      const rest = src.slice(at);
      const quoted = /^(['"])([^'"\n]*)\1/.exec(rest);
      const template = /^`([^`]*)`/.exec(rest);
      if (quoted || (template && !template[1].includes('${'))) {
        const key = quoted ? quoted[2] : template![1];
        const ns = candidates.find((c) => typeof lookup(en, join2(c, key)) === 'string');
        if (ns === undefined) missing.push(`${join2(candidates[0], key)} (${where(callIndex)})`);
        else used.add(join2(ns, key));
      } else if (template) {
        // Dynamic key: every leaf under the literal prefix ("steps.${s.key}" → ns.steps.*).
        const prefix = template[1].slice(0, template[1].indexOf('${'));
        const dot = prefix.lastIndexOf('.');
        const group = dot < 0 ? '' : prefix.slice(0, dot);
        const partial = prefix.slice(dot + 1);
        let found = false;
        for (const ns of candidates) {
          const base = join2(ns, group);
          const node = lookup(en, base);
          if (!isTree(node)) continue;
          const start = join2(base, partial);
          for (const leaf of leavesUnder(base)) {
            if (partial ? leaf.startsWith(start) : true) {
              used.add(leaf);
              found = true;
            }
          }
          if (found) break;
        }
        if (!found) missing.push(`${join2(candidates[0], prefix)}* (${where(callIndex)})`);
      } else {
        // A variable or expression: every string literal of the file that is a direct child key.
        for (const ns of candidates) {
          const node = lookup(en, ns);
          if (!isTree(node)) continue;
          let found = false;
          for (const lit of literals) {
            if (lit && Object.hasOwn(node, lit) && typeof node[lit] === 'string') {
              used.add(join2(ns, lit));
              found = true;
            }
          }
          if (found) break;
        }
      }
    };

    // Translator variables: name → declarations (position, namespace).
    const decls = new Map<string, Array<{ index: number; ns: string }>>();
    for (const m of src.matchAll(new RegExp(`\\b(?:const|let|var)\\s+(${IDENT})\\s*(?::[^=]+)?=\\s*(?:await\\s+)?${TRANSLATIONS_CALL}`, 'g'))) {
      const list = decls.get(m[1]) ?? [];
      list.push({ index: m.index, ns: m[3] ?? m[5] ?? '' });
      decls.set(m[1], list);
    }
    for (const [name, list] of decls) {
      const call = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}(?:\\.(?:rich|markup|raw|has))?\\(\\s*`, 'g');
      for (const m of src.matchAll(call)) {
        // Nearest declaration before the call first, then the file's other namespaces for that name.
        const before = list.filter((d) => d.index < m.index);
        const nearest = before.length ? before[before.length - 1].ns : list[0].ns;
        const candidates = [nearest, ...new Set(list.map((d) => d.ns).filter((ns) => ns !== nearest))];
        record(m.index + m[0].length, candidates, m.index);
      }
    }
    // API error messages (lib/i18n/api-messages.ts): apiMessage('key', ...) and, in lib/errors.ts, whose
    // defaults cannot import the catalogue, { key: 'key', values: ... }. Both are keys of the "api" namespace.
    for (const m of src.matchAll(/\bapiMessage(?:WithEnglish)?\(\s*(?=['"`])|\{ key: (?=['"`][^'"`]+['"`], values:)/g)) {
      record(m.index + m[0].length, ['api'], m.index);
    }
    // Immediate calls: (await getTranslations('ns'))('key'). The leading group keeps TRANSLATIONS_CALL's
    // back-references (\\2, \\4) pointing at its quote groups, as in the declaration pattern above.
    for (const m of src.matchAll(new RegExp(`(\\()\\s*await\\s+${TRANSLATIONS_CALL}\\s*\\)\\s*\\(\\s*`, 'g'))) {
      record(m.index + m[0].length, [m[3] ?? m[5] ?? ''], m.index);
    }
  }
  return { used, missing: [...new Set(missing)].sort() };
}

describe('message keys vs source', () => {
  const usage = collectUsage();

  it('every key the source uses exists in en.json', () => {
    expect(usage.missing).toEqual([]);
  });

  it('every key of en.json is used by the source', () => {
    const unused = [...enLeaves.keys()].filter((key) => !usage.used.has(key));
    expect(unused).toEqual([]);
  });
});
