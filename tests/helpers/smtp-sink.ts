// A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it accepts, parsed with
// mailparser, for tests and benchmarks. No TLS (the options under test set SMTPAllowUnencrypted); AUTH
// is checked when `credentials` are given; `failNext(recipient, n)` answers the next n messages to that
// recipient with a temporary 451 error (to exercise retries).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SinkMessage = { envelopeFrom: string; envelopeTo: string[]; raw: Buffer; mail: ParsedMail };

export type SmtpSink = {
  port: number;
  messages: SinkMessage[];
  /** Messages accepted so far (counted before parsing; cheap, for benchmarks). */
  accepted: () => number;
  failNext: (recipient: string, count: number) => void;
  /** Polls until a message matching `pred` has arrived (the test's own timeout bounds the wait). */
  waitFor: (pred: (m: SinkMessage) => boolean, pollMs?: number) => Promise<SinkMessage>;
  close: () => Promise<void>;
};

export async function startSmtpSink(opts: { credentials?: { username: string; password: string }; parse?: boolean } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const failures = new Map<string, number>();
  let accepted = 0;
  const parse = opts.parse ?? true;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: !opts.credentials,
    logger: false,
    // Senders keep pooled connections open; don't wait for them on close.
    closeTimeout: 200,
    size: 50 * 1024 * 1024,
    onAuth(auth, _session, done) {
      if (opts.credentials && auth.username === opts.credentials.username && auth.password === opts.credentials.password) return done(null, { user: auth.username });
      done(new Error('Invalid username or password'));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        for (const rcpt of to) {
          const left = failures.get(rcpt) ?? 0;
          if (left > 0) {
            failures.set(rcpt, left - 1);
            const err = new Error('451 Sink says: try again later') as Error & { responseCode?: number };
            err.responseCode = 451;
            return done(err);
          }
        }
        accepted++;
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        if (!parse) return done();
        simpleParser(raw)
          .then((mail) => {
            messages.push({ envelopeFrom, envelopeTo: to, raw, mail });
            done();
          })
          .catch((err: Error) => done(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    accepted: () => accepted,
    failNext: (recipient, count) => failures.set(recipient, count),
    async waitFor(pred, pollMs = 100) {
      for (;;) {
        const hit = messages.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
