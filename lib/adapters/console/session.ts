// The signed-in console admin, for server components and server actions. Every console read and write
// goes through the endpoint registry with the admin's Halley session key (AuthType=SessionKey), the
// same path as any API client: tenancy, permissions, IP allow-list and session expiry apply unchanged.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { decode } from 'next-auth/jwt';
import { cache } from 'react';
import { endpointByPath } from '../../api/endpoints';
import { errorBody, newRequestId, runEndpoint, type RequestInfo } from '../../api/handle';
import { authenticate } from '../../auth/authenticate';
import { clientAddressFrom } from '../../auth/client-address';
import { AppError, AuthError } from '../../errors';
import { ApiReply } from '../../api/reply';
import type { ConsolePreferences } from '../../admins/console-preferences';
import type { AdminActor } from '../../tenancy/actor';
import { consoleJwtSecret, SESSION_COOKIE, type ConsoleToken } from './auth-options';
import { requestLocale } from '../i18n/request';
import { localizeApiMessage, type ApiMessage } from '../../i18n/api-messages';
import type { Locale } from '../../i18n/locales';
import { getTranslations } from 'next-intl/server';

/** API messages that name a field and have a field-free wording (namespace "fieldMessages", same key). */
const FIELD_FREE_KEYS = [
  'fieldEmpty',
  'fieldTooLong',
  'fieldNotHttpUrl',
  'fieldNotHttpAddress',
  'fieldNotEmail',
  'fieldNotHost',
  'fieldNotTimeZone',
  'fieldPortRange',
  'usernameInvalid',
  'brandingBadColor',
  'brandingBadUrl',
  'brandingTooLong',
  'selfAddressNotUrl',
  'smtpHostRequired',
  'smtpPortRange',
  'fromNameOneLine',
  'templateLimitPositive',
  'templateRemoteAddressInvalid',
  'templateAddressInvalid',
  'adminExists',
  'sharedQuotaIdInvalid',
  'sharedQuotaLimitInvalid',
  'psaGenericUrlEmpty',
  'psaPartnerKeyEmpty',
  'psaPartnerKeyInvalid',
  'psaSyncroTargetInvalid',
  'psaSyncroUrlEmpty',
  'headerNameInvalid',
  'headerReserved',
  'headerValueInvalid',
  'constellationRemoteAddressInvalid',
  'constellationServerFieldsTooLong',
  'constellationUsernameEmpty',
  'totpCodeFormat',
  'recipientsNotEmail',
  'reportFrequencyUnschedulable',
  'fieldIntRange',
  'fieldNotOneOf',
  'fieldNotRegex',
  'emailBuiltinUseSmtp',
  'emailModeUnknown',
  'emailInheritAtTop',
] as const;
type FieldFreeKey = (typeof FIELD_FREE_KEYS)[number];

/** The console cookie's content, or null (no cookie, tampered, or from another server key). */
export const consoleToken = cache(async (): Promise<ConsoleToken | null> => {
  const raw = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!raw) return null;
  try {
    const token = await decode({ token: raw, secret: consoleJwtSecret() });
    if (!token || typeof token.sessionKey !== 'string' || typeof token.username !== 'string') return null;
    return { username: token.username, sessionKey: token.sessionKey };
  } catch {
    return null;
  }
});

async function requestInfo(requestId = newRequestId(null)): Promise<RequestInfo> {
  const h = await headers();
  // The UI language: messages inside an answer (e.g. webhook Warnings) come back in it.
  return { ip: clientAddressFrom(h), host: h.get('host') ?? '', userAgent: h.get('user-agent') ?? 'console', requestId, locale: await requestLocale() };
}

function credentials(token: ConsoleToken): URLSearchParams {
  return new URLSearchParams({ Username: token.username, AuthType: 'SessionKey', SessionKey: token.sessionKey });
}

/** The admin behind this request, or null when signed out or the Halley session has ended. */
export const currentAdmin = cache(async (): Promise<AdminActor | null> => {
  const token = await consoleToken();
  if (!token) return null;
  try {
    const info = await requestInfo();
    const actor = await authenticate(credentials(token), 'admin', { ip: info.ip, host: info.host });
    return actor.kind === 'admin' ? actor : null;
  } catch (err) {
    if (err instanceof AuthError) return null;
    throw err;
  }
});

/** For pages: the admin, or a redirect to the sign-in page. */
export async function requireAdmin(): Promise<AdminActor> {
  const admin = await currentAdmin();
  if (!admin) redirect((await consoleToken()) ? '/login?expired=1' : '/login');
  return admin;
}

/** Parameters as Comet sends them: strings, or JSON for objects. Undefined values are left out. */
type CallParams = Record<string, string | number | boolean | object | undefined>;

