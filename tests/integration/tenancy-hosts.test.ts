// One host, one tenant: organization/set compares Hosts in their normalised form (lower case, no port, no
// trailing dot, IPv6 without brackets), and a device dialling a host with a port lands in the lobby of the
// tenant that lists that host, with or without a port (lib/tenancy/host.ts).
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentDevice } from '../../agent/device';
import { makeTenant, rootClient, uniq } from '../helpers/fixtures';
import { startAgent, waitFor } from '../helpers/live';
import { halleyUrl } from '../helpers/server';

const agents: AgentDevice[] = [];
afterAll(() => {
  for (const a of agents) a.stop();
});

describe('organization hosts', () => {
  it('refuses a host another organization has with another port, case or trailing dot, naming it to a top-level admin', async () => {
    const root = await rootClient();
    const host = `${uniq('hx')}.example`;
    const x = await makeTenant('hosts-x');
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: x.id, Organization: { Name: x.name, Hosts: [`${host}:8060`] } });
    for (const same of [host.toUpperCase(), `${host}.`, `${host}:443`, `https://${host}:8443/`]) {
      const refused = await root.fails('/api/v1/admin/organization/set', { Organization: { Name: uniq('hosts-y'), Hosts: ['free.example.invalid', same] } });
      expect(refused.Status).toBe(400);
      expect(refused.Message).toBe(`Host '${same.toLowerCase()}' is already used by organization '${x.name}' (${x.id})`);
    }
    // The same organization may list the host again in another form; an IPv6 host with brackets clashes with the bare one.
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: x.id, Organization: { Name: x.name, Hosts: [`${host}:8060`, host, '[fd00::1234]:8060'] } });
    expect((await root.fails('/api/v1/admin/organization/set', { Organization: { Name: uniq('hosts-z'), Hosts: ['FD00::1234'] } })).Status).toBe(400);
    const orgs = await root.ok('/api/v1/admin/organization/list');
    expect(Object.values(orgs as Record<string, { Name: string }>).filter((o) => o.Name.startsWith('hosts-y') || o.Name.startsWith('hosts-z'))).toEqual([]);
    // A tenant admin cannot reach organization/set at all (top-level only), so it never learns who owns a host.
    expect((await x.admin.fails('/api/v1/admin/organization/set', { Organization: { Name: uniq('hosts-w'), Hosts: [host] } })).Status).toBe(403);
    await root.ok('/api/v1/admin/organization/delete', { OrganizationID: x.id });
  });

  it("puts a device dialling host:port into the lobby of the tenant listing that host with another port", async () => {
    const root = await rootClient();
    const t = await makeTenant('hosts-lobby');
    // The device dials localhost:<port>; the tenant lists "LOCALHOST.:1" (other port, case and trailing dot).
    await root.ok('/api/v1/admin/organization/set', { OrganizationID: t.id, Organization: { Name: t.name, Hosts: ['LOCALHOST.:1'] } });
    try {
      const device = startAgent(halleyUrl().replace('127.0.0.1', 'localhost'), { username: '' }, { lobby: true, name: 'hosts-pc' });
      agents.push(device);
      const lobby = await waitFor('the lobby device in the tenant', async () =>
        Object.values((await t.admin.ok('/api/v1/admin/installation/list-active')) as Record<string, any>).find((l) => l.DeviceID === device.state.deviceId),
      );
      expect(lobby).toMatchObject({ FriendlyName: 'hosts-pc', OrganizationID: t.id });
      expect(lobby.Host).toMatch(/^localhost:\d+$/);
      device.stop();
    } finally {
      // Leave no tenant owning localhost behind: other lobby tests expect the top level there.
      await root.ok('/api/v1/admin/organization/delete', { OrganizationID: t.id });
    }
  });
});
