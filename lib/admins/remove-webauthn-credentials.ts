// Removes WebAuthn keys of the calling admin (Halley's account/webauthn/remove, and set-properties
// when its WebAuthnRegistrations list leaves keys out). Without keys, WebAuthn sign-in switches off.
import type { Tx } from '../db/client';

/** Deletes the admin's keys whose wire ID (standard base64 of the credential id) is not in `keep`. */
export async function removeWebAuthnCredentials(tx: Tx, adminId: string, select: { keepWireIds?: string[]; removeWireIds?: string[] }): Promise<number> {
  const rows = await tx.adminWebAuthnCredential.findMany({ where: { adminId }, select: { id: true, credentialId: true } });
  const wireId = (credentialId: string) => Buffer.from(credentialId, 'base64url').toString('base64');
  const doomed = rows.filter((r) => {
    const id = wireId(r.credentialId);
    if (select.removeWireIds) return select.removeWireIds.includes(id);
    return !(select.keepWireIds ?? []).includes(id);
  });
  if (doomed.length === 0) return 0;
  await tx.adminWebAuthnCredential.deleteMany({ where: { adminId, id: { in: doomed.map((r) => r.id) } } });
  // tenancy: own — adminId is the caller's own admin (its callers pass actor.adminId)
  if (doomed.length === rows.length) await tx.adminUser.update({ where: { id: adminId }, data: { allowPasswordAndWebAuthnLogin: false } });
  return doomed.length;
}
