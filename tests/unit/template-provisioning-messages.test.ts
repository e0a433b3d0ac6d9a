// Issue 19: Halley's own words about a Storage Template's far service (a custom provisioning URL, B2's native API)
// are catalogue messages, so "Provisioning … failed: …" / "Test failed: …" read wholly in the reader's language;
// the far service's own words stay quoted, and English keeps the text it always had (logs, b2-target.ts reads it).
import { afterEach, describe, expect, it, vi } from 'vitest';

const answers: Array<{ status: number; text: string }> = [];
vi.mock('../../lib/storage/guarded-request', () => ({
  guardedRequest: async () => answers.shift() ?? { status: 599, text: '' },
}));

const { apiMessage, localizeApiMessage } = await import('../../lib/i18n/api-messages');
const { failureCause } = await import('../../lib/i18n/failure-cause');
const { provisionCustom } = await import('../../lib/storage/templates/provision-custom');
const { b2Authorize } = await import('../../lib/storage/templates/b2-api');

const ctx = { actor: { kind: 'anonymous' }, tenantId: 't', username: 'alice', selfAddress: '' } as never;
const custom = { Custom: { URL: 'https://provision.example.com/', CustomBodyType: '' } };

async function failure(run: () => Promise<unknown>) {
  const err = await run().then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  const why = apiMessage('provisioningFailed', { template: 'T', reason: failureCause(err) });
  return { english: (err as Error).message, why: failureCause(err), en: localizeApiMessage(why, 'en'), de: localizeApiMessage(why, 'de'), ja: localizeApiMessage(why, 'ja') };
}

afterEach(() => void answers.splice(0));

describe('custom provisioning URL failures', () => {
  it('an answer that is not JSON', async () => {
    answers.push({ status: 200, text: '<html>' });
    const f = await failure(() => provisionCustom(custom, ctx));
    expect(f.english).toBe('The provisioning URL did not answer JSON');
    expect(f.why.key).toBe('provisionUrlNotJson');
    expect(f.en).toBe("Provisioning from 'T' failed: The provisioning URL did not answer JSON");
    expect(f.de).toBe("Bereitstellung aus 'T' fehlgeschlagen: die Bereitstellungs-URL hat kein JSON geantwortet");
    expect(f.ja).toContain('プロビジョニング URL が JSON を返しませんでした');
  });
  it('a JSON answer without a DestinationType', async () => {
    answers.push({ status: 200, text: '{"DestinationType":0}' });
    const f = await failure(() => provisionCustom(custom, ctx));
    expect(f.why.key).toBe('provisionUrlNoLocation');
    expect(f.de).toMatch(/keine DestinationLocation mit DestinationType/);
    expect(f.ja).toMatch(/DestinationType を含む DestinationLocation/);
  });
  it('an HTTP error: the service\'s words quoted', async () => {
    answers.push({ status: 500, text: 'quota exceeded' });
    const f = await failure(() => provisionCustom(custom, ctx));
    expect(f.english).toBe('The provisioning URL answered HTTP 500: quota exceeded');
    expect(f.de).toMatch(/die Bereitstellungs-URL antwortete mit HTTP 500: „quota exceeded“$/);
    expect(f.ja).toMatch(/HTTP 500 を返しました:「quota exceeded」$/);
  });
});

describe('B2 API failures', () => {
  it('an error answer keeps its English and B2\'s words quoted', async () => {
    answers.push({ status: 500, text: '{"code":"internal_error","message":"try later"}' });
    const f = await failure(() => b2Authorize('https://b2.example.com', 'k', 's'));
    expect(f.english).toBe('B2 b2_authorize_account failed (HTTP 500): internal_error: try later');
    expect(f.why.key).toBe('serviceCallFailed');
    expect(f.de).toMatch(/B2 b2_authorize_account fehlgeschlagen \(HTTP 500\): „internal_error: try later“$/);
    expect(f.ja).toMatch(/B2 b2_authorize_account が失敗しました \(HTTP 500\):「internal_error: try later」$/);
  });
  it('a refused key is still told as refused access', async () => {
    answers.push({ status: 401, text: '{"code":"unauthorized","message":"bad key"}' });
    const f = await failure(() => b2Authorize('https://b2.example.com', 'k', 's'));
    expect(f.why.key).toBe('causeAccessDenied');
  });
  it('an answer that is not JSON, and one without its fields', async () => {
    answers.push({ status: 200, text: 'nope' });
    const a = await failure(() => b2Authorize('https://b2.example.com', 'k', 's'));
    expect(a.english).toBe('B2 b2_authorize_account did not answer JSON');
    expect(a.de).toMatch(/B2 b2_authorize_account hat kein JSON geantwortet$/);
    answers.push({ status: 200, text: '{"accountId":"a"}' });
    const b = await failure(() => b2Authorize('https://b2.example.com', 'k', 's'));
    expect(b.english).toBe('B2 b2_authorize_account answered without accountId, authorizationToken or apiUrl');
    expect(b.de).toMatch(/antwortete ohne accountId, authorizationToken, apiUrl$/);
    expect(b.ja).toMatch(/の応答に accountId, authorizationToken, apiUrl がありません$/);
  });
});
