// API error messages come from the console's catalogue (namespace "api") in the caller's language, English
// by default; the English text is the error's own message.
import { describe, expect, it } from 'vitest';
import { errorBody } from '../../lib/api/handle';
import { AuthError, ForbiddenError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../../lib/errors';
import { apiMessage, localizeApiMessage } from '../../lib/i18n/api-messages';

describe('API messages', () => {
  it('format ICU with literal apostrophes, in English by default', () => {
    expect(apiMessage('userNotFound', { username: "o'brien" }).text).toBe("User 'o'brien' was not found");
    expect(errorBody(new NotFoundError(apiMessage('userNotFound', { username: 'bob' }), 400), 'r1', '/p')).toEqual({ Status: 400, Message: "User 'bob' was not found" });
  });

  it("follow the caller's language, as Comet does (es-ES: No autorizado)", () => {
    const err = new NotFoundError(apiMessage('unauthorised'), 403);
    expect(errorBody(err, 'r1', '/p', 'es')).toEqual({ Status: 403, Message: 'No autorizado' });
    expect(errorBody(err, 'r1', '/p', 'de').Message).toBe('Nicht autorisiert');
    expect(localizeApiMessage(apiMessage('missingParam', { name: 'TargetUser' }), 'fr')).toBe("Paramètre obligatoire 'TargetUser' manquant");
    // An internal error is translated too, and keeps its request id.
    expect(errorBody(new Error('boom'), 'req-7', '/p', 'nl').Message).toBe('Interne serverfout (verzoek-ID req-7)');
  });

  it('leave untranslated messages as they are', () => {
    expect(errorBody(new ForbiddenError('plain text'), 'r1', '/p', 'de').Message).toBe('plain text');
  });

  it("lib/errors.ts's built-in English texts are the catalogue's (they cannot import it)", () => {
    expect(new AuthError().message).toBe(apiMessage('incorrectCredentials').text);
    expect(new ForbiddenError().message).toBe(apiMessage('forbidden').text);
    expect(new PayloadTooLargeError(1024).message).toBe(apiMessage('payloadTooLarge', { limit: 1024 }).text);
    expect(new MethodNotAllowedError('GET').message).toBe(apiMessage('methodNotAllowed', { method: 'GET' }).text);
    expect(errorBody(new AuthError(), 'r', '/p', 'pt-BR').Message).toBe('Nome de usuário ou senha incorretos');
  });
});
