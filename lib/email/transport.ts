// Sending through nodemailer. One pooled SMTP transport per distinct server configuration, reused by every
// send of this process (a report run sends hundreds of messages; a fresh TCP + TLS + AUTH per message
// would dominate the cost), closed after a minute without use.
//
// Every connection goes through the outbound guard (lib/net): the SMTP host is resolved once, every
// address checked (private targets only with the switch on), and nodemailer gets the socket connected to
// that checked address (its getSocket option), with the configured host as TLS servername. Every send is
// bounded: connect, greeting and socket time-outs, at most one re-queue when a connection closes under a
// message (nodemailer's pool re-queues forever by default), and an overall deadline
// (HALLEY_SMTP_TIMEOUT_SECONDS). Failures come back as SmtpUnreachableError (a temporary failure, so
// report deliveries retry it) or, for a refused target, TargetRefusedSmtpError (permanent).
import { createHash } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { env } from '../env';
import { BadRequestError } from '../errors';
import { log } from '../log';
import { countEmailSend } from '../metrics/series';
import { connectGuarded } from '../net/connect-guarded';
import { isTargetRefused } from '../net/outbound-guard';
import { withPrivateTargets } from '../net/private-targets';
import type { DeliverySettings } from './delivery-from';
import { apiMessage, apiMessageWithEnglish, type ApiMessage } from '../i18n/api-messages';

export type OutgoingMessage = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable Message-ID (without brackets), so a receiver can recognise a resend. */
  messageId?: string;
  headers?: Record<string, string>;
};

type Pooled = { transport: Transporter; timer: NodeJS.Timeout };
const pools = new Map<string, Pooled>();
const IDLE_MS = 60_000;

export class EmailDisabledError extends BadRequestError {
  constructor() {
    super(apiMessage('emailDeliveryDisabled'));
  }
}

/** The SMTP host is one the outbound guard refuses (permanent: retrying changes nothing). */
export class TargetRefusedSmtpError extends BadRequestError {}

/** The SMTP server could not be reached, closed the connection or did not answer in time (temporary). */
export class SmtpUnreachableError extends Error {
  readonly code = 'HALLEY_SMTP_UNREACHABLE';
  /** The message from the "api" catalogue (`message` is its English). */
  readonly translatable: ApiMessage;
  constructor(message: ApiMessage) {
    super(message.text);
    this.translatable = message;
  }
}

/**
 * Why a send failed, for an answer in the caller's language: the catalogue's sentence for a connection failure,
 * and for an SMTP answer (refused sign-in, sender or recipient) a sentence around the server's own reply. English
 * stays the error's own message.
 */
export function smtpFailureMessage(err: unknown): ApiMessage | string {
  const e = err as { translatable?: ApiMessage; message?: string; responseCode?: unknown; response?: unknown; code?: unknown } | null;
  if (e?.translatable) return e.translatable;
  const english = String(e?.message ?? err);
  if (typeof e?.responseCode !== 'number') return english;
  const kind = e.code === 'EAUTH' ? 'auth' : e.code === 'EENVELOPE' ? 'envelope' : e.code === 'EMESSAGE' ? 'message' : 'other';
  const reply = String(e.response ?? english).slice(0, 500);
  return apiMessageWithEnglish('smtpReplied', { kind, reply }, english);
}

const CONNECT_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;

function smtpTimeoutMs(): number {
  return env().HALLEY_SMTP_TIMEOUT_SECONDS * 1000;
}

/** nodemailer's getSocket: a plain TCP socket to a checked address (nodemailer adds TLS with the servername). */
function guardedSocket(settings: DeliverySettings, allowPrivate: boolean) {
  return (_options: unknown, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void): void => {
    connectGuarded({ host: settings.host, port: settings.port, allowPrivate, timeoutMs: Math.min(CONNECT_TIMEOUT_MS, smtpTimeoutMs()), what: 'SMTP server' })
      .then(
        (connection) => callback(null, { connection }),
        (err: Error) => callback(err),
      );
  };
}

// Pools are kept separately for "private targets allowed", so a connection opened while they were
// allowed is never reused once they are not.
function poolKey(settings: DeliverySettings, allowPrivate: boolean): string {
  return createHash('sha256').update(JSON.stringify({ ...settings, fromEmail: '', fromName: '', allowPrivate })).digest('base64url');
}

function dropTransport(key: string): void {
  const p = pools.get(key);
  if (!p) return;
  clearTimeout(p.timer);
  pools.delete(key);
  p.transport.close();
}

