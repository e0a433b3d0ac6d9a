// Halley's own event types, outside Comet's 4000-4999 SEVT_ range, and their constant names. Comet's
// TypeString stays "" for them on the wire (streamable.ts); these names key their labels in the console
// ("eventTypes" in messages/*.json) and are shown to integrators next to the number.

// Events of update campaigns (lib/campaigns). They are written for the top-level organization, so only top-level
// admins' event streams and webhooks receive them (UPDATE_FAILED: in the device's organization).
export const CampaignEventType = {
  /** Data: the campaign's summary (HalleyUpdateCampaign). */
  STARTED: 14501,
  /** Paused by an admin or automatically (Data.PauseReason says which). */
  PAUSED: 14502,
  RESUMED: 14503,
  /** Stopped (Active=false), replaced by a new campaign, or aborted. */
  FINISHED: 14504,
  /** Every eligible device reached UPDATE_CONFIRMED or UPDATE_FAILED. */
  COMPLETED: 14505,
  /** A device reported that an update failed (written in the device's organization; Data: Stage, Reason, Version, CampaignID). */
  UPDATE_FAILED: 14506,
} as const;

/** A report found vaults pointing at buckets that exist nowhere (run-constellation.ts). */
export const HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET = 14601;

/** Constant names of Halley's event types by number. */
export const HALLEY_EVENT_NAMES: Readonly<Record<number, string>> = {
  [CampaignEventType.STARTED]: 'HALLEY_EVENT_CAMPAIGN_STARTED',
  [CampaignEventType.PAUSED]: 'HALLEY_EVENT_CAMPAIGN_PAUSED',
  [CampaignEventType.RESUMED]: 'HALLEY_EVENT_CAMPAIGN_RESUMED',
  [CampaignEventType.FINISHED]: 'HALLEY_EVENT_CAMPAIGN_FINISHED',
  [CampaignEventType.COMPLETED]: 'HALLEY_EVENT_CAMPAIGN_COMPLETED',
  [CampaignEventType.UPDATE_FAILED]: 'HALLEY_EVENT_UPDATE_FAILED',
  [HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET]: 'HALLEY_EVENT_CONSTELLATION_MISSING_BUCKET',
};
