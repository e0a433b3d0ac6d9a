// npm start's supervisor (scripts/lib/services.mjs superviseProcess): a crashed role is started again with
// backoff and the restart is logged; a crash loop is given up on instead of restarting forever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess, superviseProcess } from '../../scripts/lib/services.mjs';
import { waitFor } from '../helpers/wait';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halley-supervise-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


describe('superviseProcess', () => {
  it('restarts a killed process with backoff and logs it', async () => {
    const lines: string[] = [];
    const script = path.join(dir, 'long.cjs');
    fs.writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    let starts = 0;
    const role = superviseProcess(() => (starts++, startProcess(process.execPath, [script], { name: 'long', echo: false })), {
      name: 'long',
      log: (l: string) => lines.push(l),
      backoffMs: [50, 100],
      onGiveUp: (r: string) => lines.push(`gave up: ${r}`),
    });
    try {
      const first = role.current.pid!;
      process.kill(first, 'SIGKILL');
      await waitFor('a restart', () => starts === 2 && role.current.pid !== first && role.current.exitInfo === null);
      expect(lines.some((l) => /long exited unexpectedly \(signal SIGKILL\); restarting in 0\.05 s/.test(l))).toBe(true);
      await waitFor('the restart line', () => lines.some((l) => l.startsWith('long restarted (pid ')));
      expect(role.recentCrashes).toBe(1);
    } finally {
      await role.stop({ timeoutMs: 2_000 });
    }
    // A stopped role is not started again.
    expect(starts).toBe(2);
  });

  it('gives up on a crash loop instead of restarting forever', async () => {
    const script = path.join(dir, 'crash.cjs');
    fs.writeFileSync(script, 'process.exit(3);\n');
    let starts = 0;
    let reason = '';
    const role = superviseProcess(() => (starts++, startProcess(process.execPath, [script], { name: 'crash', echo: false })), {
      name: 'crash',
      log: () => {},
      backoffMs: [10],
      maxCrashes: 4,
      windowMs: 60_000,
      onGiveUp: (r: string) => (reason = r),
    });
    await waitFor('giving up', () => reason);
    expect(starts).toBe(4);
    expect(reason).toMatch(/^crash exited 4 times within 60 s \(last: exit code 3\); giving up$/);
    await role.stop({ timeoutMs: 1_000 });
  });
});
