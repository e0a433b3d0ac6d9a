#!/usr/bin/env node
// `npm test [-- <vitest args>]`: every test tier, on a clean machine with nothing running.
//   dependencies -> Prisma client -> system packages -> PostgreSQL + Redis on free ports in .test-services/
//   -> migrations -> next build (when stale and integration tests are selected) -> vitest -> stop services.
// The last line printed is `N passed, N failed[, N skipped]`, computed from vitest's JSON report, after one
// `FAILED file > test: message` line per failure; the exit code is vitest's (non-zero as well when no test ran at all).
//   npm test -- tests/unit          only the unit tests (skips next build)
//   npm test -- -t "adds a user"    vitest's own filters
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  repoRoot,
  createStepLogger,
  npmInstallNeeded,
  npmInstall,
  ensurePrismaClient,
  ensureAptPackages,
  startSystemPostgres,
  startRedis,
  stopLeftoverServices,
  stopGroupsFromPidDir,
  removeServicesDir,
  applyMigrations,
  nextBuildStaleReason,
  nextBuild,
  randomHex,
} from './lib/services.mjs';

// System packages the test tiers need (Debian names): servers for integration tests, Chromium for the browser tests,
// OpenLDAP's slapd for the LDAP sign-in tests (tests/helpers/slapd.ts), a small CJK font so Chromium's screenshots
// of the Chinese and Japanese console show glyphs (tests/integration/i18n-rtl.test.ts), rclone as a real WebDAV server
// for the agent's WebDAV vaults (tests/helpers/webdav-server.ts).
const APT_PACKAGES = ['redis-server', 'postgresql', 'chromium', 'slapd', 'p7zip-full', 'fonts-wqy-microhei', 'rclone', 'samba'];

const root = repoRoot;
const args = process.argv.slice(2);
const servicesDir = path.join(root, '.test-services');
const pidsDir = path.join(servicesDir, 'pids');
const reportFile = path.join(servicesDir, 'report.json');
const soloReportFile = path.join(servicesDir, 'report-solo.json');
const soloOutputFile = path.join(servicesDir, 'vitest-solo.log');
const log = createStepLogger('test');

/** Services to stop, in start order. */
const services = [];
/** The child currently in the foreground (npm install, migrations, next build, vitest). */
let foreground = null;
/** The second vitest process (the self-contained integration files), when it runs beside the first. */
let beside = null;
let interrupted = null;

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = sig;
    log.info(`${sig} received: stopping`);
    // Ctrl-C reaches the foreground child by itself (same process group); a signal sent to us alone must
    // be passed on. Give it a moment to stop on its own first.
    for (const child of [foreground, beside]) {
      if (!child) continue;
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      }, 3_000).unref();
    }
  });
}

const track = (child) => (foreground = child);

/** Whether the selected tests include the integration tier (which needs the production build). */
function integrationSelected(argv) {
  if (argv.some((a) => a.includes('integration'))) return true;
  const onlyUnit = argv.some((a) => /(^|[/=])unit\b/.test(a));
  return !onlyUnit;
}

/**
 * One vitest process. `project`: vitest --project filters (none: every project); `report`: its JSON report file;
 * `output`: a file for its console output instead of ours (the process that runs beside the main one).
 */
