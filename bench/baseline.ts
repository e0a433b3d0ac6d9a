// The baseline server: a bare node:http server that answers AdminGetUserProfile and AdminListUsersFull
// (and AdminGetJobsForCustomSearch for bench/jobs.ts, with lib/backup-jobs' own SQL builder and mapper)
// (Comet form encoding, Password or SessionKey auth) by running the same SQL as Halley
// (bench/baseline-sql.ts) with a plain `pg` Pool, and builds the JSON with Halley's own mapper
// (lib/profile/mapper.ts rowsToProfile) and password check (lib/credentials/password.ts verifyPassword, with its
// verification cache). So Halley vs baseline measures what lies around those: Next.js routing,
// lib/api/handle.ts, Prisma (query compiler, adapter, result mapping) and the JSON encoding.
//
// Run by bench/run.ts as a child process: `tsx bench/baseline.ts` with PORT, DATABASE_URL and
// HALLEY_SECRET_KEY in the environment. Answers GET /health. Each response carries a Server-Timing
// header (auth, db, map, json in ms) so the runner can show where the baseline's own time goes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { LOCKOUT_READ_SQL, loginSubject } from '../lib/auth/login-protection';
import { verifyPassword } from '@/lib/credentials/password';
import { rowsToProfile, rowsToProfileJson, type RowsToProfileInput } from '../lib/profile/mapper';
import { keyedDigest } from '../lib/secrets';
import { ADMIN_BY_USERNAME_SQL, sessionLookupQuery } from '../lib/auth/session';
import { TOP_LEVEL_TENANT_ID, wireOrganizationId } from '../lib/tenancy/actor';
import { NEXT_CURSOR_HEADER } from '../lib/api/reply';
import { buildJobListQuery, pageOf } from '../lib/backup-jobs/job-query';
import { jobRowToWire, type JobWireRow } from '../lib/backup-jobs/job-row';
import { SQL } from './baseline-sql';
import { accountBatchQuery, accountByUsernameQuery, PROFILE_BATCH } from '../lib/users/account-batch-query';

const PORT = Number(process.env.PORT);
const HOST = process.env.HOST ?? '127.0.0.1';
const SESSION_TIMEOUT_MS = Number(process.env.HALLEY_SESSION_TIMEOUT_SECONDS ?? 1800) * 1000;
const TOUCH_EVERY_MS = 30_000;
// Whether Halley loads the admin's Tenant row to learn isTopLevel (a second query) or derives it from the
// fixed top-level tenant id. bench/run.ts captures Halley's SQL first and sets these to match.
const TENANT_LOOKUP_PASSWORD = process.env.BASELINE_TENANT_LOOKUP_PASSWORD !== '0';
const TENANT_LOOKUP_SESSION = process.env.BASELINE_TENANT_LOOKUP_SESSION !== '0';

// int8 columns as numbers (every value here fits in 2^53; rowsToProfile takes bigint or number).
const INT8_OID = 20;
const int8AsNumber = (value: string) => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? int8AsNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
// Same pool size as Halley's default (HALLEY_DB_POOL_SIZE=10).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.HALLEY_DB_POOL_SIZE ?? 10), types });
pool.on('error', (err) => console.error('idle pg client error:', err.message));

type Row = Record<string, any>;
type Timing = { auth: number; db: number; map: number; json: number };

class HttpishError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const q = async (sql: string, values: unknown[]): Promise<Row[]> => (await pool.query(sql, values)).rows;

type AuthedAdmin = { tenantId: string; isTopLevel: boolean };

