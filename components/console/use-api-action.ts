'use client';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/adapters/console/session';
import { reportError } from './ConsoleProviders';

/**
 * Runs a server action that returns an ActionResult. Errors the admin can act on (Status 4xx) are kept
 * in `error` for the form to show; internal errors open the error popup with their request id.
 */
export function useApiAction() {
  const [pending, start] = useTransition();
  const [error, setErrorText] = useState('');
  // The catalogue key of the last error (lib/i18n/api-messages.ts), for mapping it to a form field.
  const [errorKey, setErrorKey] = useState<string | undefined>();
  // The API field the last error names (ActionResult.messageField), for forms whose inputs share a key.
  const [errorField, setErrorField] = useState<string | undefined>();
  // The reason inside a message about a field (ActionResult.messageDetail), to show next to it without the API's name.
  const [errorDetail, setErrorDetail] = useState<string | undefined>();
  // The message without the API's field name (ActionResult.messageFieldFree), to show next to the input it concerns.
  const [errorFieldFree, setErrorFieldFree] = useState<string | undefined>();
  function setError(message: string, key?: string, field?: string, detail?: string, fieldFree?: string) {
    setErrorText(message);
    setErrorKey(key);
    setErrorField(field);
    setErrorDetail(detail);
    setErrorFieldFree(fieldFree);
  }
  function run<T>(action: () => Promise<ActionResult<T>>, onOk?: (data: T) => void | Promise<void>) {
    start(async () => {
      setError('');
      try {
        const res = await action();
        if (res.ok) await onOk?.(res.data);
        else if (res.requestId) reportError({ message: res.message, requestId: res.requestId });
        else setError(res.message, res.messageKey, res.messageField, res.messageDetail, res.messageFieldFree);
      } catch (err) {
        // A failed server action (network, server crash) still ends in a readable popup.
        reportError({ message: err instanceof Error ? err.message : String(err) });
      }
    });
  }
  return { pending, error, errorKey, errorField, errorDetail, errorFieldFree, setError, run };
}
