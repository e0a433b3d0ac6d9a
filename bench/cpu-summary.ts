// Summarises V8 .cpuprofile files (from `npm run bench -- --cpu-prof`): self time by package/area,
// self time by function, and inclusive time by function (each sample counted once per function).
//   tsx bench/cpu-summary.ts bench/results/cpu-prof/CPU.*.cpuprofile [--top 30] [--filter text]
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Where a frame's code lives: an npm package, Next's build output, the project's own code, node internals. */
export function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    // Next bundles some dependencies under next/dist/compiled/<name>.
    if (pkg === 'next' && rest[1] === 'dist' && rest[2] === 'compiled') return `next (compiled ${rest[3]})`;
    if (pkg === 'next' && rest[1] === 'dist') return `next (${rest[2]})`;
    return pkg;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const m = /\/(\.next\/server\/[^/]+|lib\/[^/]+|app|bench|server\.ts)/.exec(url);
  return m ? m[1] : url.replace(/^file:\/\//, '');
}

// Next's build output is minified; its .js.map files name the original file and function.
const maps = new Map<string, SourceMap | null>();
function sourceMapFor(url: string): SourceMap | null {
  if (!url.includes('/.next/')) return null;
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(fileURLToPath(url) + '.map', 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}

/** The frame with its original location (and name, when the map has one) for minified code. */
function original(f: CallFrame): CallFrame {
  const map = sourceMapFor(f.url);
  if (!map) return f;
  const e = map.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; originalLine?: number; name?: string };
  if (!e?.originalSource) return f;
  let src = e.originalSource.replace(/^turbopack:\/\/\/?/, '').replace(/^\[project\]\//, '');
  if (!src.startsWith('/') && !src.startsWith('[')) src = path.resolve(path.dirname(fileURLToPath(f.url)), src);
  return { functionName: e.name ? `${e.name} (${f.functionName})` : f.functionName, url: src, lineNumber: e.originalLine ?? 0, columnNumber: 0 };
}

export function summarise(profile: Profile, top = 30, filter?: string): string {
  for (const n of profile.nodes) n.callFrame = original(n.callFrame);
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) byId.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => {
    const f = n.callFrame;
    const file = f.url ? path.relative(process.cwd(), f.url.replace(/^file:\/\//, '')).replace(/^.*\/node_modules\//, 'node_modules/') : '';
    return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  // The first delta is the time from Profiler.start to the first sample: V8 logging every compiled function
  // (~190 ms in Halley's web process, ~20 ms in a bare ws server), not the program's work. It used to be counted
  // as that first sample's "(program)" (bench/README.md, fan-out 2026-12-06, session 16).
  const startup = (profile.timeDeltas[0] ?? 0) / 1000;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = i === 0 ? 0 : (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    total += dt;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)') {
      if (fn === '(idle)') idle += dt;
    }
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + dt);
    const a = area(node.callFrame.url, fn);
    selfArea.set(a, (selfArea.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const kk = key(byId.get(id)!);
      if (seen.has(kk)) continue;
      seen.add(kk);
      incl.set(kk, (incl.get(kk) ?? 0) + dt);
    }
  }
  const busy = total - idle;
  const fmt = (m: Map<string, number>, n: number, f?: string) =>
    [...m.entries()]
      .filter(([k]) => !k.startsWith('(idle)') && (!f || k.includes(f)))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${v.toFixed(0).padStart(8)} ms ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return [
    `profile: ${(total / 1000).toFixed(1)} s sampled, ${(idle / 1000).toFixed(1)} s idle, ${(busy / 1000).toFixed(1)} s busy (percentages are of busy time; ` +
      `the profiler's start-up before the first sample, ${startup.toFixed(0)} ms, not counted)`,
    '',
    'self time by area:',
    fmt(selfArea, top),
    '',
    'self time by function:',
    fmt(self, top, filter),
    '',
    'inclusive time by function:',
    fmt(incl, top, filter),
  ].join('\n');
}

function isMain(): boolean {
  return process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'));
}

if (isMain()) {
  const args = process.argv.slice(2);
  let top = 30;
  let filter: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--filter') filter = args[++i];
    else files.push(args[i]);
  }
  if (files.length === 0) {
    console.error('usage: tsx bench/cpu-summary.ts <file.cpuprofile>... [--top N] [--filter text]');
    process.exit(2);
  }
  for (const f of files) {
    console.log(`=== ${f}`);
    console.log(summarise(JSON.parse(fs.readFileSync(f, 'utf8')) as Profile, top, filter));
    console.log('');
  }
}
