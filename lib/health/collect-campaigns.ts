// Campaign progress on /metrics: campaigns by state and the current campaign's devices by update status,
// read at scrape time from PostgreSQL (cluster-wide: every web node reports the same value; take max()).
// One grouped query over the (campaignId, status) index per scrape, shared by the three gauges.
// tenancy-file: system — server-wide operational counts (no actor, no tenant data leaves the process)
import { UpdateStatus } from '../comet/constants';
import { db } from '../db/client';
import { readGaugeWith } from '../metrics/series';

const CAMPAIGN_STATES = ['running', 'paused', 'finished', 'aborted'] as const;
const STATUS_LABELS = new Map<number, string>(Object.entries(UpdateStatus).map(([name, code]) => [code, name.replace(/^UPDATESTATUS_/, '').toLowerCase()]));
const DONE = new Set<number>([UpdateStatus.UPDATESTATUS_UPDATE_CONFIRMED, UpdateStatus.UPDATESTATUS_UPDATE_FAILED]);

type Snapshot = { states: Map<string, number>; devices: Map<number, number> };

async function readSnapshot(): Promise<Snapshot> {
  const [states, devices] = await Promise.all([
    db().$queryRaw<Array<{ state: string; n: number }>>`SELECT state, count(*)::int AS n FROM "Campaign" GROUP BY state`,
    db().$queryRaw<Array<{ status: number; n: number }>>`
      SELECT d.status, count(*)::int AS n FROM "CampaignDevice" d JOIN "Campaign" c ON c.id = d."campaignId"
      WHERE c.current GROUP BY d.status`,
  ]);
  return { states: new Map(states.map((r) => [r.state, r.n])), devices: new Map(devices.map((r) => [r.status, r.n])) };
}

export function collectCampaignMetrics(): void {
  // The three gauges are collected one after the other in one scrape: read once, reuse for a second.
  let cached: { at: number; value: Promise<Snapshot> } | undefined;
  const snapshot = () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), value: readSnapshot() };
    return cached.value;
  };
  readGaugeWith('campaigns', async () => {
    const s = await snapshot();
    return CAMPAIGN_STATES.map((state) => ({ labels: { state }, value: s.states.get(state) ?? 0 }));
  });
  readGaugeWith('campaignDevices', async () => {
    const s = await snapshot();
    return [...STATUS_LABELS].map(([code, status]) => ({ labels: { status }, value: s.devices.get(code) ?? 0 }));
  });
  readGaugeWith('campaignDone', async () => {
    const s = await snapshot();
    let eligible = 0;
    let done = 0;
    for (const [code, n] of s.devices) {
      if (code === UpdateStatus.UPDATESTATUS_INELIGIBLE) continue;
      eligible += n;
      if (DONE.has(code)) done += n;
    }
    return eligible ? done / eligible : 0;
  });
}
