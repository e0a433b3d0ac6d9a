// The repository's module graph, read with TypeScript's parser only (no type check, so it takes about a
// second): every source file, the modules it imports (relative and `@/` specifiers resolved to files) and
// the names it imports from each. The import-cycle and unused-export checks (lint-*.test.ts) share it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const repoRoot = resolve(import.meta.dirname, '../..');

const SKIP_DIRS = new Set(['node_modules', '.next', '.git', 'data', '.test-services', 'test-results', 'generated']);
const SOURCE_EXT = ['.ts', '.tsx', '.mts', '.mjs'];

/** Every imported name of one module, or '*' when the importer may use any of them (namespace, dynamic, export *). */
export type ImportUse = { from: string; to: string; names: Set<string> | '*'; typeOnly: boolean };

export type SourceFile = { path: string; exports: Map<string, number>; imports: ImportUse[] };

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE_EXT.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) out.push(relative(repoRoot, full));
  }
}

function resolveSpecifier(fromFile: string, spec: string, files: Set<string>): string | undefined {
  let base: string;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('./') || spec.startsWith('../')) base = join(dirname(fromFile), spec);
  else return undefined;
  const stripped = base.replace(/\.(js|mjs|ts|tsx)$/, '');
  for (const cand of [base, ...SOURCE_EXT.map((e) => stripped + e), ...SOURCE_EXT.map((e) => join(stripped, 'index' + e))]) {
    if (files.has(cand)) return cand;
  }
  return undefined;
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}
function isDefault(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

function parse(path: string, files: Set<string>): SourceFile {
  const text = readFileSync(join(repoRoot, path), 'utf8');
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const exports = new Map<string, number>();
  const imports: ImportUse[] = [];
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const use = (spec: string, names: Set<string> | '*', typeOnly: boolean) => {
    const to = resolveSpecifier(path, spec, files);
    if (to) imports.push({ from: path, to, names, typeOnly });
  };

  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (!clause) {
        use(st.moduleSpecifier.text, new Set(), false); // side-effect import
        continue;
      }
      const names = new Set<string>();
      let all = false;
      if (clause.name) names.add('default');
      if (clause.namedBindings) {
        if (ts.isNamespaceImport(clause.namedBindings)) all = true;
        else for (const el of clause.namedBindings.elements) names.add((el.propertyName ?? el.name).text);
      }
      use(st.moduleSpecifier.text, all ? '*' : names, clause.isTypeOnly);
    } else if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        if (!st.exportClause) use(st.moduleSpecifier.text, '*', st.isTypeOnly);
        else if (ts.isNamespaceExport(st.exportClause)) {
          use(st.moduleSpecifier.text, '*', st.isTypeOnly);
          exports.set(st.exportClause.name.text, line(st));
        } else {
          use(st.moduleSpecifier.text, new Set(st.exportClause.elements.map((el) => (el.propertyName ?? el.name).text)), st.isTypeOnly);
          for (const el of st.exportClause.elements) exports.set(el.name.text, line(el));
        }
      } else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) exports.set(el.name.text, line(el));
      }
    } else if (ts.isExportAssignment(st)) {
      exports.set('default', line(st));
    } else if (hasExportModifier(st)) {
      if (isDefault(st)) exports.set('default', line(st));
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          const names: string[] = [];
          bindingNames(d.name, names);
          for (const n of names) exports.set(n, line(d));
        }
      } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && st.name) {
        exports.set(st.name.text, line(st));
      }
    }
  }

  // Dynamic imports and `import('x').T` type queries anywhere in the file: any export may be used.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      use(node.arguments[0].text, '*', false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      use(node.argument.literal.text, '*', true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { path, exports, imports };
}

let cached: Map<string, SourceFile> | undefined;

/** Every source file of the repository (generated code and dependencies excluded), parsed once per process. */
export function sourceGraph(): Map<string, SourceFile> {
  if (cached) return cached;
  const paths: string[] = [];
  walk(repoRoot, paths);
  const files = new Set(paths);
  cached = new Map(paths.map((p) => [p, parse(p, files)]));
  return cached;
}
