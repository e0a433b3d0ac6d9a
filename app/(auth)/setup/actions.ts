'use server';
// First run: the create-first-administrator form goes through the registry like any API client.
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { endpointByPath } from '../../../lib/api/endpoints';
import { errorBody, newRequestId, runEndpoint } from '../../../lib/api/handle';
import { requestLocale } from '../../../lib/adapters/i18n/request';
import { AppError } from '../../../lib/errors';
import { clientAddressFrom } from '../../../lib/auth/client-address';

/** `username` is handed back so the form can keep it after an error (React resets form fields). */
export type FirstAdminState = { ok: boolean; message: string; username?: string; attempt?: number; requestId?: string; messageKey?: string };

export async function createFirstAdmin(prev: FirstAdminState, formData: FormData): Promise<FirstAdminState> {
  const t = await getTranslations('setup');
  const path = '/api/v1/admin/add-first-admin-user';
  const h = await headers();
  const requestId = newRequestId(null);
  const username = String(formData.get('TargetUser') ?? '');
  const form = new URLSearchParams({ TargetUser: username, TargetPassword: String(formData.get('TargetPassword') ?? '') });
  try {
    await runEndpoint(endpointByPath(path)!, form, { ip: clientAddressFrom(h), userAgent: h.get('user-agent') ?? 'console', requestId });
    return { ok: true, message: t('created', { username }), username };
  } catch (err) {
    const body = errorBody(err, requestId, path, await requestLocale());
    const messageKey = err instanceof AppError ? err.translatable?.key : undefined;
    return { ok: false, message: body.Message, username, attempt: (prev.attempt ?? 0) + 1, requestId: body.Status >= 500 ? requestId : undefined, messageKey };
  }
}
