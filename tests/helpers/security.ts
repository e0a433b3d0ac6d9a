// Helpers for the admin-security tests: a fresh admin, TOTP codes, the event rows of the test
// database, and API calls made from another loopback address (127.0.0.2) to test IP allow-lists.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { generate } from 'otplib';
import pg from 'pg';
import { encodeForm, type CallResult, type Creds, type ParamValue } from './comet-client';
import { client, rootClient, uniq } from './fixtures';
import { halleyUrl } from './server';

/** A new top-level admin (own name and password, no permissions) and a client for it. */
export async function makeAdmin(label = 'sec'): Promise<{ username: string; password: string }> {
  const root = await rootClient();
  const username = uniq(label);
  const password = `pw-${randomBytes(6).toString('hex')}`;
  await root.ok('/api/v1/admin/admin-user/new', { TargetUser: username, TargetPassword: password });
  return { username, password };
}

export function totpCode(secret: string, epochSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return generate({ secret, epoch: epochSeconds });
}

/** Switches TOTP on for an admin; returns the secret and recovery codes. */
export async function enableTotp(creds: { username: string; password: string }): Promise<{ secret: string; recoveryCodes: string[] }> {
  const c = client(creds);
  const regen = await c.ok('/api/v1/admin/account/regenerate-totp');
  const done = await c.ok('/api/v1/admin/account/validate-totp', { TOTPCode: await totpCode(regen.Secret) });
  return { secret: regen.Secret, recoveryCodes: done.RecoveryCodes };
}

let pool: pg.Pool | undefined;
export async function eventsFor(resourceId: string, type: number): Promise<Array<{ actor: string; data: any; tenantId: string }>> {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const r = await pool.query('SELECT actor, data, "tenantId" FROM "Event" WHERE "resourceId" = $1 AND type = $2 ORDER BY id', [resourceId, type]);
  return r.rows;
}

export async function sql<R extends pg.QueryResultRow = any>(text: string, params: unknown[] = []): Promise<R[]> {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  return (await pool.query<R>(text, params)).rows;
}

/** POSTs a Comet form from a chosen local address (any 127.x.y.z reaches the loopback server). */
export function callFrom(localAddress: string, path: string, creds: Creds | null, params: Record<string, ParamValue> = {}, headers: Record<string, string> = {}): Promise<CallResult> {
  const url = new URL(path, halleyUrl());
  const body = encodeForm(creds, params).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ http: res.statusCode ?? 0, body: parsed, text, headers: new Headers() });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
