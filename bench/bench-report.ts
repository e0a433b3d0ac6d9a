// What every benchmark script ends with: its targets printed as met / MISSED and its report written to
// bench/results/<file> (read by bench/all.ts), and a main that exits 0 when it ran (a missed target is a
// report, not an error) and 1 when it failed.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scripts/lib/services.mjs';

type BenchTarget = { target: string; value: string; met: boolean };

export function saveBenchReport(file: string, targets: BenchTarget[], report: Record<string, unknown>): void {
  console.log('');
  for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.value}`);
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, file), JSON.stringify({ ...report, targets, at: new Date().toISOString() }, null, 2));
}

export function runBench(main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
