// Optional OpenTelemetry traces (issue 21): off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) names an OTLP/HTTP collector. Then every API call and every background
// job is a span (endpoint, Comet status, tenant id, request id / queue, job name, outcome; never a parameter,
// so never a secret), batched and exported in the background. Until startTracing runs, @opentelemetry/api's
// tracer is a no-op: the spans below cost a function call.
//
// The collector's address comes from configuration, so the exporter connects through the outbound guard
// (lib/net): its host is resolved and checked once per connection, and a loopback or private collector needs
// private targets switched on (HALLEY_ALLOW_PRIVATE_TARGETS or meta/webhook-settings/set), read at start.
import http from 'node:http';
import https from 'node:https';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { env } from '../env';
import { log } from '../log';
import { guardedLookup, literalRefusal, urlHost } from '../net/outbound-guard';
import { allowPrivateTargets } from '../net/private-targets';

const TRACER = 'halley';
let shutdown: (() => Promise<void>) | undefined;

/** The collector's traces URL: the signal-specific variable as given, else the base URL + /v1/traces. */
export function tracesUrl(base: string | undefined, traces: string | undefined): URL | null {
  if (traces) return new URL(traces);
  if (!base) return null;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url;
}

/**
 * Starts exporting spans of this process (role: web or workers) when a collector is configured; logs why
 * not when its address is refused. Idempotent.
 */
export async function startTracing(role: string): Promise<void> {
  if (shutdown) return;
  const config = env();
  const url = tracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (!url) return;
  const allowPrivate = await allowPrivateTargets().catch(() => false);
  const refused = literalRefusal(urlHost(url), allowPrivate, 'OpenTelemetry collector');
  if (refused) {
    log.error({ collector: url.origin }, `traces not exported: ${refused}`);
    return;
  }
  // Loaded only when traces are on: the SDK is not on the path of a server that does not export.
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, semconv] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const lookup = guardedLookup(allowPrivate, 'OpenTelemetry collector');
  const exporter = new OTLPTraceExporter({
    url: url.href,
    timeoutMillis: 10_000,
    httpAgentOptions: (protocol: string) => (protocol === 'https:' ? new https.Agent({ keepAlive: true, lookup }) : new http.Agent({ keepAlive: true, lookup })),
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [semconv.ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME,
      'halley.role': role,
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY })],
  });
  provider.register();
  shutdown = () => provider.shutdown();
  log.info({ collector: url.origin, role }, 'exporting OpenTelemetry traces');
}

/** Flushes the spans still buffered (at shutdown; bounded by the exporter's timeout). */
export async function stopTracing(): Promise<void> {
  await shutdown?.().catch((err) => log.warn({ err: (err as Error).message }, 'could not flush traces'));
}

/**
 * Runs `fn` inside a new active span (its children, e.g. a job's queries or an API call's nested work, hang
 * under it); an error marks the span and passes through. `fn` may add attributes at the end.
 */
export function inSpan<T>(name: string, kind: 'server' | 'consumer' | 'internal', attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  const spanKind = kind === 'server' ? SpanKind.SERVER : kind === 'consumer' ? SpanKind.CONSUMER : SpanKind.INTERNAL;
  return trace.getTracer(TRACER).startActiveSpan(name, { kind: spanKind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message?.slice(0, 200) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Adds attributes to the span of the current API call or job (no-op outside one or with traces off). */
export function annotateSpan(attributes: Attributes): void {
  trace.getSpan(context.active())?.setAttributes(attributes);
}

/** The current span's trace id, for log lines (undefined with traces off). */
export function currentTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}
