// Per-admin console preferences, kept on the server so they follow the admin across sign-outs and
// browsers: rows per page, the column choice of each table (void once the server version changes, so
// new columns appear after an upgrade), whether the getting-started guide was dismissed, and whether
// advanced options (internal ids) are shown, and the tables' row density.
import { z } from 'zod';
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { PAGE_SIZES } from './page-sizes';
import { HALLEY_VERSION } from '../meta/version';
import type { AdminActor } from '../tenancy/actor';
import { apiMessage } from '../i18n/api-messages';
import { zodIssuesMessage } from '../i18n/zod-issue-message';


const ZColumns = z.object({ ServerVersion: z.string().max(64), Columns: z.array(z.string().max(64)).max(64) });

const ZPrefs = z
  .object({
    PageSize: z.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), { message: `must be one of ${PAGE_SIZES.join(', ')}`, params: { apiKey: 'zodInvalidValue', options: PAGE_SIZES.join(', ') } }),
    TableColumns: z.record(z.string().max(64), ZColumns),
    GuideDismissed: z.boolean(),
    AdvancedOptions: z.boolean(),
    /** Row density of the console's tables (users table): compact fits 30+ rows on a 900 px screen. */
    Density: z.enum(['compact', 'comfortable']),
    /** Named job searches of the job history page (SearchClause JSON), at most 50. */
    SavedJobSearches: z.record(z.string().min(1).max(100), z.record(z.string(), z.unknown())),
  })
  .partial()
  .strict();

export type ConsolePreferences = z.infer<typeof ZPrefs>;

function read(raw: unknown): ConsolePreferences {
  const parsed = ZPrefs.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

export async function getConsolePreferences({ actor }: { actor: AdminActor }): Promise<ConsolePreferences> {
  // tenancy: own — the admin's own row (actor.adminId)
  const row = await db().adminUser.findUnique({ where: { id: actor.adminId }, select: { consolePrefs: true } });
  const prefs = read(row?.consolePrefs);
  // Column choices saved by another server version are dropped, so an upgrade shows its new columns.
  const columns = Object.fromEntries(Object.entries(prefs.TableColumns ?? {}).filter(([, c]) => c.ServerVersion === HALLEY_VERSION));
  return { ...prefs, TableColumns: columns };
}

/** Merges the given fields into the stored preferences; `null` in TableColumns[x] forgets a table's choice. */
export async function setConsolePreferences({ actor, patch }: { actor: AdminActor; patch: unknown }): Promise<void> {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new BadRequestError(apiMessage('preferencesNotObject'));
  const { TableColumns: columnPatch, SavedJobSearches: searchPatch, ...rest } = patch as Record<string, unknown>;
  const parsedRest = ZPrefs.omit({ TableColumns: true, SavedJobSearches: true }).safeParse(rest);
  if (!parsedRest.success) throw new BadRequestError(apiMessage('preferencesInvalid', { reason: zodIssuesMessage(parsedRest.error.issues, 'value') }));
  const columns = z.record(z.string().max(64), z.array(z.string().max(64)).max(64).nullable()).safeParse(columnPatch ?? {});
  if (!columns.success) throw new BadRequestError(apiMessage('tableColumnsInvalid'));
  const searches = z.record(z.string().min(1).max(100), z.record(z.string(), z.unknown()).nullable()).safeParse(searchPatch ?? {});
  if (!searches.success) throw new BadRequestError(apiMessage('savedSearchesInvalid'));
  await db().$transaction(async (tx) => {
    // tenancy: own — the admin's own row (actor.adminId)
    const row = await tx.adminUser.findUniqueOrThrow({ where: { id: actor.adminId }, select: { consolePrefs: true } });
    const current = read(row.consolePrefs);
    const tableColumns = { ...(current.TableColumns ?? {}) };
    for (const [table, ids] of Object.entries(columns.data)) {
      if (ids === null) delete tableColumns[table];
      else tableColumns[table] = { ServerVersion: HALLEY_VERSION, Columns: ids };
    }
    const saved = { ...(current.SavedJobSearches ?? {}) };
    for (const [name, clause] of Object.entries(searches.data)) {
      if (clause === null) delete saved[name];
      else saved[name] = clause;
    }
    if (Object.keys(saved).length > 50) throw new BadRequestError(apiMessage('savedSearchesTooMany'));
    // tenancy: own — the admin's own row (actor.adminId)
    await tx.adminUser.update({
      where: { id: actor.adminId },
      data: { consolePrefs: { ...current, ...parsedRest.data, TableColumns: tableColumns, SavedJobSearches: saved } as object },
    });
  });
}
