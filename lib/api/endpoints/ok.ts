/** Comet's CometAPIResponseMessage for a successful action. */
export const OK = Object.freeze({ Status: 200, Message: 'OK' });
