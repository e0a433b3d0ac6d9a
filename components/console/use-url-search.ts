'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * A search box whose text goes to the URL after a pause (`commit`). The box follows the URL only when the
 * URL's text changes from outside (back button): a navigation of this page landing while the admin types
 * never replaces what they are typing. `commit` is the one of the latest render (it may read other state).
 */
export function useUrlSearch(urlQ: string, commit: (q: string) => void, delayMs = 300): [string, (q: string) => void] {
  const [search, setSearch] = useState(urlQ);
  const pushed = useRef(urlQ);
  const latestCommit = useRef(commit);
  latestCommit.current = commit;
  useEffect(() => {
    if (urlQ === pushed.current) return;
    pushed.current = urlQ;
    setSearch(urlQ);
  }, [urlQ]);
  useEffect(() => {
    if (search === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = search;
      latestCommit.current(search);
    }, delayMs);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  return [search, setSearch];
}