/** Same statements as lib/auth/authenticate.ts for an admin; throws on failure. */
async function authenticateAdmin(form: URLSearchParams): Promise<AuthedAdmin> {
  const username = form.get('Username') ?? '';
  const authType = form.get('AuthType') ?? 'Password';
  if (authType === 'SessionKey') {
    const key = form.get('SessionKey') ?? '';
    if (!key) throw new HttpishError(403, 'Invalid or expired session key');
    // The very statement lib/auth/session.ts findLiveSession runs (its text is built there, not copied here).
    const lookup = sessionLookupQuery(keyedDigest(key));
    const [session] = await q(lookup.text, lookup.values);
    if (!session) throw new HttpishError(403, 'Invalid or expired session key');
    const admin = session.admin as Row | null;
    const owner = admin ?? (session.account as Row | null);
    if (admin) {
      admin.isTopLevel = TENANT_LOOKUP_SESSION
        ? Boolean((await q(SQL.tenantIn(1), [admin.tenantId, 0]))[0]?.isTopLevel)
        : admin.tenantId === TOP_LEVEL_TENANT_ID;
    }
    if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) throw new HttpishError(403, 'Invalid or expired session key');
    if (session.kind !== 'admin' || !admin || !owner || (username !== '' && username !== owner.username)) {
      throw new HttpishError(403, 'Invalid or expired session key');
    }
    if (Date.now() - session.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      const now = new Date();
      await q(SQL.sessionTouch, [now, new Date(now.getTime() + SESSION_TIMEOUT_MS), session.id]);
    }
    return { tenantId: admin.tenantId, isTopLevel: Boolean(admin.isTopLevel) };
  }
  if (authType !== 'Password') throw new HttpishError(400, `Unsupported AuthType '${authType}'`);
  if (username === '') throw new HttpishError(403, 'Authentication failed');
  // Halley's texts (lib/auth/session.ts, lib/auth/login-protection.ts), in its order: the admin, then the lockout.
  const [admin] = await q(ADMIN_BY_USERNAME_SQL, [username]);
  const [locked] = await q(LOCKOUT_READ_SQL, [loginSubject(username, '127.0.0.1')]);
  if (locked?.lockedUntil && locked.lockedUntil.getTime() > Date.now()) throw new HttpishError(403, 'locked out');
  if (!admin) throw new HttpishError(403, 'Authentication failed');
  const isTopLevel = TENANT_LOOKUP_PASSWORD
    ? Boolean((await q(SQL.tenantById, [admin.tenantId, 0]))[0]?.isTopLevel)
    : admin.tenantId === TOP_LEVEL_TENANT_ID;
  if (!admin.allowPasswordLogin || !(await verifyPassword(admin.passwordHash, form.get('Password') ?? ''))) {
    throw new HttpishError(403, 'Authentication failed');
  }
  if (admin.allowPasswordAndTotpLogin && admin.totpSecret) throw new HttpishError(403, 'the baseline does not do TOTP');
  return { tenantId: admin.tenantId, isTopLevel };
}

function profileInput(a: Row): RowsToProfileInput {
  return {
    account: a as never,
    organizationId: wireOrganizationId(a.tenantId),
    devices: a.devices,
    vaults: a.vaults,
    items: a.items,
    rules: a.rules,
  };
}

function toProfile(a: Row): Record<string, unknown> {
  return rowsToProfile(profileInput(a));
}

async function getUserProfile(form: URLSearchParams, t: Timing, admin: AuthedAdmin): Promise<unknown> {
  topLevelOnly(admin);
  const target = form.get('TargetUser');
  if (target === null) throw new HttpishError(400, "Missing required parameter 'TargetUser'");
  let s = performance.now();
  // Halley's one statement (lib/users/find-account.ts readVisibleAccount), built by Halley's own function.
  const lookup = accountByUsernameQuery({ scope: {}, username: target });
  const [account] = await q(lookup.text, lookup.values);
  if (!account) throw new HttpishError(404, `User '${target.slice(0, 255)}' was not found`);
  t.db = performance.now() - s;
  s = performance.now();
  const profile = toProfile(account);
  t.map = performance.now() - s;
  return profile;
}


/**
 * AdminListUsersFull as Halley answers it: keyset batches of accounts with their children (the same statement,
 * lib/users/account-batch-query.ts), each batch's
 * profiles encoded and written as soon as it is read, with back-pressure; chunked, uncompressed. Halley's
 * entries for array-index usernames come first; the bench has none (the baseline refuses them).
 */
