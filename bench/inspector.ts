// Memory of a benchmarked server process, read the same way for Halley and for a baseline: the process is
// started with `--inspect=127.0.0.1:<port>` and this connects to it over the DevTools protocol for a
// moment (nothing changes in the server's code). `memoryAfterGc` forces full collections first, so what
// is counted is what the process holds, not garbage V8 had not collected yet.
import fs from 'node:fs';
import WebSocket from 'ws';

export type MemoryUsage = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };

async function session<T>(port: number, fn: (call: (method: string, params?: object) => Promise<any>, ws: WebSocket) => Promise<T>): Promise<T> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: any; error?: { message: string } };
    if (msg.id === undefined) return;
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error) w?.reject(new Error(msg.error.message));
    else w?.resolve(msg.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    return await fn(call, ws);
  } finally {
    ws.close();
  }
}

/** Full GCs (three: weak callbacks and finalizers may free more on the next one), then process.memoryUsage(). */
export function memoryAfterGc(port: number): Promise<MemoryUsage> {
  return session(port, async (call) => {
    for (let i = 0; i < 3; i++) await call('HeapProfiler.collectGarbage');
    await new Promise((r) => setTimeout(r, 500));
    await call('HeapProfiler.collectGarbage');
    const res = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    return JSON.parse(res.result.value as string) as MemoryUsage;
  });
}

/** Writes a heap snapshot (Chrome DevTools format) of the process to `file`. */
export function heapSnapshot(port: number, file: string): Promise<void> {
  return session(port, async (call, ws) => {
    const out = fs.openSync(file, 'w');
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as { method?: string; params?: { chunk: string } };
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') fs.writeSync(out, msg.params!.chunk);
    });
    try {
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      fs.closeSync(out);
    }
  });
}

/** Starts V8's CPU profiler in the process; `stop` writes the profile (.cpuprofile, for bench/cpu-summary.ts). */
export async function startCpuProfile(port: number): Promise<{ stop: (file: string) => Promise<void> }> {
  let stopped!: (file: string) => Promise<void>;
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const done = session(port, async (call) => {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 200 });
    await call('Profiler.start');
    await new Promise<void>((finish) => {
      stopped = async (file) => {
        const { profile } = await call('Profiler.stop');
        fs.writeFileSync(file, JSON.stringify(profile));
        finish();
      };
      ready();
    });
  });
  await started;
  return {
    stop: async (file) => {
      await stopped(file);
      await done;
    },
  };
}
