// request-filesystem-objects: one folder of the device's own disk (Path empty: its roots), for choosing what
// to protect or where to restore.
import { z } from 'zod';
import { askDevice, type DispatchTarget } from './ask-device';
import { answerField, ZStoredObject } from './device-answer';

export async function requestFilesystemObjects(opts: DispatchTarget & { path?: string }) {
  const r = await askDevice({ ...opts, build: () => ({ type: 'request', op: 'request-filesystem-objects', args: { Path: opts.path ?? '' } }) });
  return { Status: 200, Message: 'OK', StoredObjects: answerField(r.data, 'StoredObjects', z.array(ZStoredObject).max(100_000)) };
}
