// What a PSA sender gets and answers (lib/psa/push-*.ts).
import type { ApiMessage } from '../i18n/api-messages';
import type { TPsaAlert } from './collect-alerts';
import type { TPsaUsageSummary } from './build-usage-summary';
import type { PsaRequest, PsaResponse } from './psa-request';

export type PsaPushContext = {
  pushId: string;
  trigger: string;
  /** Comet OrganizationID of the integration's organization ("" for the top level). */
  organizationId: string;
  organizationName: string;
  url: string;
  partnerKey: string;
  customHeaders: Record<string, string>;
  summary: TPsaUsageSummary;
  /** null when AlertsDisabled. */
  alerts: TPsaAlert[] | null;
  remoteState: Record<string, unknown>;
  /** One guarded request (counted); throws PsaRequestError on a failure or a non-2xx answer. */
  request: (req: PsaRequest) => Promise<PsaResponse>;
  /** Halley's Gradient vendor key (HALLEY_GRADIENT_VENDOR_KEY). */
  gradientVendorKey: string;
  gradientApiUrl: string;
};

export type PsaPushResult = {
  status: number;
  groups: number;
  alerts: number;
  /** Replaces the integration's remoteState when given. */
  remoteState?: Record<string, unknown>;
  /** Per-item problems that did not fail the push (e.g. an account the PSA has not mapped yet). */
  notes: ApiMessage[];
};