async function listUsersFull(_form: URLSearchParams, t: Timing, admin: AuthedAdmin, res?: ServerResponse): Promise<unknown> {
  topLevelOnly(admin);
  if (!res) throw new HttpishError(500, 'listUsersFull writes its own answer');
  let s = performance.now();
  if ((await q(SQL.arrayIndexUsernames, [])).length) throw new HttpishError(500, 'the baseline does not serve array-index usernames');
  const batchOf = (after?: string) => {
    const b = accountBatchQuery({ scope: {}, after, limit: PROFILE_BATCH });
    return q(b.text, b.values);
  };
  let rows = await batchOf();
  t.db += performance.now() - s;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  let first = true;
  for (;;) {
    s = performance.now();
    let chunk = first ? '{' : '';
    for (const a of rows) {
      // Halley's text encoding of a listed profile (lib/users/stream-user-profiles.ts), so that only the transport differs.
      chunk += `${first ? '' : ','}${JSON.stringify(a.username)}:${rowsToProfileJson(profileInput(a))}`;
      first = false;
    }
    t.map += performance.now() - s;
    if (chunk && !res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    if (rows.length < PROFILE_BATCH) break;
    s = performance.now();
    rows = await batchOf(rows[rows.length - 1].username);
    t.db += performance.now() - s;
  }
  res.end(first ? '{}' : '}');
  return STREAMED;
}

/** What a route returns when it wrote its answer itself. */
const STREAMED = Symbol('streamed');

function topLevelOnly(admin: AuthedAdmin): void {
  if (!admin.isTopLevel) throw new HttpishError(403, 'the baseline serves profiles to top-level admins only');
}

/**
 * AdminGetJobsForCustomSearch with Halley's paging: the SQL comes from lib/backup-jobs/job-query.ts (the
 * builder Halley uses), the rows are mapped by lib/backup-jobs/job-row.ts; scope as lib/tenancy does it.
 */
async function getJobsForCustomSearch(form: URLSearchParams, t: Timing, admin: AuthedAdmin): Promise<unknown> {
  const query = JSON.parse(form.get('Query') ?? 'null');
  const limit = form.get('Limit');
  const page = limit === null ? undefined : { limit: Number(limit), cursor: form.get('Cursor') || undefined };
  const scope = admin.isTopLevel ? {} : { tenantId: admin.tenantId };
  let s = performance.now();
  const q = buildJobListQuery({ scope, filter: { kind: 'search', clause: query }, page, now: Math.floor(Date.now() / 1000) });
  const result = pageOf((await pool.query(q.text, q.values)).rows as JobWireRow[], page);
  t.db = performance.now() - s;
  s = performance.now();
  const jobs = result.rows.map(jobRowToWire);
  t.map = performance.now() - s;
  return { jobs, nextCursor: result.nextCursor };
}

type Route = (form: URLSearchParams, t: Timing, admin: AuthedAdmin, res?: ServerResponse) => Promise<unknown>;

const ROUTES: Record<string, Route> = {
  '/get-user-profile': getUserProfile,
  '/list-users-full': listUsersFull,
  '/api/v1/admin/get-jobs-for-custom-search': getJobsForCustomSearch,
  // The same paths as Halley's, so the load generator can use one path for both servers.
  '/api/v1/admin/get-user-profile': getUserProfile,
  '/api/v1/admin/list-users-full': listUsersFull,
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024 * 1024) {
        reject(new HttpishError(413, 'Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, body: string, timing?: Timing, extra: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = {
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  };
  if (timing) {
    headers['server-timing'] = Object.entries(timing)
      .map(([k, v]) => `${k};dur=${v.toFixed(2)}`)
      .join(', ');
  }
  res.writeHead(200, headers);
  res.end(body);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
  if (path === '/health') return send(res, '{"ok":true}');
  const route = ROUTES[path];
  void (async () => {
    const t: Timing = { auth: 0, db: 0, map: 0, json: 0 };
    try {
      if (!route) throw new HttpishError(404, `Unknown API endpoint '${path.slice(0, 200)}'`);
      if (req.method !== 'POST') throw new HttpishError(405, 'Method not allowed');
      const form = new URLSearchParams(await readBody(req));
      let s = performance.now();
      const admin = await authenticateAdmin(form);
      t.auth = performance.now() - s;
      let result = await route(form, t, admin, res);
      if (result === STREAMED) return;
      const extra: Record<string, string> = {};
      if (route === getJobsForCustomSearch) {
        const r = result as { jobs: unknown[]; nextCursor?: string };
        if (r.nextCursor) extra[NEXT_CURSOR_HEADER] = r.nextCursor;
        result = r.jobs;
      }
      s = performance.now();
      const text = JSON.stringify(result);
      t.json = performance.now() - s;
      send(res, text, t, extra);
    } catch (err) {
      const status = err instanceof HttpishError ? err.status : 500;
      if (status === 500) console.error(err);
      if (res.headersSent) return void res.destroy(); // failed mid-stream: the client sees a cut answer
      send(res, JSON.stringify({ Status: status, Message: (err as Error).message }));
    }
  })();
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, HOST, () => console.log(`baseline listening on http://${HOST}:${PORT}`));

const stop = () => {
  server.close(() => void pool.end().finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
