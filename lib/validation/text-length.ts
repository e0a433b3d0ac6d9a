/** Characters as a person counts them (code points), for "at most N characters" rules. */
export function textLength(value: string): number {
  return [...value].length;
}

/**
 * Over-long text is refused with the limit named, never cut silently: the caller turns a non-null answer into
 * its error. Returns the limit that was exceeded, or null.
 */
export function exceedsLength(value: string, max: number): number | null {
  return textLength(value) > max ? max : null;
}
