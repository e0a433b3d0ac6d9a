// The alerts an integration sends: backup jobs in its organization's scope that ended failed (Comet's
// JOB_STATUS_FAILED_* range) after the last alert it already delivered, at most a day back on the first push.
import { JobClassification, JobStatus } from '../comet/constants';
import { db } from '../db/client';
import { tenantViewer, wireOrganizationId } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

export type TPsaAlert = {
  AlertID: string;
  OrganizationID: string;
  OrganizationName: string;
  /** The user's account id ("" when the account is gone). */
  AccountID: string;
  Username: string;
  /** The user's Comet AccountName ("" when none). */
  AccountName: string;
  DeviceID: string;
  JobID: string;
  Classification: number;
  ClassificationName: string;
  Status: number;
  StatusName: string;
  StartTime: number;
  EndTime: number;
  Title: string;
  Description: string;
};

const MAX_ALERTS = 200;
const FIRST_LOOKBACK_SECONDS = 86_400;

const nameOf = (group: Record<string, number>, value: number, prefix: string) =>
  Object.entries(group).find(([k, v]) => v === value && !k.includes('__'))?.[0]?.replace(prefix, '') ?? String(value);

export async function collectAlerts(tenantId: string, since: bigint, now = Date.now()): Promise<TPsaAlert[]> {
  const floor = BigInt(Math.floor(now / 1000) - FIRST_LOOKBACK_SECONDS);
  const after = since > floor ? since : floor;
  const jobs = await db().job.findMany({
    where: { ...tenantWhere(tenantViewer(tenantId)), status: { gte: JobStatus.JOB_STATUS_FAILED__MIN, lte: JobStatus.JOB_STATUS_FAILED__MAX }, endTime: { gt: after } },
    orderBy: [{ endTime: 'asc' }, { id: 'asc' }],
    take: MAX_ALERTS,
    select: { id: true, tenantId: true, accountId: true, username: true, deviceId: true, classification: true, status: true, startTime: true, endTime: true, account: { select: { accountName: true } }, tenant: { select: { name: true } } },
  });
  return jobs.map((j) => {
    const status = nameOf(JobStatus, j.status, 'JOB_STATUS_');
    const kind = nameOf(JobClassification, j.classification, 'JOB_CLASSIFICATION_');
    return {
      AlertID: `job:${j.id}`,
      OrganizationID: wireOrganizationId(j.tenantId),
      OrganizationName: j.tenant.name,
      AccountID: j.accountId ?? '',
      Username: j.username,
      AccountName: j.account?.accountName ?? '',
      DeviceID: j.deviceId,
      JobID: j.id,
      Classification: j.classification,
      ClassificationName: kind,
      Status: j.status,
      StatusName: status,
      StartTime: Number(j.startTime),
      EndTime: Number(j.endTime),
      Title: `${kind} job ${status} for ${j.username}`,
      Description: `The ${kind.toLowerCase()} job ${j.id} of user ${j.username}${j.deviceId ? ` on device ${j.deviceId}` : ''} ended with ${status} at ${new Date(Number(j.endTime) * 1000).toISOString()}.`,
    };
  });
}
