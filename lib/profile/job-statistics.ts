// Job statistics live inside the profile (DestinationConfig.Statistics, SourceConfig.Statistics) but are
// written by devices' job reports (lib/live/report-job.ts), not by whoever edits the profile. They are
// kept out of the profile hash and a saved profile never overwrites them with a stale copy.
import { isObject, type JsonObject } from './json-value';

const SECTIONS = ['Destinations', 'Sources'] as const;


/** A shallow copy of the profile whose vaults and protected items have no `Statistics`. */
export function withoutJobStatistics(profile: JsonObject): JsonObject {
  const out: JsonObject = { ...profile };
  for (const section of SECTIONS) {
    const entries = profile[section];
    if (!isObject(entries)) continue;
    const copy: JsonObject = {};
    for (const id of Object.keys(entries)) {
      const entry = entries[id];
      if (isObject(entry) && 'Statistics' in entry) {
        const { Statistics: _stats, ...rest } = entry;
        Object.defineProperty(copy, id, { value: rest, enumerable: true, writable: true, configurable: true });
      } else {
        Object.defineProperty(copy, id, { value: entry, enumerable: true, writable: true, configurable: true });
      }
    }
    out[section] = copy;
  }
  return out;
}

/**
 * The incoming profile with each existing vault's and item's `Statistics` taken from what is stored
 * (`stored` maps section → id → stored Statistics or undefined). New vaults and items keep what they
 * bring (an import may carry history).
 */
export function keepStoredStatistics(incoming: JsonObject, stored: Record<(typeof SECTIONS)[number], Map<string, unknown>>): JsonObject {
  const out: JsonObject = { ...incoming };
  for (const section of SECTIONS) {
    const entries = incoming[section];
    if (!isObject(entries)) continue;
    const copy: JsonObject = {};
    for (const id of Object.keys(entries)) {
      let entry = entries[id];
      if (isObject(entry) && stored[section].has(id)) {
        const { Statistics: _incoming, ...rest } = entry;
        const kept = stored[section].get(id);
        entry = kept === undefined ? rest : { ...rest, Statistics: kept };
      }
      Object.defineProperty(copy, id, { value: entry, enumerable: true, writable: true, configurable: true });
    }
    out[section] = copy;
  }
  return out;
}
