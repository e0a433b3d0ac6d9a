// A throwaway test server (a process in its own group, started with startProcess) and the temporary folder it
// owns: once it answers, a stop() that ends the process group and removes the folder, once; when it does not
// start, both are cleaned up and the start-up error is thrown.
import fs from 'node:fs';
import type { ManagedProcess } from '../../scripts/lib/services.mjs';

export async function ownedServer(proc: ManagedProcess, dir: string, ready: () => Promise<void>): Promise<() => Promise<void>> {
  const cleanUp = async () => {
    await proc.stop({ timeoutMs: 5_000 });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready();
  } catch (err) {
    await cleanUp();
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return () => (stopped ??= cleanUp());
}
