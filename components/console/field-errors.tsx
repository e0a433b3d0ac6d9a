'use client';
// Field-level errors for console forms. The API answers a refused value with a translated message and its
// catalogue key (ActionResult.messageKey); a form maps keys to its own inputs, so the message appears next to
// the field in the UI language instead of as a sentence about an API parameter.
import { createContext, useContext, useEffect, type ReactNode, type RefObject } from 'react';

/** Catalogue keys of the password policy's refusals (lib/validation/check-new-password.ts). */
export const PASSWORD_ERROR_KEYS = ['passwordEmpty', 'passwordTooShort', 'passwordTooLong', 'passwordCommon'] as const;

/**
 * input name → the catalogue keys that concern it, and API field suffixes (starting with "."; e.g.
 * ".Location.S3Server"; ending in "[": any element of that list) matched against the field the error names
 * (ActionResult.messageField).
 */
export type FieldErrorMap = Record<string, readonly string[]>;

/** The input an error belongs to, if the form maps its API field or its key (the field first: keys may be shared). */
export function fieldForError(key: string | undefined, fields: FieldErrorMap | undefined, apiField?: string): string | undefined {
  if (!fields) return undefined;
  if (apiField) {
    // ".TopColor" also matches a top-level "TopColor"; ".Hosts[" stands for any element of a list (Organization.Hosts[2]).
    const named = `.${apiField}`;
    const matches = (entry: string) => entry.startsWith('.') && (named.endsWith(entry) || (entry.endsWith('[') && named.includes(entry)));
    const byField = Object.keys(fields).find((name) => fields[name].some(matches));
    if (byField) return byField;
  }
  if (!key) return undefined;
  return Object.keys(fields).find((name) => fields[name].includes(key));
}

/** Marks the input invalid, points it at its message and moves the focus there (keyboard and screen readers). */
export function flagField(form: HTMLFormElement | null, name: string | undefined): void {
  const el = name ? form?.elements.namedItem(name) : null;
  if (!(el instanceof HTMLElement)) return;
  el.setAttribute('aria-invalid', 'true');
  el.setAttribute('aria-describedby', fieldErrorId(name!));
  el.focus();
}

/** Undoes flagField on every input of the form (the next edit clears the message). */
export function clearFlags(form: HTMLFormElement | null): void {
  form?.querySelectorAll('[aria-invalid="true"]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  });
}

function fieldErrorId(name: string): string {
  return `field-error-${name}`;
}

/** The part of useApiAction's answer a form needs to place its last refusal (use-api-action.ts). */
type RefusalState = { error: string; errorKey?: string; errorField?: string; errorDetail?: string; errorFieldFree?: string };

/**
 * A form's last server refusal placed next to the input it concerns: `input` (undefined if the map names none; the
 * form then shows `error` as an alert) and `errors` for FieldErrorsProvider (the reason in the UI language, without
 * the API's field name). The input's aria-invalid/aria-describedby follow the refusal; the form clears it on its
 * next edit (setError('')).
 */
export function useFieldRefusal(formRef: RefObject<HTMLFormElement | null>, state: RefusalState | null, fields: FieldErrorMap): { input: string | undefined; errors: Record<string, string> } {
  const failed = state?.error ? state : null;
  const input = failed ? fieldForError(failed.errorKey, fields, failed.errorField) : undefined;
  useEffect(() => {
    clearFlags(formRef.current);
    if (input) flagField(formRef.current, input);
  }, [formRef, input, failed?.error]);
  return { input, errors: input && failed ? { [input]: refusalText(failed) } : {} };
}

/** The words shown next to an input: the reason inside the message, else its field-free wording, else the message. */
export function refusalText(state: RefusalState): string {
  return state.errorDetail || state.errorFieldFree || state.error;
}

const FieldErrors = createContext<Record<string, string>>({});

export function FieldErrorsProvider({ errors, children }: { errors: Record<string, string>; children: ReactNode }) {
  return <FieldErrors.Provider value={errors}>{children}</FieldErrors.Provider>;
}

/** The message for one input, placed inside its Field. */
export function FieldError({ name }: { name: string }) {
  const message = useContext(FieldErrors)[name];
  if (!message) return null;
  return (
    <span id={fieldErrorId(name)} role="alert" className="text-xs font-medium text-destructive">
      {message}
    </span>
  );
}
