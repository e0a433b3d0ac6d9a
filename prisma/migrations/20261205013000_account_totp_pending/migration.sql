-- account/regenerate-totp (end users): the new secret waits, sealed, until account/validate-totp confirms a code.
ALTER TABLE "Account" ADD COLUMN "totpPendingSecret" TEXT;
