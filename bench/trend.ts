// `npx tsx bench/trend.ts [--last N]`: the history of every ratio in bench/history.jsonl (written by
// `npm run bench:all`), oldest first, and a flag on each ratio whose latest value is more than 10 % worse than
// the best ever recorded (lower is better for times, CPU and memory; higher for throughputs, see ratios.ts).
// Exit code 0 also when something is flagged (a report, not a gate); 1 when the history cannot be read.
import fs from 'node:fs';
import path from 'node:path';
import { higherIsBetter } from './ratios';

const FILE = path.resolve(import.meta.dirname, 'history.jsonl');
const WORSE_BY = 0.1;

type Line = {
  commit: string;
  date: string;
  machine?: { loadavg?: number[] };
  failed?: string[];
  ratios: Record<string, number>;
  /** Issue 22's targets checked in the run (bench/targets.ts; lines since session 21). */
  targets?: Record<string, { met: boolean }>;
  targetsMet?: boolean;
};

/** "issue 22: every target met", or which were missed, for a line that checked them. */
function targetsNote(l: Line): string {
  if (!l.targets || !Object.keys(l.targets).length) return '';
  if (l.targetsMet) return '  issue 22: every target met';
  const missed = Object.entries(l.targets).filter(([, t]) => !t.met).map(([name]) => name);
  return `  issue 22: ${Object.keys(l.targets).length} checked${missed.length ? `, missed: ${missed.join('; ')}` : ', all met (not every target at its size)'}`;
}

function main(): number {
  const lastAt = process.argv.indexOf('--last');
  const last = lastAt >= 0 ? Number(process.argv[lastAt + 1]) : 8;
  if (!fs.existsSync(FILE)) {
    console.error(`${FILE}: no history yet (npm run bench:all writes it)`);
    return 1;
  }
  const lines: Line[] = fs
    .readFileSync(FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  if (!lines.length) return 1;
  const names = [...new Set(lines.flatMap((l) => Object.keys(l.ratios)))].sort();
  const shown = lines.slice(-last);
  console.log(`${lines.length} runs in bench/history.jsonl; the last ${shown.length}:`);
  for (const l of shown) console.log(`  ${l.date.slice(0, 16)}  ${l.commit}  load ${l.machine?.loadavg?.[0] ?? '-'}${l.failed?.length ? `  failed: ${l.failed.join(',')}` : ''}${targetsNote(l)}`);
  console.log('');
  const width = Math.max(...names.map((n) => n.length));
  let flagged = 0;
  for (const name of names) {
    const series = lines.map((l) => l.ratios[name]).filter((v): v is number => typeof v === 'number');
    const up = higherIsBetter(name);
    const best = up ? Math.max(...series) : Math.min(...series);
    const latest = lines[lines.length - 1].ratios[name];
    const worse = latest !== undefined && (up ? latest < best * (1 - WORSE_BY) : latest > best * (1 + WORSE_BY));
    if (worse) flagged++;
    const values = shown.map((l) => (l.ratios[name] === undefined ? '   -  ' : l.ratios[name].toFixed(2).padStart(6))).join(' ');
    console.log(`${name.padEnd(width)}  ${values}   best ${best.toFixed(2)} (${up ? 'higher' : 'lower'} is better)${worse ? `   WORSE by ${Math.round(Math.abs(latest! / best - 1) * 100)} %` : ''}`);
  }
  console.log(flagged ? `\n${flagged} ratio(s) more than ${WORSE_BY * 100} % worse than their best` : `\nno ratio more than ${WORSE_BY * 100} % worse than its best`);
  return 0;
}

process.exit(main());
