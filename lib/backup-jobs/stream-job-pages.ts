// A job list without Limit (Comet's get-jobs-all & co. answer every job at once) read in keyset pages of
// STREAM_PAGE jobs, in the list's own (StartTime, GUID) order, and handed on as they are read, so the answer
// is encoded while it is written (lib/api/json-stream.ts) instead of being built whole in memory. The pages
// are those of Halley's paging extension: same query, same mapper, so the bytes are the unpaged answer's.
import type { JobPage } from './job-query';
import type { JobListResult } from './list-jobs';

export const STREAM_PAGE = 2000;

/** Every job of `read` (one page per call); the first page is read before this returns (an error is an error answer). */
export async function streamJobPages(read: (page: JobPage) => Promise<JobListResult>, size = STREAM_PAGE): Promise<AsyncIterable<unknown>> {
  const first = await read({ limit: size });
  return (async function* () {
    let page = first;
    for (;;) {
      yield* page.jobs;
      if (!page.nextCursor) return;
      page = await read({ limit: size, cursor: page.nextCursor });
    }
  })();
}
