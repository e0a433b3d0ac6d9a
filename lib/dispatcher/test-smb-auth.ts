// test-smb-auth: the device tries the SMB share with these credentials (they go to the device only).
import { askDevice, type DispatchTarget } from './ask-device';

/** Commands answered with a plain CometAPIResponseMessage (test-smb-auth). */
export async function testSmbAuth(opts: DispatchTarget & { wsa: unknown }) {
  const r = await askDevice({ ...opts, build: () => ({ type: 'request', op: 'test-smb-auth', args: { Wsa: opts.wsa } }) });
  return { Status: 200, Message: r.message || 'OK' };
}
