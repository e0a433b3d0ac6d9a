// The URL is the state of a console table: ?q=&sort=&desc=1&page=&size=&cols=a,b. Refresh, the back
// button and shared links restore sort, page, search and columns exactly. Rows per page and the column
// choice are also remembered per admin (lib/admins/console-preferences.ts) for visits without them.
import { PAGE_SIZES } from '../../admins/page-sizes';

export type TableUrlState = { q: string; sort: string; desc: boolean; page: number; size: number; cols: string[] };

export function readTableState(
  sp: Record<string, string | string[] | undefined>,
  defaults: { sort: string; sortable: readonly string[]; columns: readonly string[]; defaultColumns: readonly string[]; size?: number; savedColumns?: string[] },
): TableUrlState {
  const one = (k: string) => {
    const v = sp[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const sortRaw = one('sort') ?? '';
  const sort = defaults.sortable.includes(sortRaw) ? sortRaw : defaults.sort;
  const sizeRaw = Number(one('size'));
  const size = (PAGE_SIZES as readonly number[]).includes(sizeRaw) ? sizeRaw : (defaults.size ?? 25);
  const pageRaw = Number(one('page'));
  const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
  const fromUrl = one('cols');
  const pick = (ids: readonly string[]) => ids.filter((c) => defaults.columns.includes(c));
  const cols = fromUrl !== undefined ? pick(fromUrl.split(',')) : defaults.savedColumns ? pick(defaults.savedColumns) : [...defaults.defaultColumns];
  return { q: (one('q') ?? '').slice(0, 200), sort, desc: one('desc') === '1', page, size, cols: cols.length ? cols : [...defaults.defaultColumns] };
}

export function tableStateQuery(s: TableUrlState): string {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  params.set('sort', s.sort);
  if (s.desc) params.set('desc', '1');
  params.set('page', String(s.page));
  params.set('size', String(s.size));
  params.set('cols', s.cols.join(','));
  return params.toString();
}