function runVitest(env, { projects = [], report = reportFile, output = null } = {}) {
  const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
  const argv = [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${path.relative(root, report)}`,
    ...projects.flatMap((p) => ['--project', p]),
    // Each process runs part of the projects: a file filter may match nothing in one of them.
    ...(projects.length ? ['--passWithNoTests'] : []),
    ...args,
  ];
  log.info(`vitest ${argv.join(' ')}${output ? ` (output: ${path.relative(root, output)})` : ''}`);
  return new Promise((resolve, reject) => {
    // Not detached: Ctrl-C reaches vitest directly, which then runs its teardown.
    // One descriptor for both streams: two would each keep their own offset and overwrite each other's lines.
    const fd = output ? fs.openSync(output, 'w') : null;
    const child = spawn(vitest, argv, { cwd: root, env, stdio: fd === null ? 'inherit' : ['ignore', fd, fd] });
    if (fd !== null) child.once('close', () => fs.closeSync(fd));
    if (output) beside = child;
    else foreground = child;
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 1)));
  });
}

/**
 * Whether the self-contained integration files (vitest project `integration-solo`: each starts its own Halley on a
 * scratch database) run in a second vitest process beside the rest. Vitest runs every file of a run one after
 * another on this 2-core machine (and files of different projects never overlap), while those files spend much of
 * their time starting servers and waiting on them; beside the shared-server files they shorten the whole run.
 * Not when the caller picks projects or asks for unit tests only.
 */
function soloBeside(argv) {
  return integrationSelected(argv) && !argv.some((a) => a === '--project' || a.startsWith('--project='));
}

/** A failure message on one line, without colour codes: the message and its first frame outside node_modules. */
function oneLine(text) {
  const lines = String(text).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const message = lines.filter((l) => !/^\s+at /.test(l));
  const frame = lines.find((l) => /^\s+at /.test(l) && !l.includes('node_modules'));
  return [...message, frame ?? ''].join(' ').replace(/\s+/g, ' ').trim();
}

/** Counts from vitest's JSON report (jest-compatible shape). */
function summarize(files) {
  const report = { testResults: [] };
  let readAny = false;
  for (const file of files) {
    try {
      report.testResults.push(...(JSON.parse(fs.readFileSync(file, 'utf8')).testResults ?? []));
      readAny = true;
    } catch {
      // not written: that process failed before its report (its output says why)
    }
  }
  if (!readAny) return null;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const brokenFiles = [];
  const failures = [];
  for (const file of report.testResults ?? []) {
    let failedHere = 0;
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') passed += 1;
      else if (t.status === 'failed') {
        failed += 1;
        failedHere += 1;
        failures.push({ file: path.relative(root, file.name ?? '?'), test: t.fullName ?? t.title, why: t.failureMessages?.[0] });
      } else skipped += 1; // skipped, pending, todo, disabled
    }
    // A file that failed outside any test (import error, failing beforeAll) counts as one failure.
    if (file.status === 'failed' && failedHere === 0) {
      failed += 1;
      brokenFiles.push(path.relative(root, file.name ?? '?'));
    }
  }
  return { passed, failed, skipped, brokenFiles, failures };
}

async function stopServices() {
  // Web/workers processes of the integration global setup, if vitest could not stop them itself.
  await stopGroupsFromPidDir(pidsDir, { log: log.info });
  for (const svc of services.splice(0).reverse()) {
    try {
      await log.step(`stopping ${svc.name}`, svc.stop);
    } catch (err) {
      log.error(`stopping ${svc.name}: ${err.message}`);
    }
  }
}

function checkInterrupted() {
  if (interrupted) throw Object.assign(new Error(`interrupted (${interrupted})`), { interrupted: true });
}

async function main() {
  if (npmInstallNeeded(root)) {
    const lockBefore = fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8');
    await log.step('npm install', () => npmInstall(root, { onSpawn: track }));
    checkInterrupted();
    // A fresh clone must stay clean after its first install (README: npm start and npm test leave the git
    // tree clean): the committed lockfile is exactly what npm writes on this kind of machine.
    if (fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8') !== lockBefore) {
      throw new Error('npm install rewrote package-lock.json: commit the lockfile npm writes here (git diff package-lock.json)');
    }
  }
  await log.step('Prisma client', async () => {
    if (!(await ensurePrismaClient(root))) log.info('    (up to date)');
  });
  await log.step(`system packages (${APT_PACKAGES.join(', ')})`, () => ensureAptPackages(APT_PACKAGES, { log: log.info }));
  checkInterrupted();

  await log.step('cleaning .test-services', async () => {
    await stopLeftoverServices(servicesDir, { log: log.info });
    removeServicesDir(servicesDir);
    fs.mkdirSync(pidsDir, { recursive: true });
  });

  const pg = await log.step('starting PostgreSQL (system, .test-services/pg)', () =>
    startSystemPostgres({ dataDir: path.join(servicesDir, 'pg') }),
  );
  services.push({ name: 'postgres', stop: pg.stop });
  log.info(`    PostgreSQL on 127.0.0.1:${pg.port}, database halley_test`);
  checkInterrupted();

  const redis = await log.step('starting redis-server (.test-services/redis)', () =>
    startRedis({ dir: path.join(servicesDir, 'redis') }),
  );
  services.push({ name: 'redis', stop: redis.stop });
  log.info(`    Redis on 127.0.0.1:${redis.port}`);
  checkInterrupted();

  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    // Superuser URL of the throwaway cluster, for the rare test that needs more than CREATEDB.
    HALLEY_TEST_PG_ADMIN_URL: pg.adminUrl,
    REDIS_URL: redis.url,
    HALLEY_SECRET_KEY: randomHex(32),
    HALLEY_TEST_SERVICES_DIR: servicesDir,
    HALLEY_TEST_PIDS_DIR: pidsDir,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  delete env.NODE_ENV; // vitest sets NODE_ENV=test; the global setup starts the server with production

  await log.step('applying migrations', () => applyMigrations(pg.url, { root, env, onSpawn: track }));
  checkInterrupted();

  if (integrationSelected(args)) {
    const staleReason = nextBuildStaleReason(root);
    if (staleReason) {
      await log.step(`next build (${staleReason})`, () => nextBuild({ root, env, onSpawn: track }));
      checkInterrupted();
    } else {
      log.info('next build: up to date');
    }
  } else {
    log.info('next build: skipped (only unit tests selected)');
  }

  fs.rmSync(reportFile, { force: true });
  fs.rmSync(soloReportFile, { force: true });
  const started = Date.now();
  if (!soloBeside(args)) {
    const code = await runVitest(env);
    foreground = null;
    log.info(`vitest exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return code;
  }
  const solo = runVitest(env, { projects: ['integration-solo'], report: soloReportFile, output: soloOutputFile }).then((code) => {
    log.info(`integration-solo (beside) exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return code;
  });
  const code = await runVitest(env, { projects: ['unit', 'integration'] });
  foreground = null;
  log.info(`vitest exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const soloCode = await solo;
  beside = null;
  // Its whole output, after ours: its failures read like the main run's.
  process.stdout.write(`\n──── integration-solo, run beside the above (${path.relative(root, soloOutputFile)}) ────\n`);
  process.stdout.write(fs.readFileSync(soloOutputFile, 'utf8'));
  return code || soloCode;
}

let exitCode = 1;
let finalLine = null;
let failureLines = [];
try {
  const vitestCode = await main();
  const summary = summarize([reportFile, soloReportFile]);
  if (interrupted) {
    finalLine = `interrupted (${interrupted})`;
    exitCode = 130;
  } else if (!summary || summary.passed + summary.failed === 0) {
    finalLine =
      `No test ran (vitest exit code ${vitestCode}${summary ? '' : ', no JSON report written'}): ` +
      'see the errors above (a failing global setup stops the whole run).';
    exitCode = vitestCode || 1;
  } else {
    for (const f of summary.brokenFiles) log.error(`${f}: failed outside any test (see above)`);
    if (summary.failed > 0) {
      const logs = fs.readdirSync(servicesDir).filter((f) => f.endsWith('.log'));
      if (logs.length) log.info(`server logs: ${logs.map((f) => `.test-services/${f}`).join(', ')}`);
      // Repeated just above the last line, so that a tail of the output names what failed.
      failureLines = [
        ...summary.failures.map((f) => `FAILED ${f.file} > ${f.test}: ${oneLine(f.why ?? 'see above').slice(0, 400)}`),
        ...summary.brokenFiles.map((f) => `FAILED ${f}: failed outside any test (see above)`),
      ];
    }
    finalLine =
      `${summary.passed} passed, ${summary.failed} failed` + (summary.skipped ? `, ${summary.skipped} skipped` : '');
    exitCode = vitestCode !== 0 ? vitestCode : summary.failed > 0 ? 1 : 0;
  }
} catch (err) {
  if (err?.interrupted || interrupted) {
    finalLine = `interrupted (${interrupted})`;
    exitCode = 130;
  } else {
    log.error(err?.message ?? String(err));
    finalLine = 'npm test failed before the tests could run (see the error above)';
    exitCode = 1;
  }
} finally {
  await stopServices();
}
for (const line of failureLines) process.stdout.write(line + '\n');
process.stdout.write(finalLine + '\n');
process.exit(exitCode);
