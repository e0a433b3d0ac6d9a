// Why @simplewebauthn/server refused a security key's answer, for "The security key's response could not be
// verified: …" in the reader's language. The library throws plain Errors with English text and (mostly) no code,
// so its known cases are recognised by their error name or code where it has one (UnexpectedRPIDHash,
// RUNTIME_NO_PQC_SUPPORT) and otherwise by the fixed start of the library's own message; anything else is the
// library's text, quoted after a translated lead-in (failureCause). English keeps the library's own text.
import { apiMessageWithEnglish, type ApiMessage } from './api-messages';
import { failureCause } from './failure-cause';

export function webauthnFailure(err: unknown): ApiMessage {
  const e = (err && typeof err === 'object' ? err : {}) as { message?: unknown; name?: unknown; code?: unknown };
  const text = typeof e.message === 'string' ? e.message : '';
  const english = text || String(err);
  let m: RegExpMatchArray | null;
  if (e.name === 'UnexpectedRPIDHash') return apiMessageWithEnglish('webauthnOtherSite', {}, english);
  if (e.code === 'RUNTIME_NO_PQC_SUPPORT' || /^Unexpected public key alg /.test(text) || /^Credential public key was missing numeric alg/.test(text)) {
    return apiMessageWithEnglish('webauthnAlgorithmUnsupported', {}, english);
  }
  if (/^Unexpected (registration|authentication) response challenge |^Custom challenge verifier returned false/.test(text)) return apiMessageWithEnglish('webauthnOtherChallenge', {}, english);
  if ((m = text.match(/^Unexpected (?:registration|authentication) response origin "([^"]{0,200})/))) return apiMessageWithEnglish('webauthnOtherOrigin', { origin: m[1] }, english);
  if (/^User presence was required/.test(text)) return apiMessageWithEnglish('webauthnUserAbsent', {}, english);
  if (/^User verification was required/.test(text)) return apiMessageWithEnglish('webauthnUserNotVerified', {}, english);
  if ((m = text.match(/^Unsupported Attestation Format: (.{0,100})/))) return apiMessageWithEnglish('webauthnAttestationUnsupported', { format: m[1] }, english);
  return failureCause(err);
}
