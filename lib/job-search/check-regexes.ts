// PostgreSQL (not JavaScript) decides what a valid str_regexmatch pattern is, so patterns are compiled
// by PostgreSQL itself before the search runs: `SELECT '' ~ $1` fails with SQLSTATE 2201B on a bad one.
// Each check is its own statement outside any transaction, so a failure can't poison a later query.
import { db } from '../db/client';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

export function isInvalidRegexError(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; meta?: { code?: string; message?: string }; cause?: { code?: string; message?: string } };
  const codes = [e?.code, e?.meta?.code, e?.cause?.code];
  const message = e?.meta?.message ?? e?.cause?.message ?? e?.message ?? '';
  if (codes.includes('2201B') || /invalid regular expression/i.test(message)) {
    const m = /invalid regular expression:?\s*([^\n`]*)/i.exec(message);
    return m?.[1]?.trim() || 'invalid regular expression';
  }
  return undefined;
}

/** Throws BadRequestError naming the first pattern PostgreSQL refuses. */
export async function checkSearchRegexes(patterns: readonly string[]): Promise<void> {
  for (const pattern of new Set(patterns)) {
    try {
      await db().$queryRawUnsafe('SELECT \'\' ~ $1::text AS "ok"', pattern);
    } catch (err) {
      const why = isInvalidRegexError(err);
      if (why) throw new BadRequestError(apiMessage('badRegexPattern', { pattern: JSON.stringify(pattern.slice(0, 100)), reason: why }));
      throw err;
    }
  }
}
