// No import cycles between the folders of lib/: the folders must form layers (adapters on top, lib/db at the
// bottom), so a folder can be understood, tested and moved with only what is below it. A cycle is reported
// with the imports that make it up. lib/adapters/<kind> folders count separately; a file directly in lib/
// (env.ts, log.ts, ...) is a node of its own.
import { describe, expect, it } from 'vitest';
import { sourceGraph } from './lint-source-graph';

/**
 * Folder imports that still close a cycle, allowed until they are removed. This list may only shrink: an
 * entry that no longer exists fails the test below, so remove it when you cut the edge.
 */
const KNOWN_BACK_EDGES: Array<[from: string, to: string, why: string]> = [];

function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'lib' || parts.length < 2) return undefined;
  if (parts.length === 2) return parts[1];
  if (parts[1] === 'adapters' && parts.length > 3) return `adapters/${parts[2]}`;
  return parts[1];
}

type Edges = Map<string, Map<string, string[]>>;

function folderEdges(): Edges {
  const edges: Edges = new Map();
  for (const file of sourceGraph().values()) {
    const from = folderOf(file.path);
    if (!from) continue;
    for (const imp of file.imports) {
      const to = folderOf(imp.to);
      if (!to || to === from) continue;
      const byTarget = edges.get(from) ?? new Map<string, string[]>();
      edges.set(from, byTarget);
      byTarget.set(to, [...(byTarget.get(to) ?? []), `${file.path} -> ${imp.to}`]);
    }
  }
  return edges;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(edges: Edges, skip: (from: string, to: string) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (skip(v, w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('lib/ folder graph', () => {
  const edges = folderEdges();
  const known = new Set(KNOWN_BACK_EDGES.map(([from, to]) => `${from} -> ${to}`));

  it('has no import cycle between folders (besides the known, shrinking list)', () => {
    const found = cycles(edges, (from, to) => known.has(`${from} -> ${to}`));
    const report = found.map((comp) => {
      const inside = new Set(comp);
      const lines = comp.flatMap((from) => [...(edges.get(from) ?? [])].filter(([to]) => inside.has(to)).map(([to, via]) => `  ${from} -> ${to}: ${via.slice(0, 3).join(', ')}${via.length > 3 ? ', ...' : ''}`));
      return `cycle between ${comp.join(', ')}:\n${lines.join('\n')}`;
    });
    expect(report.join('\n\n'), 'folder cycles (move the adapter out of the domain folder, or a shared type down a layer)').toBe('');
  });

  it('still has every allowed back edge (remove an entry once its import is gone)', () => {
    const stale = KNOWN_BACK_EDGES.filter(([from, to]) => !edges.get(from)?.has(to)).map(([from, to]) => `${from} -> ${to}`);
    expect(stale).toEqual([]);
  });

  it('sees the lib/ folders at all', () => {
    expect(edges.size).toBeGreaterThan(15);
  });
});
