// The scrape-time gauges of a web node: its live sockets, event-stream clients, draining flag, pool use,
// campaign progress (cluster-wide), and the process metrics (CPU, memory, event-loop lag).
import { dbPoolUse } from '../db/client';
import { subscriberCount } from '../events/tail';
import { relay } from '../live/relay';
import { readGaugeWith, startProcessMetrics } from '../metrics/series';
import { isDraining } from './drain';
import { readPoolUse } from './collect-pool';
import { collectCampaignMetrics } from './collect-campaigns';

export function collectWebMetrics(): void {
  startProcessMetrics('web');
  readGaugeWith('liveDevices', () => relay().localCounts().devices);
  readGaugeWith('lobbyDevices', () => relay().localCounts().lobby);
  readGaugeWith('eventStreams', subscriberCount);
  readGaugeWith('draining', () => (isDraining() ? 1 : 0));
  readPoolUse(dbPoolUse);
  collectCampaignMetrics();
}
