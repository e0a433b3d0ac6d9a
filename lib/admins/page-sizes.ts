/** Rows-per-page choices of every console table (no server imports: client components use it too). */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
