// register-office-application begin/check: the device runs Microsoft's device-code sign-in for an Office 365 application.
import { z } from 'zod';
import { askDevice, type DispatchTarget } from './ask-device';
import { answerField } from './device-answer';

/** register-office-application begin/check (answers without Status/Message on success). */
export async function registerOfficeApplication(opts: DispatchTarget & { step: 'begin' | 'check'; args: Record<string, unknown> }) {
  const r = await askDevice({ ...opts, build: () => ({ type: 'request', op: `register-office-application/${opts.step}`, args: opts.args }) });
  const s = (k: string) => answerField(r.data, k, z.string().max(4096).default(''));
  if (opts.step === 'begin') return { Continuation: s('Continuation'), VerificationURL: s('VerificationURL'), UserCode: s('UserCode') };
  return { Continuation: s('Continuation'), Completed: answerField(r.data, 'Completed', z.boolean().default(false)), Error: s('Error'), Result: answerField(r.data, 'Result', z.record(z.string(), z.unknown()).default({})) };
}
