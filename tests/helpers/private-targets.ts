// The outbound guard's private-target switch (meta/webhook-settings/set AllowPrivateTargets) for tests
// whose SMTP sink, slapd or receivers listen on 127.0.0.1. `allowPrivateTargets(true)` returns a restore
// function for afterAll. The web process clears its cache on write; other processes re-read a cached
// "not allowed" before refusing anything (lib/net/private-targets.ts), so the change is seen at once.
import { rootClient } from './fixtures';

export async function allowPrivateTargets(allow: boolean): Promise<() => Promise<void>> {
  const root = await rootClient();
  const before = (await root.ok('/api/v1/admin/meta/webhook-settings/get')).AllowPrivateTargets === true;
  await root.ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: allow });
  return async () => {
    await (await rootClient()).ok('/api/v1/admin/meta/webhook-settings/set', { AllowPrivateTargets: before });
  };
}
