// Self-backup benchmark (issue 17): Halley's self-backup of a database with N jobs against `pg_dump -Fc` of
// the same database followed by compressing and encrypting that dump with the same zip library (AES-256,
// same deflate level), in the same run on the same PostgreSQL, plus the self-backup with ExcludeJobsDB.
//
//   npx tsx bench/self-backup.ts                 # 1,000,000 jobs (seeding takes a few minutes on 2 cores)
//   npx tsx bench/self-backup.ts --jobs 100000   # quicker
//
// Targets (the issue's): self-backup ≤ 1.5× the time of pg_dump + zip; RSS growth of the writing process
// < 256 MiB; with ExcludeJobsDB at least 5× faster than the full self-backup. It prints a table and writes
// bench/results/self-backup.json; like bench/run.ts it is a report: exit 0 also when a target is missed.
// Needs Debian's postgresql (pg_dump of the same major version as the server it starts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { ZipWriter } from '@zip.js/zip.js';
import { applyMigrations } from '../lib/db/migrate';
import { HALLEY_VERSION } from '../lib/meta/version';
import { writeArchive } from '../lib/self-backup/write-archive';
import { configureZip, deflateLevel } from '../lib/self-backup/zip-codec';
import { findSystemPgBinDir, repoRoot, startSystemPostgres } from '../scripts/lib/services.mjs';
import { seedJobs } from './jobs-seed';
import { runBench, saveBenchReport } from './bench-report';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1]!;
};
if (args.includes('--help')) {
  console.log('npx tsx bench/self-backup.ts [--jobs N (1000000)] [--compression 1-5 (4)]');
  process.exit(0);
}
const JOBS = Number(arg('jobs', '1000000'));
const COMPRESSION = Number(arg('compression', '4'));
const PASSWORD = 'bench self-backup pass phrase';
const MiB = 1024 * 1024;

type Result = { what: string; seconds: number; bytes: number; rssGrowthMiB: number };

/** Runs `fn` while sampling this process's RSS; answers the time and the peak RSS above the start. */
async function measure(what: string, fn: () => Promise<number>): Promise<Result> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  try {
    const bytes = await fn();
    return { what, seconds: (performance.now() - t0) / 1000, bytes, rssGrowthMiB: (Math.max(peak, process.memoryUsage().rss) - rss0) / MiB };
  } finally {
    clearInterval(sampler);
  }
}

function run(cmd: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} exited ${code}: ${err.slice(0, 500)}`))));
  });
}

async function selfBackup(databaseUrl: string, dataDir: string, file: string, excludeJobs: boolean): Promise<number> {
  await writeArchive(fs.createWriteStream(file), {
    databaseUrl,
    secretKeyHex: randomBytes(32).toString('hex'),
    dataDir,
    halleyVersion: HALLEY_VERSION,
    password: PASSWORD,
    compression: COMPRESSION,
    excludeJobs,
    includeLogs: false,
    restrictToOrgId: '',
  });
  return fs.statSync(file).size;
}

/** Compresses and encrypts one file into a zip, as the self-backup does its entries. */
async function zipFile(source: string, target: string): Promise<number> {
  configureZip();
  const zip = new ZipWriter(Writable.toWeb(fs.createWriteStream(target)), { password: PASSWORD, encryptionStrength: 3, level: deflateLevel(COMPRESSION) });
  await zip.add(path.basename(source), Readable.toWeb(fs.createReadStream(source)) as ReadableStream<Uint8Array>, { zip64: true });
  await zip.close();
  return fs.statSync(target).size;
}

async function main(): Promise<void> {
  const binDir = findSystemPgBinDir();
  if (!binDir) throw new Error('Debian PostgreSQL binaries not found (apt-get install postgresql)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-bench-sb-'));
  fs.chmodSync(root, 0o755);
  const out = (name: string) => path.join(root, name);
  const dataDir = out('data');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, 'halley.json'), '{}');
  const pgsql = await startSystemPostgres({ dataDir: out('pg'), database: 'halley_bench' });
  try {
    console.log(`PostgreSQL ${binDir}; migrating and seeding ${JOBS.toLocaleString('en')} jobs ...`);
    await applyMigrations(pgsql.url, { log: () => {} });
    const seeded = await seedJobs(pgsql.url, JOBS, (m) => console.log(`  ${m}`));
    console.log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s (Job table ${seeded.tableMB} MB + indexes ${seeded.indexMB} MB)`);

    const results: Result[] = [];
    results.push(await measure('self-backup (everything)', () => selfBackup(pgsql.url, dataDir, out('full.zip'), false)));
    const dump = await measure('pg_dump -Fc', async () => {
      await run(path.join(binDir, 'pg_dump'), ['-Fc', '-f', out('dump.pgc'), pgsql.url]);
      return fs.statSync(out('dump.pgc')).size;
    });
    const zipped = await measure('  + zip (AES-256, same level)', () => zipFile(out('dump.pgc'), out('dump.zip')));
    results.push(dump, zipped, { what: 'pg_dump -Fc + zip', seconds: dump.seconds + zipped.seconds, bytes: zipped.bytes, rssGrowthMiB: Math.max(dump.rssGrowthMiB, zipped.rssGrowthMiB) });
    results.push(await measure('self-backup (ExcludeJobsDB)', () => selfBackup(pgsql.url, dataDir, out('nojobs.zip'), true)));

    const full = results[0]!;
    const baseline = results[3]!;
    const noJobs = results[4]!;
    console.log('');
    console.log(`${'run'.padEnd(32)} ${'seconds'.padStart(9)} ${'MiB'.padStart(9)} ${'RSS +MiB'.padStart(9)}`);
    for (const r of results) console.log(`${r.what.padEnd(32)} ${r.seconds.toFixed(2).padStart(9)} ${(r.bytes / MiB).toFixed(1).padStart(9)} ${r.rssGrowthMiB.toFixed(0).padStart(9)}`);
    const ratio = full.seconds / baseline.seconds;
    const speedup = full.seconds / noJobs.seconds;
    const targets = [
      { target: 'self-backup ≤ 1.5× pg_dump -Fc + zip', value: `${ratio.toFixed(2)}×`, met: ratio <= 1.5 },
      { target: 'RSS growth < 256 MiB', value: `${full.rssGrowthMiB.toFixed(0)} MiB`, met: full.rssGrowthMiB < 256 },
      { target: 'ExcludeJobsDB ≥ 5× faster', value: `${speedup.toFixed(1)}×`, met: speedup >= 5 },
    ];
    saveBenchReport('self-backup.json', targets, { jobs: JOBS, compression: COMPRESSION, seeded, results });
  } finally {
    await pgsql.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runBench(main);
