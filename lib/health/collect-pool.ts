import { readGaugeWith } from '../metrics/series';

/** PostgreSQL pool gauges of this process. */
export function readPoolUse(use: () => { total: number; idle: number; waiting: number; max: number }): void {
  readGaugeWith('pgPool', () => {
    const u = use();
    return [
      { labels: { state: 'total' }, value: u.total },
      { labels: { state: 'idle' }, value: u.idle },
      { labels: { state: 'waiting' }, value: u.waiting },
    ];
  });
  readGaugeWith('pgPoolMax', () => use().max);
}
