'use server';
// Settings → Server: the server-wide settings (admin/meta/server-config/get|set: the form edits a few fields
// of the whole document and writes it back; the raw editor writes the document as edited), and restart /
// shutdown of the node that answers, through the registry (top-level administrators, as the endpoints).
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

const GET = '/api/v1/admin/meta/server-config/get';
const SET = '/api/v1/admin/meta/server-config/set';

export type ServerSettingsInput = { sessionMinutes: string; logRetentionDays: string; licenseEmail: string; licenseSerial: string };

/** A typed number, or the text as typed (the server refuses it with the field's message). */
function numberOr(text: string, scale = 1): number | string {
  const t = text.trim();
  if (t === '') return 0;
  const n = Number(t);
  return Number.isFinite(n) ? Math.round(n * scale) : t;
}

export async function saveServerSettings(input: ServerSettingsInput): Promise<ActionResult> {
  const current = await apiAction<Record<string, unknown>>(GET);
  if (!current.ok) return current;
  const config = current.data;
  const license = (config.License ?? {}) as Record<string, unknown>;
  const logs = numberOr(input.logRetentionDays);
  const next = {
    ...config,
    SessionSettings: { ...((config.SessionSettings ?? {}) as object), ExpiredInSeconds: numberOr(input.sessionMinutes, 60) },
    HalleyServerLogs: { ...((config.HalleyServerLogs ?? {}) as object), RetentionDays: logs === 0 ? '' : logs },
    License: { ...license, Email: input.licenseEmail.trim(), SerialNumber: input.licenseSerial.trim() },
  };
  return apiAction(SET, { Config: JSON.stringify(next) });
}

/** The raw editor: the document as the admin edited it (secrets "" keep the stored ones). */
export async function saveRawServerConfig(json: string): Promise<ActionResult> {
  return apiAction(SET, { Config: json });
}

export async function restartService(): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/restart-service');
}

export async function shutdownService(): Promise<ActionResult> {
  return apiAction('/api/v1/admin/meta/shutdown-service');
}
