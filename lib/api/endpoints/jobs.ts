import { getJobLogEntries, getJobLogText, getJobProperties } from '../../backup-jobs/get-job';
import { countJobs, listJobs, listJobsForUser, RECENT_SECONDS, searchJobs, type JobListResult } from '../../backup-jobs/list-jobs';
import type { JobPage } from '../../backup-jobs/job-query';
import type { SearchClause } from '../../job-search/compile-search-clause';
import { encodeJsonArray } from '../json-stream';
import { streamJobPages } from '../../backup-jobs/stream-job-pages';
import { p } from '../params';
import { defineEndpoint } from '../registry';
import { ApiReply, NEXT_CURSOR_HEADER } from '../reply';

// Halley's paging extension on every job list: without Limit the whole list is returned (Comet);
// with it, one page in the same (StartTime, GUID) order, and the next page's cursor in a header.
const paging = {
  Limit: p.int().describe('Halley: page size (1-10000); the next page cursor comes in the X-Halley-Next-Cursor header').halley(),
  Cursor: p.string().describe('Halley: X-Halley-Next-Cursor of the previous page').halley(),
  NewestFirst: p.bool().describe('Halley: with Limit, pages from the newest job (StartTime descending) instead of Comet\'s oldest-first order').halley(),
};

const DEFAULT_PAGE_LIMIT = 500;

function pageFrom(params: { Limit?: number; Cursor?: string; NewestFirst?: boolean }): JobPage | undefined {
  const newestFirst = params.NewestFirst === true ? { newestFirst: true } : {};
  if (params.Limit === undefined) {
    // A cursor alone still pages, with the default page size.
    return params.Cursor ? { limit: DEFAULT_PAGE_LIMIT, cursor: params.Cursor, ...newestFirst } : undefined;
  }
  return { limit: params.Limit, cursor: params.Cursor || undefined, ...newestFirst };
}

/** One page (with its cursor header), or without paging every job, streamed as it is read. */
async function reply(read: (page?: JobPage) => Promise<JobListResult>, page: JobPage | undefined): Promise<unknown> {
  if (!page) return ApiReply.jsonStream(encodeJsonArray(await streamJobPages(read)));
  const result = await read(page);
  return ApiReply.json(result.jobs, result.nextCursor ? { [NEXT_CURSOR_HEADER]: result.nextCursor } : {});
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export const jobEndpoints = [
  defineEndpoint({
    path: '/api/v1/admin/get-jobs-recent',
    method: 'AdminGetJobsRecent',
    summary: 'Running jobs and jobs started or ended in the last 24 hours',
    auth: 'admin',
    params: { ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      const since = nowSeconds() - RECENT_SECONDS;
      return reply((pg) => listJobs({ actor, filter: { kind: 'recent', since }, page: pg }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-jobs-all',
    method: 'AdminGetJobsAll',
    summary: 'Every job the admin may see',
    auth: 'admin',
    params: { ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      return reply((pg) => listJobs({ actor, filter: { kind: 'all' }, page: pg }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-jobs-for-date-range',
    method: 'AdminGetJobsForDateRange',
    summary: 'Jobs started or ended within [Start, End] (Unix seconds); 0, 0 = jobs not finished yet',
    auth: 'admin',
    params: { Start: p.int(), End: p.int(), ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      return reply((pg) => listJobs({ actor, filter: { kind: 'range', start: params.Start, end: params.End }, page: pg }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-jobs-for-user',
    method: 'AdminGetJobsForUser',
    summary: "All jobs of one user's account",
    auth: 'admin',
    params: { TargetUser: p.string(), ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      return reply((pg) => listJobsForUser({ actor, username: params.TargetUser, page: pg }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-jobs-for-custom-search',
    method: 'AdminGetJobsForCustomSearch',
    summary: 'Jobs matching a SearchClause tree',
    auth: 'admin',
    params: { Query: p.json<SearchClause>('SearchClause'), ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      const now = nowSeconds();
      return reply((pg) => searchJobs({ actor, query: params.Query, page: pg, now }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/admin/count-jobs-for-custom-search',
    method: 'AdminCountJobsForCustomSearch',
    summary: 'How many jobs match a SearchClause tree',
    auth: 'admin',
    params: { Query: p.json<SearchClause>('SearchClause') },
    returns: 'CountJobsResponse',
    handler: async ({ actor, params }) => ({ Count: await countJobs({ actor, query: params.Query }) }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-job-properties',
    method: 'AdminGetJobProperties',
    summary: 'One job by ID',
    auth: 'admin',
    params: { JobID: p.string() },
    returns: 'BackupJobDetail',
    handler: ({ actor, params }) => getJobProperties({ actor, jobId: params.JobID }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-job-log-entries',
    method: 'AdminGetJobLogEntries',
    summary: "One job's log lines, optionally from a minimum severity and containing a text",
    auth: 'admin',
    params: { JobID: p.string(), MinSeverity: p.string().opt(), MessageContains: p.string().opt() },
    returns: '[]JobEntry',
    handler: ({ actor, params }) => getJobLogEntries({ actor, jobId: params.JobID, minSeverity: params.MinSeverity, messageContains: params.MessageContains }),
  }),
  defineEndpoint({
    path: '/api/v1/admin/get-job-log',
    method: 'AdminGetJobLog',
    summary: "One job's log as plain text",
    auth: 'admin',
    params: { JobID: p.string() },
    responseFormat: 'text',
    returns: '[]byte',
    handler: async ({ actor, params }) => ApiReply.text(await getJobLogText({ actor, jobId: params.JobID })),
  }),
];

export const userWebJobEndpoints = [
  defineEndpoint({
    path: '/api/v1/user/web/get-jobs',
    method: 'UserWebGetJobs',
    summary: "Every job of the user's own account",
    auth: 'user',
    params: { ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      return reply((pg) => listJobs({ actor, filter: { kind: 'all' }, page: pg }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/user/web/get-jobs-for-custom-search',
    method: 'UserWebGetJobsForCustomSearch',
    summary: "The user's own jobs matching a SearchClause tree",
    auth: 'user',
    params: { Query: p.json<SearchClause>('SearchClause'), ...paging },
    returns: '[]BackupJobDetail',
    handler: async ({ actor, params }) => {
      const page = pageFrom(params);
      const now = nowSeconds();
      return reply((pg) => searchJobs({ actor, query: params.Query, page: pg, now }), page);
    },
  }),
  defineEndpoint({
    path: '/api/v1/user/web/get-job-properties',
    method: 'UserWebGetJobProperties',
    summary: 'One of the own jobs by ID',
    auth: 'user',
    params: { JobID: p.string() },
    returns: 'BackupJobDetail',
    handler: ({ actor, params }) => getJobProperties({ actor, jobId: params.JobID }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/get-job-log-entries',
    method: 'UserWebGetJobLogEntries',
    summary: "One own job's log lines",
    auth: 'user',
    params: { JobID: p.string(), MinSeverity: p.string().opt(), MessageContains: p.string().opt() },
    returns: '[]JobEntry',
    handler: ({ actor, params }) => getJobLogEntries({ actor, jobId: params.JobID, minSeverity: params.MinSeverity, messageContains: params.MessageContains }),
  }),
  defineEndpoint({
    path: '/api/v1/user/web/get-job-log',
    method: 'UserWebGetJobLog',
    summary: "One own job's log as plain text",
    auth: 'user',
    params: { JobID: p.string() },
    responseFormat: 'text',
    returns: '[]byte',
    handler: async ({ actor, params }) => ApiReply.text(await getJobLogText({ actor, jobId: params.JobID })),
  }),
];
