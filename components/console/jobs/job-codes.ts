// Comet job status and classification codes for display (labels come from messages: jobs.status.*,
// jobs.classification.*). No server imports.
import { JobClassification, JobStatus } from '../../../lib/comet/constants';

type StatusKey = 'success' | 'warning' | 'error' | 'timeout' | 'quota' | 'missed' | 'cancelled' | 'skipped' | 'abandoned' | 'running' | 'notStarted' | 'unknown';

export function statusKey(status: number): StatusKey {
  switch (status) {
    case JobStatus.JOB_STATUS_STOP_SUCCESS:
      return 'success';
    case JobStatus.JOB_STATUS_FAILED_WARNING:
      return 'warning';
    case JobStatus.JOB_STATUS_FAILED_ERROR:
      return 'error';
    case JobStatus.JOB_STATUS_FAILED_TIMEOUT:
      return 'timeout';
    case JobStatus.JOB_STATUS_FAILED_QUOTA:
      return 'quota';
    case JobStatus.JOB_STATUS_FAILED_SCHEDULEMISSED:
      return 'missed';
    case JobStatus.JOB_STATUS_FAILED_CANCELLED:
      return 'cancelled';
    case JobStatus.JOB_STATUS_FAILED_SKIPALREADYRUNNING:
      return 'skipped';
    case JobStatus.JOB_STATUS_FAILED_ABANDONED:
      return 'abandoned';
    case JobStatus.JOB_STATUS_NOT_YET_STARTED:
      return 'notStarted';
    default:
      if (status >= 6000 && status <= 6999) return 'running';
      if (status >= 5000 && status <= 5999) return 'success';
      return 'unknown';
  }
}

export function statusTone(status: number): 'success' | 'warning' | 'destructive' | 'default' | 'secondary' {
  if (status >= 5000 && status <= 5999) return 'success';
  if (status === JobStatus.JOB_STATUS_FAILED_WARNING) return 'warning';
  if (status >= 7000 && status <= 7999) return 'destructive';
  if (status >= 6000 && status <= 6999) return 'default';
  return 'secondary';
}

type ClassificationKey = 'backup' | 'restore' | 'retention' | 'unlock' | 'deleteCustom' | 'remeasure' | 'update' | 'import' | 'reindex' | 'deepVerify' | 'uninstall' | 'unknown';

export const CLASSIFICATIONS: Array<{ code: number; key: ClassificationKey }> = [
  { code: JobClassification.JOB_CLASSIFICATION_BACKUP, key: 'backup' },
  { code: JobClassification.JOB_CLASSIFICATION_RESTORE, key: 'restore' },
  { code: JobClassification.JOB_CLASSIFICATION_RETENTION, key: 'retention' },
  { code: JobClassification.JOB_CLASSIFICATION_UNLOCK, key: 'unlock' },
  { code: JobClassification.JOB_CLASSIFICATION_DELETE_CUSTOM, key: 'deleteCustom' },
  { code: JobClassification.JOB_CLASSIFICATION_REMEASURE, key: 'remeasure' },
  { code: JobClassification.JOB_CLASSIFICATION_UPDATE, key: 'update' },
  { code: JobClassification.JOB_CLASSIFICATION_IMPORT, key: 'import' },
  { code: JobClassification.JOB_CLASSIFICATION_REINDEX, key: 'reindex' },
  { code: JobClassification.JOB_CLASSIFICATION_DEEPVERIFY, key: 'deepVerify' },
  { code: JobClassification.JOB_CLASSIFICATION_UNINSTALL, key: 'uninstall' },
];

export function classificationKey(code: number): ClassificationKey {
  return CLASSIFICATIONS.find((c) => c.code === code)?.key ?? 'unknown';
}

export const STATUS_CHOICES: Array<{ code: number; key: StatusKey }> = [
  { code: JobStatus.JOB_STATUS_STOP_SUCCESS, key: 'success' },
  { code: JobStatus.JOB_STATUS_FAILED_WARNING, key: 'warning' },
  { code: JobStatus.JOB_STATUS_FAILED_ERROR, key: 'error' },
  { code: JobStatus.JOB_STATUS_FAILED_TIMEOUT, key: 'timeout' },
  { code: JobStatus.JOB_STATUS_FAILED_QUOTA, key: 'quota' },
  { code: JobStatus.JOB_STATUS_FAILED_SCHEDULEMISSED, key: 'missed' },
  { code: JobStatus.JOB_STATUS_FAILED_CANCELLED, key: 'cancelled' },
  { code: JobStatus.JOB_STATUS_FAILED_SKIPALREADYRUNNING, key: 'skipped' },
  { code: JobStatus.JOB_STATUS_FAILED_ABANDONED, key: 'abandoned' },
  { code: JobStatus.JOB_STATUS_RUNNING_ACTIVE, key: 'running' },
  { code: JobStatus.JOB_STATUS_NOT_YET_STARTED, key: 'notStarted' },
];

export type JobRow = {
  GUID: string;
  Username: string;
  Classification: number;
  Status: number;
  StartTime: number;
  EndTime: number;
  SourceGUID: string;
  DestinationGUID: string;
  DeviceID: string;
  SnapshotID: string;
  ClientVersion: string;
  TotalFiles: number;
  TotalSize: number;
  UploadSize: number;
  DownloadSize: number;
  DestinationSizeEnd?: { Size?: number };
  Progress?: { Counter?: number; BytesDone?: number; ItemsDone?: number; ItemsTotal?: number };
};

/** Names the job page shows instead of ids: device friendly names, item and vault descriptions per user. */
export type JobNames = Record<string, { devices: Record<string, string>; items: Record<string, string>; vaults: Record<string, string> }>;
