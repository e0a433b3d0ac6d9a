// `npm start -- --demo`: a living console for a first look. Seeds (once) a demo tenant with an
// administrator and five users, each with a storage vault, a protected item and a daily backup rule,
// then runs 20 simulated devices (agent/simulated.ts) that connect, back up every few minutes and answer
// every dispatcher command. The credentials are kept in <data dir>/demo.json and printed.
// Run by scripts/start.mjs with the web process's environment; `--url` is the web server.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulatedDevices, type SimulatedDevice } from '../agent/simulated';
import { newAdmin } from '../lib/admins/manage-admins';
import { db } from '../lib/db/client';
import { setOrganization } from '../lib/tenants/organizations';
import { TOP_LEVEL_TENANT_ID, type AdminActor } from '../lib/tenancy/actor';
import { addUserFromProfile } from '../lib/users/add-user';

type DemoState = { tenantId: string; admin: { username: string; password: string }; users: Array<{ username: string; password: string }> };

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:8060' }, devices: { type: 'string', default: '4' } } });
const dataDir = path.resolve(process.env.HALLEY_DATA_DIR || 'data');
const stateFile = path.join(dataDir, 'demo.json');
const log = (msg: string) => process.stdout.write(`[demo] ${msg}\n`);

/** The seeding runs as the server itself (a top-level actor without a person behind it). */
const system: AdminActor = { kind: 'admin', adminId: 'demo-seed', username: 'demo-seed', tenantId: TOP_LEVEL_TENANT_ID, isTopLevel: true, permissions: {}, authMethod: 'None' };
const secret = () => randomBytes(9).toString('base64url');

function profile(username: string, password: string, i: number): Record<string, unknown> {
  const vault = `demo-vault-${i}`;
  const item = `demo-item-${i}`;
  return {
    Username: username,
    AccountName: ['Northwind Traders', 'Contoso Dental', 'Fabrikam Legal', 'Tailspin Toys', 'Adatum Clinic'][i % 5],
    PasswordFormat: 0,
    PasswordHash: password,
    AllowPasswordLogin: true,
    Destinations: { [vault]: { Description: 'Office NAS', DestinationType: 1002, LocalcopyPath: path.join(dataDir, 'demo-vaults', username) } },
    Sources: { [item]: { Engine: 'engine1/file', Description: 'Documents', EngineProps: { INCLUDE0: '/home/shared/documents' } } },
    BackupRules: { [`demo-rule-${i}`]: { Description: 'Nightly backup', Source: item, Destination: vault, Schedules: [{ FrequencyType: 8011, SecondsPast: 2 * 3600 }] } },
  };
}

async function seed(): Promise<DemoState> {
  if (fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as DemoState;
    if (await db().tenant.findUnique({ where: { id: state.tenantId }, select: { id: true } })) return state;
  }
  const suffix = randomBytes(2).toString('hex');
  const org = await setOrganization({ actor: system, organization: { Name: `Demo MSP ${suffix}`, Hosts: [] } });
  const admin = { username: `demo-admin-${suffix}`, password: secret() };
  await newAdmin({ actor: system, username: admin.username, password: admin.password, targetOrgId: org.ID });
  const users: DemoState['users'] = [];
  for (let i = 0; i < 5; i++) {
    const user = { username: `demo-user-${suffix}-${i + 1}`, password: secret() };
    await addUserFromProfile({ actor: system, username: user.username, profile: profile(user.username, user.password, i), targetOrganization: org.ID });
    users.push(user);
  }
  const state = { tenantId: org.ID, admin, users };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

async function main(): Promise<void> {
  const state = await seed();
  const perUser = Math.max(1, Number(values.devices));
  const devices: SimulatedDevice[] = [];
  for (const user of state.users) {
    devices.push(...(await startSimulatedDevices({ url: values.url!, username: user.username, password: user.password, count: perUser, prefix: `demo-${user.username}`, intervalSeconds: 180, jobSeconds: 20 })));
  }
  log(`demo tenant ready: sign in to ${values.url} as ${state.admin.username} / ${state.admin.password} (also in ${stateFile})`);
  log(`${devices.length} simulated devices are connected; each backs up every few minutes and answers the device actions`);
  const stop = () => {
    for (const d of devices) d.stop();
    void db()
      .$disconnect()
      .finally(() => setTimeout(() => process.exit(0), 300));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  log(`failed: ${(err as Error).message}`);
  process.exit(1);
});
