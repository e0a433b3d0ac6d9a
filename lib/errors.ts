// One error hierarchy. Domain code throws these; the API adapter maps them to Comet's
// {Status, Message} and the console to a readable message. Anything else is an internal error:
// logged in full with a request id, answered with a generic message.

/** A message from the API catalogue (lib/i18n/api-messages.ts): translated for the caller on the way out. */
type TranslatableMessage = { key: string; values: Record<string, string | number | TranslatableMessage>; text: string };

export class AppError extends Error {
  readonly status: number;
  /** Set when the message comes from the catalogue; `message` is then its English text. */
  readonly translatable?: TranslatableMessage;
  constructor(status: number, message: string | TranslatableMessage) {
    super(typeof message === 'string' ? message : message.text);
    this.name = new.target.name;
    this.status = status;
    if (typeof message !== 'string') this.translatable = message;
  }
}

/** Bad input: missing, malformed or contradictory parameters. */
export class BadRequestError extends AppError {
  constructor(message: string | TranslatableMessage) {
    super(400, message);
  }
}

/** No or wrong credentials. Comet answers these with 403. */
export class AuthError extends AppError {
  constructor(message: string | TranslatableMessage = { key: 'incorrectCredentials', values: {}, text: 'Incorrect username or password' }) {
    super(403, message);
  }
}

/** Authenticated but not allowed (top-level only, permission flag). */
export class ForbiddenError extends AppError {
  constructor(message: string | TranslatableMessage = { key: 'forbidden', values: {}, text: 'You are not allowed to perform this action' }) {
    super(403, message);
  }
}

/**
 * Also what a foreign tenant's object looks like: exactly like a missing one. `status` follows Comet's answer for
 * the resource class where it is not 404 (an unknown user is 400, an unknown live connection 403).
 */
export class NotFoundError extends AppError {
  constructor(message: string | TranslatableMessage, status: 400 | 403 | 404 = 404) {
    super(status, message);
  }
}

/** Stale hash, duplicate name, state that forbids the change. */
export class ConflictError extends AppError {
  constructor(message: string | TranslatableMessage) {
    super(409, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super(413, { key: 'payloadTooLarge', values: { limit }, text: `Request body is larger than the limit of ${limit} bytes` });
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(method: string) {
    super(405, { key: 'methodNotAllowed', values: { method }, text: `Method ${method} is not allowed: every API call is a POST with a form-encoded body` });
  }
}

/**
 * A cause inside a lower layer that is not itself an answer (e.g. "the URL has no host" while checking a server
 * address): the caller wraps it in a message of its own (lib/i18n/failure-cause.ts reads `translatable`), so the
 * whole sentence reaches the caller in their language. `message` is its English.
 */
export class CauseError extends Error {
  readonly translatable: TranslatableMessage;
  constructor(message: TranslatableMessage) {
    super(message.text);
    this.translatable = message;
  }
}

/** Comet's own marker for "a second factor is required". */
export const ERR_TOTP_REQUIRED = 'ERR_TOTP_REQUIRED';
