// Renders a report (already collected, see collect-report.ts) into subject, HTML and plain text, in the
// recipient's language and time zone, with the organization's branding. Pure: no I/O, so previews,
// sends and the benchmark share it. Every value that reaches the HTML is escaped; colours are checked.
import { emailLocale, translator, type EmailLocale, type MessageKey, type Translate } from './i18n';
import { safeTimeZone } from './schedule';
import { localeDirection } from '../i18n/locales';

export type Branding = { brandName: string; productName: string; companyName: string; topColor: string; accentColor: string };

export const DEFAULT_BRANDING: Branding = { brandName: 'Halley', productName: 'Halley', companyName: 'Halley', topColor: '#1f2937', accentColor: '#2563eb' };

export type JobLine = {
  guid: string;
  username: string;
  status: number;
  classification: number;
  device: string;
  item: string;
  vault: string;
  start: number;
  end: number;
  uploaded: number;
  downloaded: number;
  totalSize: number;
  files: number;
};

export type GroupLine = { username: string; device: string; item: string; jobs: number; failed: number; lastStatus: number; lastStart: number; uploaded: number };
export type Totals = { jobs: number; succeeded: number; warnings: number; failed: number; running: number };
export type LogLine = { time: number; severity: string; message: string };

export type ReportContent =
  | { kind: 'immediate'; job: JobLine | null; log: LogLine[] }
  | { kind: 'summary' | 'recent' | 'grouped'; period: { start: number; end: number }; totals: Totals; lines: JobLine[]; more: number; groups: GroupLine[] }
  | { kind: 'test' };

export type RenderInput = { content: ReportContent; languageCode: string; timeZone: string; branding: Branding; recipient: string; accountLabel?: string };
export type RenderedEmail = { subject: string; html: string; text: string; locale: EmailLocale };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: string | number) => String(v).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
const COLOR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$/;
const color = (v: string, fallback: string) => (COLOR.test(v.trim()) ? v.trim() : fallback);

export function statusKey(status: number): MessageKey {
  if (status >= 5000 && status <= 5999) return 'status.success';
  if (status >= 6000 && status <= 6999) return 'status.running';
  switch (status) {
    case 7000: return 'status.timeout';
    case 7001: return 'status.warning';
    case 7002: return 'status.error';
    case 7003: return 'status.quota';
    case 7004: return 'status.missed';
    case 7005: return 'status.cancelled';
    case 7006: return 'status.alreadyRunning';
    case 7007: return 'status.abandoned';
    default: return status >= 7000 && status <= 7999 ? 'status.error' : 'status.unknown';
  }
}

function statusClass(status: number): string {
  if (status >= 5000 && status <= 5999) return 'ok';
  if (status >= 6000 && status <= 6999) return 'run';
  if (status === 7001) return 'warn';
  return 'err';
}

// Table styles live in one <style> block (supported by the mail clients that matter) rather than on
// every cell: a 200-row summary stays ~40 KB instead of ~200 KB.
const STYLE = `table.t{border-collapse:collapse;width:100%}
table.t td{padding:4px 8px;border-bottom:1px solid #e5e7eb;font-size:13px;vertical-align:top}
table.t th{padding:4px 8px;border-bottom:2px solid #d1d5db;font-size:12px;text-align:start;color:#374151}
.ok{color:#15803d;font-weight:600}.run{color:#2563eb;font-weight:600}.warn{color:#b45309;font-weight:600}.err{color:#b91c1c;font-weight:600}`;

function typeKey(classification: number): MessageKey {
  if (classification === 4001) return 'type.backup';
  if (classification === 4002) return 'type.restore';
  if (classification === 4003) return 'type.retention';
  return 'type.other';
}

