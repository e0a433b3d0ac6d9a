'use server';
// Settings → Self-backup: the targets live in ServerConfigOptions.SelfBackup (server-config/get|set), runs
// through self-backup/start and the Halley run history, all through the registry.
import { revalidatePath } from 'next/cache';
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type SelfBackupTarget = Record<string, unknown> & {
  Index: number;
  Location: { DestinationType: number; LocalcopyPath?: string } & Record<string, unknown>;
  EncryptionKey: string;
  Compression: number;
  ExcludeJobsDB: boolean;
  IncludeServerLogs: boolean;
  RestrictToSingleOrgID?: string;
  Schedule: Array<{ FrequencyType: number; SecondsPast: number } & Record<string, unknown>> | null;
  ScheduleTimezone: string;
  RetentionPolicy: { Mode: number; Ranges: Array<Record<string, number>> | null };
};

/** Reads the whole server configuration, replaces the targets, writes it back (Comet's set replaces it). */
export async function saveTargets(targets: SelfBackupTarget[]): Promise<ActionResult> {
  const current = await apiAction<Record<string, unknown>>('/api/v1/admin/meta/server-config/get');
  if (!current.ok) return current;
  const res = await apiAction('/api/v1/admin/meta/server-config/set', { Config: { ...current.data, SelfBackup: { ...((current.data.SelfBackup as object) ?? {}), Targets: targets } } });
  if (res.ok) revalidatePath('/settings/self-backup');
  return res;
}

export async function runNow(index?: number): Promise<ActionResult> {
  const res = await apiAction('/api/v1/admin/self-backup/start', index === undefined ? {} : { TargetIndex: index });
  if (res.ok) revalidatePath('/settings/self-backup');
  return res;
}

export type SelfBackupRun = {
  ID: string;
  Kind: string;
  TargetIndex: number;
  Trigger: string;
  Status: 'queued' | 'running' | 'success' | 'failed';
  Location: string;
  FileName: string;
  Size: number;
  Rows: number;
  Error: string;
  StartTime: number;
  EndTime: number;
};

export async function listRuns(): Promise<ActionResult<{ Runs: SelfBackupRun[] }>> {
  return apiAction('/api/v1/admin/self-backup/runs', { Limit: 50 });
}
