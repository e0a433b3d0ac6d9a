// SEVT_ACCOUNT_ADMIN_SESSION_EXPIRE / SEVT_ACCOUNT_SESSION_EXPIRE: sessions that reached their idle
// expiry without being revoked are reported once, by the workers' expire-sessions schedule (every
// minute), so an event follows the expiry within about a minute.
// tenancy-file: system — the expiry job reports every tenant's expired sessions (no actor)
import { StreamableEventType as SEVT } from '../comet/constants';
import { db } from '../db/client';
import { emitEvent } from '../events/emit';

const BATCH = 500;

/** Reports every unreported expired session; returns how many were reported. */
export async function reportExpiredSessions(now = new Date()): Promise<number> {
  let reported = 0;
  for (;;) {
    const expired = await db().session.findMany({
      where: { expiresAt: { lte: now }, revokedAt: null, expiryReported: false },
      orderBy: { expiresAt: 'asc' },
      take: BATCH,
      select: { id: true, kind: true, tenantId: true, expiresAt: true, admin: { select: { username: true } }, account: { select: { username: true } } },
    });
    for (const s of expired) {
      const username = s.admin?.username ?? s.account?.username ?? '';
      await db().$transaction(async (tx) => {
        // Claimed in the same statement, so two workers never report one session twice.
        const claimed = await tx.session.updateMany({ where: { id: s.id, expiryReported: false }, data: { expiryReported: true } });
        if (claimed.count !== 1) return;
        await emitEvent(tx, { kind: 'anonymous' }, {
          tenantId: s.tenantId,
          type: s.kind === 'admin' ? SEVT.SEVT_ACCOUNT_ADMIN_SESSION_EXPIRE : SEVT.SEVT_ACCOUNT_SESSION_EXPIRE,
          resourceId: username,
          data: { Username: username, ExpiredAt: Math.floor(s.expiresAt.getTime() / 1000) },
        });
        reported++;
      });
    }
    if (expired.length < BATCH) return reported;
  }
}
