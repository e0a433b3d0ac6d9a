// No second pool connection inside a transaction: code in a `$transaction(async (tx) => { ... })` callback reads and
// writes through `tx` only. A `db()` call (or a server-setting read without `client: tx`) there takes another
// connection while the transaction holds one; when as many such transactions run at once as the pool has connections,
// each waits for a connection the others hold, until the transactions time out (20 parallel console sign-ins did
// exactly that). This checks the callbacks' own text; helpers they call take `tx` (or a `client`) for the same reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DIRS = ['lib', 'app', 'workers'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated' && entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The body text of every `$transaction(async (x) => { ... })` callback, with its file, line and parameter name. */
function transactionBodies(file: string): Array<{ where: string; param: string; body: string }> {
  const text = fs.readFileSync(file, 'utf8');
  const found: Array<{ where: string; param: string; body: string }> = [];
  const start = /\$transaction\(\s*async\s*\(\s*(\w+)[^)]*\)\s*=>\s*\{/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ where: `${path.relative(ROOT, file)}:${line}`, param: m[1], body: text.slice(m.index + m[0].length, i) });
  }
  return found;
}

describe('transactions', () => {
  it('use their own connection only (no db(), no server-setting read without client)', () => {
    const problems: string[] = [];
    let seen = 0;
    for (const dir of DIRS) {
      for (const file of sourceFiles(path.join(ROOT, dir))) {
        for (const t of transactionBodies(file)) {
          seen++;
          if (/\bdb\(\)/.test(t.body)) problems.push(`${t.where}: db() inside the transaction (use ${t.param})`);
          for (const call of t.body.match(/\b(readServerSetting|readPasswordPolicy|checkNewPassword)\([^)]*\)/g) ?? []) {
            if (!/client/.test(call)) problems.push(`${t.where}: ${call.split('(')[0]} without client: ${t.param}`);
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(50); // the scan found the transactions
    expect(problems).toEqual([]);
  });
});
