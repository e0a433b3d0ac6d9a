// Typed environment, validated once at boot. Nothing else in the code base reads process.env
// for configuration: import `env` from here so a bad setting fails fast with a readable message.
import { z } from 'zod';

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8060),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  HALLEY_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes); `npm start` creates one in data/secret.key'),
  HALLEY_SESSION_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(1800),
  HALLEY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  HALLEY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Behind a reverse proxy: take the client address from the last X-Forwarded-For entry (the one the proxy added). */
  HALLEY_TRUST_X_FORWARDED_FOR: z
    .enum(['1', '0', 'true', 'false'])
    .default('false')
    .transform((v) => v === '1' || v === 'true'),
  /** Websocket ping interval of device connections; a silent device is dropped within two intervals. */
  HALLEY_LIVE_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type TEnv = z.infer<typeof ZEnv>;

function loadEnv(): TEnv {
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid Halley configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: TEnv | undefined;

/** The validated environment (parsed on first use, so `next build` does not need a database). */
export function env(): TEnv {
  cached ??= loadEnv();
  return cached;
}