function transportFor(settings: DeliverySettings, key: string, allowPrivate: boolean): Transporter {
  let pooled = pools.get(key);
  if (!pooled) {
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 4,
      host: settings.host,
      port: settings.port,
      secure: settings.mode === 'smtp-ssl',
      // Plain "smtp" upgrades with STARTTLS; it may stay unencrypted only when the options allow it.
      requireTLS: settings.mode === 'smtp' && !settings.allowUnencrypted,
      ignoreTLS: false,
      auth: settings.username ? { user: settings.username, pass: settings.password } : undefined,
      tls: { rejectUnauthorized: !settings.allowInvalidCertificate },
      name: settings.customEhlo || undefined,
      // SNI and certificate checks name the configured host, while the socket goes to the checked address.
      servername: isIP(settings.host) ? undefined : settings.host,
      getSocket: guardedSocket(settings, allowPrivate),
      connectionTimeout: Math.min(CONNECT_TIMEOUT_MS, smtpTimeoutMs()),
      greetingTimeout: Math.min(GREETING_TIMEOUT_MS, smtpTimeoutMs()),
      socketTimeout: smtpTimeoutMs(),
      // A connection that closes under a message re-queues it once (an idle pooled connection the server
      // dropped), not forever (a server that accepts and drops every connection).
      maxRequeues: 1,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    pooled = { transport, timer: setTimeout(() => undefined, 0) };
    pools.set(key, pooled);
  }
  clearTimeout(pooled.timer);
  const entry = pooled;
  entry.timer = setTimeout(() => {
    pools.delete(key);
    entry.transport.close();
  }, IDLE_MS);
  entry.timer.unref();
  return entry.transport;
}

export function formatFrom(settings: DeliverySettings): string {
  if (!settings.fromEmail) throw new BadRequestError(apiMessage('noSenderAddress'));
  return settings.fromName ? `"${settings.fromName.replace(/["\\]/g, '')}" <${settings.fromEmail}>` : settings.fromEmail;
}

function serverName(settings: DeliverySettings): string {
  return `${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`;
}

/** A clear sentence for a connection-level failure; SMTP answers (auth, rejected recipient) pass unchanged. */
function translateError(settings: DeliverySettings, err: unknown): Error {
  if (isTargetRefused(err)) return new TargetRefusedSmtpError((err as { translatable?: ApiMessage }).translatable ?? (err as Error).message);
  const e = err as NodeJS.ErrnoException & { responseCode?: number; command?: string };
  if (typeof e?.responseCode === 'number') return e;
  const text = String(e?.message ?? err);
  const server = serverName(settings);
  const seconds = String(Math.round(Math.min(GREETING_TIMEOUT_MS, smtpTimeoutMs()) / 1000));
  if (/greeting/i.test(text)) return new SmtpUnreachableError(apiMessage('smtpNoGreeting', { server, seconds }));
  if (e?.code === 'ETIMEDOUT' || /timeout|too long/i.test(text)) return new SmtpUnreachableError(apiMessage('smtpNoAnswer', { server, seconds, detail: text }));
  if (e?.code === 'ECONNREFUSED') return new SmtpUnreachableError(apiMessage('smtpConnectionRefused', { server }));
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN' || e?.code === 'EDNS') return new SmtpUnreachableError(apiMessage('smtpHostUnresolved', { server, code: e.code }));
  if (/closed|ECONNRESET|EPIPE|retries after connection/i.test(`${text} ${e?.code ?? ''}`)) return new SmtpUnreachableError(apiMessage('smtpConnectionClosed', { server, detail: text }));
  return new SmtpUnreachableError(apiMessage('smtpFailed', { server, detail: text }));
}

/**
 * Refuses settings that can't send at all (delivery switched off, no SMTP server, no sender), before
 * anything is attempted or logged.
 */
export function assertSendable(settings: DeliverySettings): void {
  if (settings.mode === 'disabled') throw new EmailDisabledError();
  if (!settings.host) throw new BadRequestError(apiMessage('noSmtpServer'));
  formatFrom(settings);
}

/** Sends one message; resolves with the server's answer, rejects with the SMTP error (bounded in time). */
export async function sendEmail(settings: DeliverySettings, message: OutgoingMessage): Promise<{ messageId: string; response: string }> {
  assertSendable(settings);
  try {
    return await countEmailSend(withPrivateTargets((allowPrivate) => sendBounded(settings, message, allowPrivate)));
  } catch (err) {
    const translated = translateError(settings, err);
    if (translated !== err) log.warn({ smtp: serverName(settings), err: (err as Error)?.message }, 'SMTP send failed');
    throw translated;
  }
}

/** One send through the pool of (settings, allowPrivate), rejected after HALLEY_SMTP_TIMEOUT_SECONDS. */
async function sendBounded(settings: DeliverySettings, message: OutgoingMessage, allowPrivate: boolean): Promise<{ messageId: string; response: string }> {
  const key = poolKey(settings, allowPrivate);
  const limitMs = smtpTimeoutMs();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // The pool may still hold the message: closing it drops the message and its connections.
      dropTransport(key);
      reject(new SmtpUnreachableError(apiMessage('smtpDeadline', { server: serverName(settings), seconds: String(Math.round(limitMs / 1000)) })));
    }, limitMs);
  });
  try {
    return await Promise.race([deliver(transportFor(settings, key, allowPrivate), settings, message), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function deliver(transport: Transporter, settings: DeliverySettings, message: OutgoingMessage): Promise<{ messageId: string; response: string }> {
  const info = await transport.sendMail({
    from: formatFrom(settings),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId ? `<${message.messageId}>` : undefined,
    // Base64 is encoded natively; letting nodemailer pick (it scans the text for QP) costs more than the send.
    textEncoding: 'base64',
    headers: { 'Auto-Submitted': 'auto-generated', ...(message.headers ?? {}) },
  });
  return { messageId: String(info.messageId ?? ''), response: String(info.response ?? '') };
}

/** Closes every pooled connection (workers shutdown, benchmarks). */
export function closeTransports(): void {
  for (const key of [...pools.keys()]) dropTransport(key);
}
