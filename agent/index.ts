// `npm run agent -- --url http://localhost:8060 --username alice --password …` — Halley's reference
// backup agent. Options:
//   --totp CODE         the account's current TOTP code, when it signs in with one (first sign-in only)
//   --state-dir DIR     where the device keeps its ID and token (default ./data/agent-<username>)
//   --name NAME         the device's friendly name (default: the host name)
//   --install-token T   sign in once with an install token (admin/create-install-token), unattended
//   --lobby             start unregistered, in the registration lobby (an admin registers it)
//   --simulate N        run N simulated devices instead (no disk I/O), for load tests and demos
//   --interval S        with --simulate: each device backs up about every S seconds (default 0: on command)
//   --client-version V  with --simulate: the devices start at version V (e.g. an older one, for an update campaign)
//   --update-failure-percent P  with --simulate: P % of the devices pretend a failed update (they come back at the old version)
//   --update-ms MS      with --simulate: a pretended update's download and swap take MS before the restart (default 300)
//   --identities FILE   with --simulate: devices registered earlier, a JSON array of { deviceId, username, token }; each
//                       signs in with its device token (a fleet over many accounts; --username and --password unused)
//   --news              print the news this device received from its organization (kept in the state dir) and exit
// The password can also come from HALLEY_AGENT_PASSWORD.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AgentDevice } from './device';
import { formatNews, readNews } from './news-store';
import { startSimulatedDevices } from './simulated';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:8060' },
    username: { type: 'string', default: '' },
    password: { type: 'string' },
    totp: { type: 'string' },
    'state-dir': { type: 'string' },
    name: { type: 'string' },
    lobby: { type: 'boolean', default: false },
    'install-token': { type: 'string' },
    simulate: { type: 'string' },
    interval: { type: 'string', default: '0' },
    'job-seconds': { type: 'string', default: '5' },
    'client-version': { type: 'string' },
    'update-failure-percent': { type: 'string', default: '0' },
    'update-ms': { type: 'string', default: '300' },
    identities: { type: 'string' },
    news: { type: 'boolean', default: false },
  },
});

const password = values.password ?? process.env.HALLEY_AGENT_PASSWORD ?? '';
const log = (msg: string) => process.stdout.write(`[agent ${new Date().toISOString()}] ${msg}\n`);

async function main(): Promise<void> {
  if (values.news) {
    process.stdout.write(formatNews(readNews(path.resolve(values['state-dir'] ?? path.join('data', `agent-${values.username || 'lobby'}`)))));
    return;
  }
  if (values.simulate) {
    const count = Number(values.simulate);
    if (!Number.isInteger(count) || count < 1) throw new Error('--simulate needs a positive number of devices');
    const identities = values.identities ? (JSON.parse(fs.readFileSync(values.identities, 'utf8')) as Array<{ deviceId: string; username: string; token: string }>) : undefined;
    if (!identities && (!values.username || !password)) throw new Error('--simulate needs --username and --password (or --identities)');
    const devices = await startSimulatedDevices({ url: values.url!, username: values.username, password, count, intervalSeconds: Number(values.interval), jobSeconds: Number(values['job-seconds']), clientVersion: values['client-version'], updateFailurePercent: Number(values['update-failure-percent']), updateMs: Number(values['update-ms']), identities, log });
    log(`${devices.length} simulated devices started for ${identities ? 'their accounts' : values.username}`);
    const stop = () => {
      for (const d of devices) d.stop();
      setTimeout(() => process.exit(0), 500);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  if (!values.lobby && !values['install-token'] && (!values.username || !password)) throw new Error('give --username and --password (or --lobby to wait for an administrator to register this device)');
  const stateDir = path.resolve(values['state-dir'] ?? path.join('data', `agent-${values.username || 'lobby'}`));
  const device = new AgentDevice({ url: values.url!, username: values.username!, password, totp: values.totp, stateDir, friendlyName: values.name, lobby: values.lobby, installToken: values['install-token'], log });
  device.client.opts.onWelcome = ((orig) => (w, c) => {
    log(`connected to ${device.client.url} as ${w.username}, device ${w.deviceId} (connection ${w.connectionId})`);
    orig?.(w, c);
  })(device.client.opts.onWelcome);
  const onStopped = device.client.opts.onStopped;
  device.client.opts.onStopped = (reason) => {
    onStopped?.(reason);
    log(`stopped: ${reason}`);
    // A self-update or an unconfirmed one ends the process with its own code (device.ts), for the launcher.
    if (reason === 'restarting into an update' || reason === 'update not confirmed') return;
    process.exit(reason.startsWith('refused') ? 1 : 0);
  };
  device.start();
  log(`device ${device.state.deviceId} (${device.state.friendlyName}); state in ${stateDir}`);
  const stop = () => device.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  log(`error: ${(err as Error).message}`);
  process.exit(1);
});
