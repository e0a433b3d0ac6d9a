// The bulletin job: one EmailDelivery per distinct address of the users the bulletin reaches, sent by the
// email queue's send jobs (retries, delivery log). Idempotent: a delivery is unique per (bulletin,
// recipient), and every delivery still pending is (re)queued under its stable job id.
import { db } from '../db/client';
import { loadBranding } from '../email/collect-report';
import { enqueueSends } from '../email/queue';
import { esc } from '../email/render';
import { tenantViewer } from '../tenancy/actor';
import { tenantWhere } from '../tenancy/scope';

const PAGE = 1000;

function renderBulletin(b: { subject: string; content: string }, brand: { brandName: string; topColor: string; companyName: string }) {
  const paragraphs = b.content
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p style="margin:0 0 12px">${esc(p.trim()).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
  const html =
    `<!doctype html><html><body style="margin:0;font-family:system-ui,sans-serif;color:#111">` +
    `<div style="background:${esc(brand.topColor)};color:#fff;padding:14px 20px;font-size:18px">${esc(brand.brandName)}</div>` +
    `<div style="padding:20px"><h1 style="font-size:18px;margin:0 0 16px">${esc(b.subject)}</h1>${paragraphs}</div>` +
    `<div style="padding:12px 20px;color:#666;font-size:12px">${esc(brand.companyName)}</div></body></html>`;
  return { html, text: b.content };
}

export async function sendBulletin({ tenantId, bulletinId }: { tenantId: string; bulletinId: string }): Promise<{ recipients: number }> {
  // tenancy: system — the bulletin job reads the one bulletin it was queued for, within the tenant in its payload
  const b = await db().bulletin.findFirst({ where: { id: bulletinId, tenantId }, select: { id: true, tenantId: true, subject: true, content: true } });
  if (!b) return { recipients: 0 };
  // tenancy: system — the bulletin job marks its own bulletin (tenant fixed at submission)
  await db().bulletin.updateMany({ where: { id: b.id, tenantId, status: 'queued' }, data: { status: 'sending' } });
  const { html, text } = renderBulletin(b, await loadBranding(b.tenantId));
  const reportKey = `bulletin:${b.id}`;
  // The users the submitting organization sees: its own, or every organization's for the top level.
  const scope = tenantWhere(tenantViewer(b.tenantId));
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const accounts = await db().account.findMany({
      where: { ...scope },
      orderBy: { id: 'asc' },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, emails: true },
    });
    if (!accounts.length) break;
    cursor = accounts[accounts.length - 1].id;
    const rows = [];
    for (const a of accounts) {
      for (const raw of a.emails) {
        const to = raw.trim();
        if (!to || seen.has(to.toLowerCase())) continue;
        seen.add(to.toLowerCase());
        rows.push({ tenantId: b.tenantId, accountId: a.id, reportKey, reportType: 0, recipient: to, occurrence: 'bulletin', subject: b.subject, bodyHtml: html, bodyText: text, languageCode: '' });
      }
    }
    if (rows.length) await db().emailDelivery.createMany({ data: rows, skipDuplicates: true });
    if (accounts.length < PAGE) break;
  }
  // tenancy: system — the deliveries this job made for its own bulletin
  const pending = await db().emailDelivery.findMany({ where: { tenantId: b.tenantId, reportKey, status: 'pending' }, select: { id: true } });
  await enqueueSends(b.tenantId, pending.map((d) => d.id));
  // tenancy: system — the bulletin job marks its own bulletin (tenant fixed at submission)
  await db().bulletin.updateMany({ where: { id: b.id, tenantId }, data: { status: 'done', recipients: seen.size, finishedAt: new Date() } });
  return { recipients: seen.size };
}
