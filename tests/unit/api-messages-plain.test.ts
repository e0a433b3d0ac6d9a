// Every error message the API can answer is translatable: a user-facing error (AppError and its subclasses)
// is thrown with apiMessage('key', ...) from the "api" catalogue (lib/i18n/api-messages.ts), never with a plain
// English string literal. Internal errors (plain Error, answered as "Internal server error" with a request id)
// may stay English.
//
// PLAIN_STRING_BUDGET lists the files that still throw plain strings from before the rule, with how many: the
// budget only goes down. A new file with a plain-string user-facing error, or one more in a listed file, fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** Files with plain-string user-facing errors from before the rule, and how many (convert them; never raise a number). */
const PLAIN_STRING_BUDGET: Record<string, number> = {
  'lib/adapters/storage/object-api.ts': 4,
  'lib/admins/add-first-admin.ts': 2,
  'lib/admins/console-preferences.ts': 5,
  'lib/admins/manage-admins.ts': 7,
  'lib/admins/remove-webauthn-key.ts': 1,
  'lib/admins/set-own-properties.ts': 8,
  'lib/admins/submit-webauthn-registration.ts': 7,
  'lib/admins/validate-totp.ts': 4,
  'lib/auth/authenticate.ts': 1,
  'lib/auth/ip-allow-list.ts': 2,
  'lib/auth/login-protection-settings.ts': 2,
  'lib/auth/session-lifecycle.ts': 1,
  'lib/auth/upgrade-session.ts': 1,
  'lib/auth/webauthn/relying-party.ts': 2,
  'lib/auth/webauthn/request-sign-challenge.ts': 2,
  'lib/backup-jobs/get-job.ts': 2,
  'lib/backup-jobs/job-query.ts': 3,
  'lib/backup-jobs/list-jobs.ts': 1,
  'lib/billing/export-usage.ts': 1,
  'lib/billing/get-usage-report.ts': 2,
  'lib/billing/set-price-list.ts': 2,
  'lib/billing/usage-query.ts': 4,
  'lib/bulk-replace/find-comet-vaults.ts': 1,
  'lib/bulk-replace/undo-replace.ts': 1,
  'lib/campaigns/campaign-options.ts': 4,
  'lib/campaigns/list-campaign-devices.ts': 1,
  'lib/campaigns/set-campaign-state.ts': 2,
  'lib/campaigns/start-campaign.ts': 1,
  'lib/client-builds/build-client-package.ts': 3,
  'lib/client-builds/platforms.ts': 2,
  'lib/constellation/last-constellation-report.ts': 1,
  'lib/constellation/new-constellation-report.ts': 1,
  'lib/constellation/prune-constellation-now.ts': 1,
  'lib/constellation/restore-constellation-bucket.ts': 2,
  'lib/constellation/set-constellation-config.ts': 3,
  'lib/dispatcher/apply-import.ts': 1,
  'lib/dispatcher/device-answer.ts': 1,
  'lib/dispatcher/run-restore-custom.ts': 4,
  'lib/dispatcher/search-snapshots.ts': 8,
  'lib/dispatcher/snapshot-ids.ts': 3,
  'lib/dispatcher/update-login-password.ts': 2,
  'lib/email/check-smtp-host.ts': 1,
  'lib/email/preview-and-test.ts': 5,
  'lib/email/report-query.ts': 1,
  'lib/email/set-email-options.ts': 1,
  'lib/email/transport.ts': 2,
  'lib/email/validate-email-options.ts': 7,
  'lib/email/validate-report-config.ts': 3,
  'lib/email/validate-reporting-option.ts': 3,
  'lib/external-auth/check-source-targets.ts': 1,
  'lib/external-auth/manage-sources.ts': 2,
  'lib/external-auth/source-codec.ts': 7,
  'lib/install-tokens/create-install-token.ts': 2,
  'lib/job-search/check-regexes.ts': 1,
  'lib/job-search/compile-search-clause.ts': 16,
  'lib/live/abandon-job.ts': 1,
  'lib/live/cancel-job.ts': 2,
  'lib/live/dispatch-command.ts': 1,
  'lib/live/find-lobby-device.ts': 1,
  'lib/live/register-lobby-device.ts': 3,
  'lib/live/require-item.ts': 1,
  'lib/live/require-rule.ts': 1,
  'lib/live/require-vault.ts': 1,
  'lib/live/send-command.ts': 1,
  'lib/overview/get-overview.ts': 1,
  'lib/policies/policy-row.ts': 1,
  'lib/policies/set-policy.ts': 3,
  'lib/protected-items/item-config.ts': 2,
  'lib/protected-items/set-protected-item.ts': 5,
  'lib/self-backup/export-organization.ts': 2,
  'lib/self-backup/list-self-backup-runs.ts': 2,
  'lib/self-backup/start-self-backup.ts': 2,
  'lib/self-backup/stored-options.ts': 25,
  'lib/server-config/set-server-config.ts': 2,
  'lib/server-config/signal-supervisor.ts': 1,
  'lib/server-info/build-role-config.ts': 3,
  'lib/server-logs/read-server-logs.ts': 3,
  'lib/server-logs/search-server-log.ts': 5,
  'lib/shared-quotas/quota-row.ts': 5,
  'lib/shared-quotas/set-shared-quota.ts': 2,
  'lib/storage/authorize-bucket.ts': 1,
  'lib/storage/bucket-paths.ts': 1,
  'lib/storage/find-bucket.ts': 1,
  'lib/storage/list-objects.ts': 1,
  'lib/storage/ping-destination.ts': 4,
  'lib/storage/put-object.ts': 1,
  'lib/storage/register-bucket.ts': 5,
  'lib/storage/s3-client.ts': 4,
  'lib/storage/templates/find-template.ts': 1,
  'lib/storage/templates/provision-comet.ts': 1,
  'lib/storage/templates/provision-vault.ts': 1,
  'lib/storage/templates/request-storage-vault.ts': 3,
  'lib/storage/templates/set-storage-templates.ts': 8,
  'lib/storage/templates/template-types.ts': 7,
  'lib/storage/templates/test-storage-template.ts': 1,
  'lib/tenancy/scope.ts': 4,
  'lib/tenants/organizations.ts': 6,
  'lib/usage/request-backfill.ts': 1,
  'lib/user-groups/set-group-users.ts': 1,
  'lib/user-groups/set-user-group.ts': 1,
  'lib/users/add-user.ts': 2,
  'lib/users/end-user-restrictions.ts': 1,
  'lib/users/find-account.ts': 1,
  'lib/users/list-users-page.ts': 3,
  'lib/users/own-account-change.ts': 1,
  'lib/users/reset-own-password.ts': 1,
  'lib/users/reset-user-password.ts': 1,
  'lib/users/revoke-device.ts': 1,
  'lib/users/set-user-profile.ts': 3,
  'lib/users/transfer-user.ts': 1,
  'lib/users/validate-own-totp.ts': 3,
  'lib/users/validate-username.ts': 1,
  'lib/users/write-profile.ts': 4,
  'lib/webhooks/custom-headers.ts': 1,
  'lib/webhooks/manage-deliveries.ts': 5,
  'lib/webhooks/prepare-webhook-options.ts': 11,
  'lib/webhooks/webhook-secret.ts': 1,
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated' && entry.name !== 'node_modules') sourceFiles(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

const files = [...sourceFiles(join(root, 'lib')), ...sourceFiles(join(root, 'app'))].map((path) => ({
  path: relative(root, path).split('\\').join('/'),
  text: readFileSync(path, 'utf8'),
}));

/** AppError and every class that extends it, directly or through another one, anywhere in the sources. */
function userFacingErrorClasses(): Set<string> {
  const classes = new Set(['AppError']);
  const extendsPairs = files.flatMap(({ text }) => [...text.matchAll(/\bclass\s+(\w+)\s+extends\s+(\w+)/g)].map((m) => [m[1], m[2]] as const));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of extendsPairs) {
      if (classes.has(parent) && !classes.has(child)) {
        classes.add(child);
        grew = true;
      }
    }
  }
  return classes;
}

