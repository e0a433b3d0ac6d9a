// Redis Sentinel: with HALLEY_REDIS_SENTINELS (and HALLEY_REDIS_SENTINEL_NAME), every Redis connection of a
// node (BullMQ queues and workers, the live relay, the readiness probe) asks the sentinels for the master
// instead of dialling REDIS_URL's host; REDIS_URL then only gives the password, db and TLS.
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, randomHex, startProcess, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { makeTenant, makeUser } from '../helpers/fixtures';
import { startHalley, type HalleyProcess } from '../helpers/halley-process';
import { servicesDir } from '../helpers/isolated-services';
import WebSocket from 'ws';
import { DEVICE_CONNECT_PATH, PROTOCOL_VERSION } from '../../lib/live/protocol';
import { CometClient } from '../helpers/comet-client';
import { liveConnectionId } from '../helpers/live';
import { waitFor } from '../helpers/wait';

let master: RunningService;
let sentinel: ReturnType<typeof startProcess>;
let sentinelPort = 0;
let node: HalleyProcess;
let workersPort = 0;

beforeAll(async () => {
  const dir = path.join(servicesDir, `sentinel-${randomHex(4)}`);
  master = await startRedis({ dir: path.join(dir, 'master'), port: await freePort() });
  sentinelPort = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'sentinel.conf');
  // Sentinel rewrites its configuration file, so it gets one of its own.
  fs.writeFileSync(conf, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor halleymaster 127.0.0.1 ${master.port} 1\n`);
  sentinel = startProcess('redis-server', [conf, '--sentinel'], { name: 'sentinel', echo: false, logFile: path.join(dir, 'sentinel.log') });
  await waitFor('the sentinel to know the master', async () => {
    const s = new Redis({ port: sentinelPort, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    s.on('error', () => undefined); // not up yet: tried again
    try {
      await s.connect();
      const addr = (await s.call('SENTINEL', 'get-master-addr-by-name', 'halleymaster')) as string[] | null;
      return addr?.[1] === String(master.port);
    } catch {
      return false;
    } finally {
      s.disconnect();
    }
  });
  workersPort = await freePort();
  node = await startHalley({
    name: 'sentinel-node',
    workers: true,
    logDir: servicesDir,
    env: {
      // The host here is never dialled: the sentinels name the master.
      REDIS_URL: 'redis://unused.invalid:6379/0',
      HALLEY_REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      HALLEY_REDIS_SENTINEL_NAME: 'halleymaster',
      HALLEY_WORKERS_METRICS_PORT: String(workersPort),
    },
  });
}, 180_000);

afterAll(async () => {
  await node?.stop();
  await sentinel?.stop();
  await master?.stop();
});

describe('Redis through Sentinel', () => {
  it('web and workers are ready, BullMQ schedules on the master, and the live relay works', async () => {
    for (const url of [`${node.url}/readyz`, `http://127.0.0.1:${workersPort}/readyz`]) {
      const r = await fetch(url);
      expect(r.status, await r.clone().text()).toBe(200);
      expect((await r.json()).checks.redis.ok).toBe(true);
    }
    const direct = new Redis(master.url);
    try {
      await waitFor('the workers job schedulers on the master', async () => (await direct.keys('bull:halley-maintenance:*')).length > 0);
      const t = await makeTenant('sentinel');
      const user = await makeUser(t.admin);
      const deviceId = `sentinel-${user.username}`;
      const ws = new WebSocket(node.url.replace(/^http/, 'ws') + DEVICE_CONNECT_PATH, { perMessageDeflate: false });
      try {
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, auth: { kind: 'password', username: user.username, password: user.password }, device: { deviceId, friendlyName: 'sentinel', version: '1', platform: 'linux' } }));
        await liveConnectionId(new CometClient(node.url, t.admin.creds), deviceId);
        expect(await direct.hlen('halley:live:conn')).toBeGreaterThan(0);
      } finally {
        ws.close();
      }
    } finally {
      direct.disconnect();
    }
  });
});
