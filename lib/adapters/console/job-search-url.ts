// The job history page keeps its search in the URL: `q` is the SearchClause as base64url JSON, so a
// search can be bookmarked, shared, and restored by the back button. No server imports (client-safe).
export type SearchClause = { ClauseType: '' | 'and' | 'or' | 'not_and' | 'not_or'; RuleField?: string; RuleOperator?: string; RuleValue?: string; ClauseChildren?: SearchClause[] | null };

export const EMPTY_SEARCH: SearchClause = { ClauseType: 'and', ClauseChildren: [] };

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string {
  const bin = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeSearch(clause: SearchClause): string {
  return toBase64Url(JSON.stringify(clause));
}

/** The clause of a `q` parameter; a missing or unreadable one is the empty search (everything). */
export function decodeSearch(q: string | undefined): SearchClause {
  if (!q) return EMPTY_SEARCH;
  try {
    const v = JSON.parse(fromBase64Url(q));
    return v && typeof v === 'object' && typeof v.ClauseType === 'string' ? (v as SearchClause) : EMPTY_SEARCH;
  } catch {
    return EMPTY_SEARCH;
  }
}

/** "Failed backups in the last 7 days", the search most MSPs start from. */
export function failedBackupsLastDays(days: number): SearchClause {
  return {
    ClauseType: 'and',
    ClauseChildren: [
      { ClauseType: '', RuleField: 'BackupJobDetail.Classification', RuleOperator: 'int_eq', RuleValue: '4001' },
      { ClauseType: '', RuleField: 'Halley.IsFailed', RuleOperator: 'bool_is', RuleValue: 'true' },
      { ClauseType: '', RuleField: 'BackupJobDetail.TimeSinceJobStart', RuleOperator: 'int_lt', RuleValue: String(days * 86400) },
    ],
  };
}