/** Formatting helpers bound to one locale and time zone (built once per rendered email). */
class Fmt {
  private readonly dt: Intl.DateTimeFormat;
  private readonly num: Intl.NumberFormat;
  private readonly dec: Intl.NumberFormat;
  constructor(locale: EmailLocale, readonly timeZone: string) {
    this.dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    this.num = new Intl.NumberFormat(locale);
    this.dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  }
  time(unix: number): string {
    return unix > 0 ? this.dt.format(new Date(unix * 1000)) : '–';
  }
  count(n: number): string {
    return this.num.format(n);
  }
  bytes(n: number): string {
    const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
    let v = n;
    let i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return `${this.dec.format(v)} ${units[i]}`;
  }
  duration(start: number, end: number): string {
    if (!(start > 0 && end >= start)) return '–';
    const s = end - start;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s % 60).padStart(2, '0')}s`;
  }
}

type Ctx = { t: Translate; f: Fmt; b: Branding; top: string; accent: string };

function jobCells(c: Ctx, j: JobLine): Array<[string, string]> {
  return [
    [c.t('label.status'), c.t(statusKey(j.status))],
    [c.t('label.account'), j.username],
    [c.t('label.device'), j.device],
    [c.t('label.protectedItem'), j.item],
    [c.t('label.storageVault'), j.vault],
    [c.t('label.type'), c.t(typeKey(j.classification))],
    [c.t('label.started'), c.f.time(j.start)],
    [c.t('label.ended'), c.f.time(j.end)],
    [c.t('label.duration'), c.f.duration(j.start, j.end)],
    [c.t('label.uploaded'), c.f.bytes(j.uploaded)],
    [c.t('label.downloaded'), c.f.bytes(j.downloaded)],
    [c.t('label.totalSize'), c.f.bytes(j.totalSize)],
    [c.t('label.files'), c.f.count(j.files)],
  ];
}

function table(head: string[], rows: string[][]): string {
  const h = head.map((x) => `<th>${esc(x)}</th>`).join('');
  // Cells arrive escaped (some carry a coloured status span).
  const body = rows.map((r) => `<tr><td>${r.join('</td><td>')}</td></tr>`).join('\n');
  return `<table role="presentation" class="t" cellspacing="0" cellpadding="0">\n<tr>${h}</tr>\n${body}\n</table>`;
}

const statusHtml = (c: Ctx, status: number) => `<span class="${statusClass(status)}">${esc(c.t(statusKey(status)))}</span>`;

function textTable(head: string[], rows: string[][]): string {
  return [head.join(' | '), ...rows.map((r) => r.join(' | '))].join('\n');
}

function renderBody(c: Ctx, content: ReportContent): { title: string; subject: string; html: string; text: string } {
  const brand = c.b.brandName;
  if (content.kind === 'test') {
    const body = c.t('test.body', { brand });
    return { title: c.t('title.test'), subject: c.t('subject.test', { brand }), html: `<p>${esc(body)}</p>`, text: body };
  }
  if (content.kind === 'immediate') {
    const j = content.job;
    if (!j) {
      const none = c.t('summary.none');
      return { title: c.t('title.immediate'), subject: `${brand}: ${c.t('title.immediate')}`, html: `<p>${esc(none)}</p>`, text: none };
    }
    const cells = jobCells(c, j);
    const rows = cells.map(([k, v], i) => `<tr><th style="width:35%">${esc(k)}</th><td>${i === 0 ? statusHtml(c, j.status) : esc(v)}</td></tr>`).join('\n');
    let html = `<table role="presentation" class="t" cellspacing="0" cellpadding="0">\n${rows}\n</table>`;
    let text = cells.map(([k, v]) => `${k}: ${v}`).join('\n');
    if (content.log.length) {
      const lines = content.log.map((l) => [c.f.time(l.time), l.severity, l.message]);
      html += `\n<h3 style="font-size:14px;color:${c.accent};margin:16px 0 4px">${esc(c.t('label.logEntries'))}</h3>\n<pre style="font-size:12px;white-space:pre-wrap;background:#f9fafb;padding:8px">${lines.map((l) => esc(l.join(' '))).join('\n')}</pre>`;
      text += `\n\n${c.t('label.logEntries')}:\n${lines.map((l) => l.join(' ')).join('\n')}`;
    }
    return {
      title: c.t('title.immediate'),
      subject: c.t('subject.immediate', { brand, status: c.t(statusKey(j.status)), device: j.device || j.username, item: j.item || '–' }),
      html,
      text,
    };
  }
  const { period, totals } = content;
  const from = c.f.time(period.start);
  const to = c.f.time(period.end);
  const titleKey: MessageKey = content.kind === 'summary' ? 'title.summary' : content.kind === 'recent' ? 'title.recentActivity' : 'title.groupedStatus';
  const subjectKey: MessageKey = content.kind === 'summary' ? 'subject.summary' : content.kind === 'recent' ? 'subject.recentActivity' : 'subject.groupedStatus';
  const intro = c.t('intro.period', { from, to, timezone: c.f.timeZone });
  const totalsLine = c.t('summary.totals', { jobs: c.f.count(totals.jobs), succeeded: c.f.count(totals.succeeded), warnings: c.f.count(totals.warnings), failed: c.f.count(totals.failed), running: c.f.count(totals.running) });
  let html = `<p>${esc(intro)}</p>\n<p style="font-weight:600">${esc(totalsLine)}</p>`;
  let text = `${intro}\n${totalsLine}`;
  if (totals.jobs === 0) {
    html += `\n<p>${esc(c.t('summary.none'))}</p>`;
    text += `\n\n${c.t('summary.none')}`;
  } else if (content.kind === 'grouped') {
    const head = [c.t('label.account'), c.t('label.device'), c.t('label.protectedItem'), c.t('label.lastJob'), c.t('label.status'), c.t('label.jobs'), c.t('label.uploaded')];
    const raw = content.groups.map((g) => [g.username, g.device, g.item, c.f.time(g.lastStart), c.t(statusKey(g.lastStatus)), `${c.f.count(g.jobs)} (${c.f.count(g.failed)} ✗)`, c.f.bytes(g.uploaded)]);
    html += `\n${table(head, raw.map((r, i) => r.map((x, k) => (k === 4 ? statusHtml(c, content.groups[i].lastStatus) : esc(x)))))}`;
    text += `\n\n${textTable(head, raw)}`;
  } else {
    const head = [c.t('label.status'), c.t('label.account'), c.t('label.device'), c.t('label.protectedItem'), c.t('label.started'), c.t('label.duration'), c.t('label.uploaded'), c.t('label.files')];
    const raw = content.lines.map((j) => [c.t(statusKey(j.status)), j.username, j.device, j.item, c.f.time(j.start), c.f.duration(j.start, j.end), c.f.bytes(j.uploaded), c.f.count(j.files)]);
    html += `\n${table(head, raw.map((r, i) => r.map((x, k) => (k === 0 ? statusHtml(c, content.lines[i].status) : esc(x)))))}`;
    text += `\n\n${textTable(head, raw)}`;
    if (content.more > 0) {
      const more = c.t('summary.more', { count: c.f.count(content.more) });
      html += `\n<p>${esc(more)}</p>`;
      text += `\n${more}`;
    }
  }
  return { title: c.t(titleKey), subject: c.t(subjectKey, { brand, from, to }), html, text };
}

// Intl formatters are costly to build (~1 ms); a report run renders hundreds of emails in a few languages.
const fmtCache = new Map<string, Fmt>();
function fmtFor(locale: EmailLocale, timeZone: string): Fmt {
  const key = `${locale}|${timeZone}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Fmt(locale, timeZone);
    if (fmtCache.size > 500) fmtCache.clear();
    fmtCache.set(key, f);
  }
  return f;
}

