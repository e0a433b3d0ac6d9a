-- Issue 15 (campaign dispatch): a campaign updates each of its device rows three times (claimed REQUEST_MADE,
-- the device's answer, CONFIRMED or FAILED). With `status` in two indexes every one of those updates wrote a new
-- entry into all five indexes. Without them no indexed column ever changes after the insert, and with room left
-- on each page (fillfactor) the updates are HOT: the new row version goes on the same page and no index is
-- touched. A campaign's rows are still found by the (campaignId, accountId, deviceId) index; what the two indexes
-- served (the rows of one status, the wave bookkeeping) now reads the campaign's rows through it (a few
-- milliseconds for 10,000 devices).
DROP INDEX "CampaignDevice_campaignId_status_idx";
DROP INDEX "CampaignDevice_campaignId_wave_status_idx";
ALTER TABLE "CampaignDevice" SET (fillfactor = 50);
