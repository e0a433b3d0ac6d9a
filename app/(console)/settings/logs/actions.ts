'use server';
// Settings → Logs: the daily server log files, through the registry (top-level administrators).
import { apiAction, type ActionResult } from '@/lib/adapters/console/session';

export type LogEntry = { Time: number; Level: string; Message: string; Line: string };

export async function searchLog(day: number, minLevel: string, contains: string): Promise<ActionResult<{ Entries: LogEntry[]; Truncated: boolean }>> {
  return apiAction('/api/v1/admin/meta/search-log', { Log: day, MinLevel: minLevel || undefined, Contains: contains || undefined, Limit: 2000 });
}

export async function readLogText(day: number): Promise<ActionResult<string>> {
  return apiAction('/api/v1/admin/meta/read-logs', { Log: day });
}