export function renderEmail(input: RenderInput): RenderedEmail {
  const locale = emailLocale(input.languageCode);
  const t = translator(locale);
  const b = input.branding;
  const c: Ctx = { t, f: fmtFor(locale, safeTimeZone(input.timeZone)), b, top: color(b.topColor, DEFAULT_BRANDING.topColor), accent: color(b.accentColor, DEFAULT_BRANDING.accentColor) };
  const body = renderBody(c, input.content);
  const account = input.accountLabel ? t('intro.account', { account: input.accountLabel }) : '';
  const company = b.companyName || b.brandName;
  const product = b.productName || b.brandName;
  // "Sent by Acme with Acme." reads oddly: one name when company and product are the same.
  const sentBy = company === product ? t('footer.sentByCompany', { company }) : t('footer.sentBy', { company, product });
  // A preview without a recipient yet has no "why you receive this" line.
  const footer = input.recipient ? [sentBy, t('footer.why', { recipient: input.recipient })] : [sentBy];
  const html = `<!DOCTYPE html>
<html lang="${esc(locale)}"${localeDirection(locale) === 'rtl' ? ' dir="rtl"' : ''}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(body.subject)}</title><style>${STYLE}</style></head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#111827">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr><td align="center" style="padding:16px">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:760px;background:#ffffff">
<tr><td style="background:${c.top};color:#ffffff;padding:14px 20px;font-size:18px;font-weight:700">${esc(b.brandName)}</td></tr>
<tr><td style="padding:16px 20px">
<h2 style="margin:0 0 8px;font-size:18px;color:${c.accent}">${esc(body.title)}</h2>
${account ? `<p style="color:#4b5563">${esc(account)}</p>\n` : ''}${body.html}
</td></tr>
<tr><td style="padding:12px 20px;border-top:1px solid #e5e7eb;font-size:11px;color:#6b7280">${footer.map(esc).join('<br>')}</td></tr>
</table></td></tr></table>
</body></html>
`;
  const text = `${b.brandName} – ${body.title}\n${account ? `${account}\n` : ''}\n${body.text}\n\n-- \n${footer.join('\n')}\n`;
  return { subject: body.subject.replace(/[\r\n]+/g, ' '), html, text, locale };
}
