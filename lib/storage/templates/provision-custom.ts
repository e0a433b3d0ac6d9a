// "custom" templates: an HTTP POST to the template's URL with its CustomHeaders and CustomBody (JSON, form
// or urlencoded, or none); a 2xx JSON answer is the DestinationLocation of the new vault. The provisioner
// offers no way to undo, so Halley calls it last, after every check that could still fail.
import { CustomRemoteBucketCustomBodyType as BODY } from '../../comet/constants';
import { CauseError } from '../../errors';
import { apiMessageWithEnglish } from '../../i18n/api-messages';
import { guardedRequest } from '../guarded-request';
import type { ProvisionContext, Provisioned } from './provisioned';
import type { Json } from './template-secrets';

const CONTENT_TYPE: Record<string, string> = {
  [BODY.CUSTOMREMOTEBUCKET_CUSTOMBODY_JSON]: 'application/json',
  [BODY.CUSTOMREMOTEBUCKET_CUSTOMBODY_FORM]: 'multipart/form-data',
  [BODY.CUSTOMREMOTEBUCKET_CUSTOMBODY_URLENC]: 'application/x-www-form-urlencoded',
};

export async function provisionCustom(t: Json, ctx: ProvisionContext): Promise<Provisioned> {
  const c = (t.Custom ?? {}) as Json;
  const type = String(c.CustomBodyType ?? BODY.CUSTOMREMOTEBUCKET_CUSTOMBODY_NONE);
  const hasBody = type !== BODY.CUSTOMREMOTEBUCKET_CUSTOMBODY_NONE && type !== '';
  const headers: Record<string, string> = { accept: 'application/json', 'x-halley-username': ctx.username, ...((c.CustomHeaders ?? {}) as Record<string, string>) };
  if (hasBody) headers['content-type'] = CONTENT_TYPE[type] ?? 'application/octet-stream';
  const res = await guardedRequest(String(c.URL), { method: 'POST', headers, body: hasBody ? String(c.CustomBody ?? '') : '' }, 'storage provisioning URL');
  if (res.status < 200 || res.status > 299) {
    const text = res.text.slice(0, 200);
    throw new CauseError(apiMessageWithEnglish('provisionUrlAnsweredHttp', { status: String(res.status), text }, `The provisioning URL answered HTTP ${res.status}: ${text}`));
  }
  let location: Json;
  try {
    location = JSON.parse(res.text);
  } catch {
    throw new CauseError(apiMessageWithEnglish('provisionUrlNotJson', {}, 'The provisioning URL did not answer JSON'));
  }
  if (!location || typeof location !== 'object' || !(Number(location.DestinationType) > 0)) throw new CauseError(apiMessageWithEnglish('provisionUrlNoLocation', {}, 'The provisioning URL did not answer a DestinationLocation with a DestinationType'));
  return { location, undo: async () => undefined };
}