function encode(params: CallParams, form: URLSearchParams): URLSearchParams {
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    form.set(k, typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return form;
}

async function run<T>(path: string, params: CallParams, requestId?: string): Promise<T> {
  const endpoint = endpointByPath(path);
  if (!endpoint) throw new Error(`console calls an unknown endpoint ${path}`);
  const token = await consoleToken();
  if (!token) redirect('/login?expired=1');
  return (await runEndpoint(endpoint, encode(params, credentials(token)), await requestInfo(requestId))) as T;
}

/**
 * The value of an answer: a streamed JSON answer (list-users-full, job lists without Limit: ApiReply.jsonStream) is
 * read whole here, since a page renders it whole anyway; other replies carry their body.
 */
async function replyValue(res: unknown): Promise<unknown> {
  if (!(res instanceof ApiReply)) return res;
  if (res.contentType !== 'json-stream') return res.body;
  let text = '';
  for await (const chunk of res.body as AsyncIterable<string>) text += chunk;
  return JSON.parse(text);
}

/** For server components: the endpoint's answer with its extra response headers (e.g. the next-page cursor). */
export async function apiWithHeaders<T>(path: string, params: CallParams = {}): Promise<{ data: T; headers: Readonly<Record<string, string>> }> {
  try {
    const res = await run<unknown>(path, params);
    return { data: (await replyValue(res)) as T, headers: res instanceof ApiReply ? res.headers : {} };
  } catch (err) {
    if (err instanceof AuthError && /session/i.test(err.message)) redirect('/login?expired=1');
    throw err;
  }
}

/** For server components: the endpoint's answer; an ended session redirects to sign-in, other errors throw. */
export async function api<T>(path: string, params: CallParams = {}): Promise<T> {
  return (await apiWithHeaders<T>(path, params)).data;
}

/**
 * `messageKey`: the catalogue key of a translatable error, and `messageField`: the API field it names (its `field`
 * value, e.g. "SelfBackup.Targets[0].Location.S3Server"), so a form can show it next to the input it concerns;
 * `messageDetail`: the reason inside a message about a field ("<field> refused: <reason>"), in the UI language, to
 * show next to the input without the API's field name; `messageFieldFree`: the whole message without the API's field
 * name (fieldMessages), for a form that has no wording of its own for that input.
 */
export type ActionResult<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; message: string; requestId?: string; status?: number; messageKey?: string; messageField?: string; messageDetail?: string; messageFieldFree?: string };

/**
 * The API field a translatable error names and the reason inside it, if any (the cause or reason it wraps), and
 * the message's field-free wording (namespace "fieldMessages": the same catalogue key without the API's field name).
 */
async function messageParts(err: unknown, locale: Locale): Promise<{ messageField?: string; messageDetail?: string; messageFieldFree?: string }> {
  const translatable = err instanceof AppError ? err.translatable : undefined;
  if (!translatable) return {};
  const { key, values } = translatable;
  // Shown on its own next to an input, a text starts as a sentence does.
  const sentence = (text: string) => (text ? text.charAt(0).toLocaleUpperCase(locale) + text.slice(1) : undefined);
  let messageFieldFree: string | undefined = undefined;
  if ((FIELD_FREE_KEYS as readonly string[]).includes(key)) {
    // The request's own locale (lib/adapters/i18n/request.ts), the one `locale` above is.
    const fieldFree = await getTranslations('fieldMessages');
    const flat = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'object' && v ? localizeApiMessage(v as ApiMessage, locale) : (v as string | number)]));
    messageFieldFree = sentence(fieldFree(`${key}` as FieldFreeKey, flat));
  }
  const field = typeof values.field === 'string' ? values.field : typeof values.where === 'string' ? values.where : undefined;
  if (!field) return { messageFieldFree };
  const inner = values.cause ?? values.reason;
  const text = inner === undefined ? '' : typeof inner === 'object' ? localizeApiMessage(inner as ApiMessage, locale) : String(inner);
  return { messageField: field, messageDetail: sentence(text), messageFieldFree };
}

/** For server actions: never throws (except the sign-in redirect); internal errors carry the request id. */
export async function apiAction<T>(path: string, params: CallParams = {}): Promise<ActionResult<T>> {
  const requestId = newRequestId(null);
  try {
    const res = await run<unknown>(path, params, requestId);
    return { ok: true, data: (await replyValue(res)) as T };
  } catch (err) {
    if (err instanceof AuthError && /session/i.test(err.message)) redirect('/login?expired=1');
    if (err && typeof err === 'object' && 'digest' in err && String((err as { digest: unknown }).digest).startsWith('NEXT_')) throw err;
    const locale = await requestLocale();
    const body = errorBody(err, requestId, path, locale);
    return { ok: false, message: body.Message, status: body.Status, requestId: err instanceof AppError ? undefined : requestId, messageKey: err instanceof AppError ? err.translatable?.key : undefined, ...(await messageParts(err, locale)) };
  }
}

/** The admin's console preferences, read once per request (the layout and the page both need them). */
export const consolePreferences = cache(() => api<ConsolePreferences>('/api/v1/admin/account/console-preferences/get'));
