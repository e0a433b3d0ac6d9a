// What every answer must satisfy, whatever was sent: no 5xx (HTTP or Comet body Status), no internals
// (stack frames, Prisma or PostgreSQL text, file paths) in the body, and an answer within a bound.
export const RESPONSE_BOUND_MS = Number(process.env.FUZZ_RESPONSE_BOUND_MS ?? 5_000);

const LEAKS: Array<[RegExp, string]> = [
  [/\bat .*\.(ts|js|mjs|cjs):\d+/, 'a stack frame'],
  [/PrismaClient|prisma\.|Invalid `.*` invocation/, 'Prisma internals'],
  [/invalid input syntax|violates|unsupported Unicode escape|invalid byte sequence|duplicate key value|syntax error at or near/i, 'PostgreSQL error text'],
  [/\bSELECT\s.+\sFROM\b|\bINSERT INTO\b|\bUPDATE\s+"/, 'SQL text'],
  [/node_modules|\/work\/|\.next\/server/, 'a server file path'],
];

export type Answer = { http: number; text: string; body: any; ms: number };

/** Whether the call was refused: HTTP 4xx, or Comet's {Status: 4xx, Message}. */
export function refused(a: Answer): boolean {
  if (a.http >= 400 && a.http < 500) return true;
  return a.body !== null && typeof a.body === 'object' && typeof a.body.Status === 'number' && a.body.Status >= 400 && a.body.Status < 500 && typeof a.body.Message === 'string';
}

/** Problems with one answer (empty when it is fine). */
export function problemsWith(a: Answer): string[] {
  const out: string[] = [];
  if (a.http >= 500) out.push(`HTTP ${a.http}`);
  // BackupJobDetail.Status holds job codes (5000, 6001...): only 500-599 is an error status.
  if (a.body && typeof a.body === 'object' && typeof a.body.Status === 'number' && a.body.Status >= 500 && a.body.Status < 600) out.push(`body Status ${a.body.Status}`);
  for (const [re, what] of LEAKS) if (re.test(a.text)) out.push(`${what} in the body (${re})`);
  if (a.ms > RESPONSE_BOUND_MS) out.push(`answered in ${a.ms} ms (bound ${RESPONSE_BOUND_MS} ms)`);
  return out;
}
