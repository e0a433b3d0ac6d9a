'use server';
// Console actions go through the same endpoint registry as the API (API-first).
import { randomUUID } from 'node:crypto';
import { endpointByPath } from '../lib/api/endpoints';
import { errorBody, runEndpoint } from '../lib/api/handle';
import messages from '../messages/en.json';

/** `username` is handed back so the form can keep it after an error (React resets form fields). */
export type FirstAdminState = { ok: boolean; message: string; username?: string; attempt?: number };

export async function createFirstAdmin(prev: FirstAdminState, formData: FormData): Promise<FirstAdminState> {
  const path = '/api/v1/admin/add-first-admin-user';
  const requestId = randomUUID();
  const form = new URLSearchParams({ TargetUser: String(formData.get('TargetUser') ?? ''), TargetPassword: String(formData.get('TargetPassword') ?? '') });
  try {
    await runEndpoint(endpointByPath(path)!, form, { ip: '', userAgent: 'console', requestId });
    return { ok: true, message: messages.home.created.replace('{username}', form.get('TargetUser')!) };
  } catch (err) {
    return { ok: false, message: errorBody(err, requestId, path).Message, username: form.get('TargetUser')!, attempt: (prev.attempt ?? 0) + 1 };
  }
}
