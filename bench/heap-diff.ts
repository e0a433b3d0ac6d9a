// Compares two heap snapshots (bench:live --heap-snapshots writes them) by object kind: what N connections
// added, per connection.  npx tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot N [top]
import fs from 'node:fs';

type Summary = Map<string, { count: number; size: number }>;

function summarise(file: string): Summary {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const out: Summary = new Map();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    let name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : snap.strings[snap.nodes[i + iName]];
    if (name.length > 80) name = name.slice(0, 80) + '…';
    const key = `${type}:${name}`;
    const e = out.get(key) ?? { count: 0, size: 0 };
    e.count += 1;
    e.size += snap.nodes[i + iSize];
    out.set(key, e);
  }
  return out;
}

const [before, after, n, top = '40'] = process.argv.slice(2);
const a = summarise(before);
const b = summarise(after);
const N = Number(n);
const rows = [...new Set([...a.keys(), ...b.keys()])].map((k) => {
  const x = a.get(k) ?? { count: 0, size: 0 };
  const y = b.get(k) ?? { count: 0, size: 0 };
  return { k, count: (y.count - x.count) / N, bytes: (y.size - x.size) / N };
});
rows.sort((p, q) => q.bytes - p.bytes);
const total = rows.reduce((s, r) => s + r.bytes, 0);
console.log(`total self size per connection: ${total.toFixed(0)} bytes`);
for (const r of rows.slice(0, Number(top))) console.log(`${r.bytes.toFixed(0).padStart(8)} B ${r.count.toFixed(2).padStart(8)} x  ${r.k}`);
