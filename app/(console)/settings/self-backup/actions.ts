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

// Import tenant (admin/halley/organization/import): a tenant export archive on this server becomes a new
// organization, as a job; the panel follows it through the import history.
export type OrganizationImport = {
  ID: string;
  Status: 'queued' | 'running' | 'success' | 'checked' | 'refused' | 'failed';
  DryRun: boolean;
  ArchivePath: string;
  Phase: string;
  RowsDone: number;
  RowsTotal: number;
  OrganizationID: string;
  OrganizationName: string;
  Conflicts: Array<{ Kind: string; Table: string; Columns: string; Value: string; Message: string }>;
  Summary: { RemappedIDs?: number; ResealedSecrets?: number; ReplacedEmptyOrganization?: boolean; LeftOut?: Array<{ Table: string; Rows: number; Reason: string }> };
  Error: string;
  CreateTime: number;
  EndTime: number;
};

export async function startImport(archivePath: string, password: string, dryRun: boolean): Promise<ActionResult<{ ImportID: string }>> {
  const res = await apiAction<{ ImportID: string }>('/api/v1/admin/halley/organization/import', { ArchivePath: archivePath, ArchivePassword: password, DryRun: dryRun });
  if (res.ok) revalidatePath('/settings/self-backup');
  return res;
}

/** The same import with the archive uploaded from the browser (admin/halley/organization/import-upload). */
export async function uploadImport(form: FormData): Promise<ActionResult<{ ImportID: string; ArchivePath: string }>> {
  const file = form.get('archive');
  const bytes = file instanceof Blob ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
  const res = await apiAction<{ ImportID: string; ArchivePath: string }>('/api/v1/admin/halley/organization/import-upload', {
    Archive: bytes.toString('base64'),
    ArchivePassword: String(form.get('password') ?? ''),
    DryRun: form.get('dryRun') === 'true',
  });
  if (res.ok) revalidatePath('/settings/self-backup');
  return res;
}

export async function listImports(): Promise<ActionResult<{ Imports: OrganizationImport[] }>> {
  return apiAction('/api/v1/admin/halley/organization/imports', { Limit: 20 });
}