/** `new SomeUserFacingError('text'` / `(404, "text"` / `` (`text ${x}` ``: one per plain-string site, with its line. */
function plainStringSites(text: string, classes: Set<string>): number[] {
  const lines: number[] = [];
  for (const m of text.matchAll(/\bnew\s+(\w+)\s*\(\s*(?:\d+\s*,\s*)?['"`]/g)) {
    if (classes.has(m[1])) lines.push(text.slice(0, m.index).split('\n').length);
  }
  return lines;
}

describe('API error messages', () => {
  const classes = userFacingErrorClasses();

  it('finds the error hierarchy', () => {
    for (const name of ['BadRequestError', 'NotFoundError', 'ForbiddenError', 'ConflictError', 'AuthError']) expect(classes.has(name)).toBe(true);
  });

  it('are thrown with apiMessage(...), not plain English strings (the budget of old sites only goes down)', () => {
    const over: string[] = [];
    for (const { path, text } of files) {
      const sites = plainStringSites(text, classes);
      const budget = PLAIN_STRING_BUDGET[path] ?? 0;
      if (sites.length > budget) {
        over.push(`${path}: ${sites.length} plain-string error(s) (budget ${budget}) at line(s) ${sites.join(', ')}: use apiMessage('key', {...}) with a key in namespace "api" of messages/*.json`);
      }
    }
    expect(over).toEqual([]);
  });

  it('budget lists only files that exist', () => {
    const known = new Set(files.map((f) => f.path));
    expect(Object.keys(PLAIN_STRING_BUDGET).filter((path) => !known.has(path))).toEqual([]);
  });
});
