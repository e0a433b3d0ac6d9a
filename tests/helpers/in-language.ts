// The wire-fidelity tests' calls in a given language (Accept-Language), and a loopback port nothing listens on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { encodeForm, type CometClient, type ParamValue } from './comet-client';

const ACCEPT = { de: 'de-DE,de;q=0.9,en;q=0.5', es: 'es-ES,es;q=0.9', he: 'he-IL,he;q=0.8', ru: 'ru-RU,ru;q=0.9', ja: 'ja-JP,ja;q=0.9' } as const;
export type Lang = keyof typeof ACCEPT | 'en';

/** The Accept-Language header of `lang` (none for English, the default). */
export function acceptLanguage(lang: Lang): Record<string, string> {
  return lang === 'en' ? {} : { 'accept-language': ACCEPT[lang] };
}

/** One call in `lang`: the decoded body, whatever its Status (the HTTP line is 200, as Comet answers). */
export async function callIn(by: CometClient, lang: Lang, apiPath: string, params: Record<string, ParamValue> = {}): Promise<any> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...acceptLanguage(lang) };
  const r = await by.raw(apiPath, { method: 'POST', headers, body: encodeForm(by.creds, params, by.style).toString() });
  expect(r.http, r.text).toBe(200);
  return r.body;
}

/** A 127.0.0.1 port nothing listens on (refused at once). */
export async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
