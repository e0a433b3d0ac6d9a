// restart-service / shutdown-service reach `npm start`'s supervisor (scripts/start.mjs), the parent of web and
// workers on this node: the request is written to HALLEY_SUPERVISOR_CONTROL (a file in <data dir>/run) and
// the supervisor is woken with SIGUSR2. It then stops web and workers gracefully (web drains, workers finish
// the jobs in hand) and starts them again without counting a crash, or stops everything and exits 0.
// A Halley started some other way (a service manager running server.ts itself) has no supervisor to ask.
import { rename, writeFile } from 'node:fs/promises';
import { env } from '../env';
import { BadRequestError } from '../errors';
import { apiMessage } from '../i18n/api-messages';

type ServiceAction = 'restart' | 'shutdown';

/** Whether this process runs under `npm start`'s supervisor (and it is alive). */
export function supervisorPid(): number | null {
  const pid = env().HALLEY_SUPERVISOR_PID;
  if (!pid || !env().HALLEY_SUPERVISOR_CONTROL) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export async function signalSupervisor(action: ServiceAction, requestedBy: string): Promise<void> {
  const pid = supervisorPid();
  if (pid === null) {
    throw new BadRequestError(apiMessage('notSupervised', { action }));
  }
  const file = env().HALLEY_SUPERVISOR_CONTROL;
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ action, requestedBy, at: Date.now() }), { mode: 0o600 });
  await rename(temp, file);
  process.kill(pid, 'SIGUSR2');
}
