// Sending through nodemailer. One pooled SMTP transport per distinct server configuration, reused by every
// send of this process (a report run sends hundreds of messages; a fresh TCP + TLS + AUTH per message
// would dominate the cost), closed after a minute without use.
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { BadRequestError } from '../errors';
import type { DeliverySettings } from './email-options';

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
    super('Email delivery is disabled for this organization (EmailOptions.Mode)');
  }
}

function transportFor(settings: DeliverySettings): Transporter {
  const key = createHash('sha256').update(JSON.stringify({ ...settings, fromEmail: '', fromName: '' })).digest('base64url');
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
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
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
  if (!settings.fromEmail) throw new BadRequestError('No sender address: set EmailOptions.FromEmail for this organization or the server');
  return settings.fromName ? `"${settings.fromName.replace(/["\\]/g, '')}" <${settings.fromEmail}>` : settings.fromEmail;
}

/** Sends one message; resolves with the server's answer, rejects with the SMTP error. */
export async function sendEmail(settings: DeliverySettings, message: OutgoingMessage): Promise<{ messageId: string; response: string }> {
  if (settings.mode === 'disabled') throw new EmailDisabledError();
  if (!settings.host) throw new BadRequestError('No SMTP server is configured (EmailOptions.SMTPHost)');
  const info = await transportFor(settings).sendMail({
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
  for (const [key, p] of pools) {
    clearTimeout(p.timer);
    p.transport.close();
    pools.delete(key);
  }
}
