// Events of update campaigns. Comet has no SEVT_ type for them, so these are Halley's own numbers, outside
// Comet's 4000-4999 range (a Comet client that switches on Type ignores them). They are written for the
// top-level organization, so only top-level admins' event streams and webhooks receive them.
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
