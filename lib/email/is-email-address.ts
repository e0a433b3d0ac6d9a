// The server's one email rule lives in lib/validation.
export { isEmailAddress } from '../validation/email-address';
