/**
 * `npx tsx scripts/bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [rows] [per]`
 *
 * What grew between two heap snapshots (BENCH_HEAP_SNAPSHOTS writes one per memory reading),
 * grouped by node type and constructor or string kind: count and self size, largest growth
 * first. With `per` (e.g. 500 documents) the growth is also shown divided by it.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Groups = Map<string, { count: number; size: number }>;

function groups(file: string): Groups {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out: Groups = new Map();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt]!]!;
    // Strings are grouped by kind, not by their text; other nodes by constructor or name.
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : data.strings[data.nodes[i + nameAt]!]!.slice(0, 60);
    const key = `${type} ${name}`.trim();
    const group = out.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += data.nodes[i + sizeAt]!;
    out.set(key, group);
  }
  return out;
}

const [beforeFile, afterFile, rowsArg, perArg] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  process.stderr.write('usage: heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [rows] [per]\n');
  process.exit(2);
}
const before = groups(beforeFile);
const after = groups(afterFile);
const per = Number(perArg ?? 1);
const diff = [...after].map(([key, a]) => {
  const b = before.get(key) ?? { count: 0, size: 0 };
  return { key, count: a.count - b.count, size: a.size - b.size };
});
diff.sort((x, y) => y.size - x.size);
const total = diff.reduce((sum, d) => sum + d.size, 0);
process.stdout.write(`total growth ${(total / 1024).toFixed(0)} KB${per > 1 ? `, ${(total / per / 1024).toFixed(1)} KB per each of ${per}` : ''}\n`);
for (const d of diff.slice(0, Number(rowsArg ?? 30))) {
  const share = per > 1 ? `  ${(d.count / per).toFixed(1)} / ${(d.size / per / 1024).toFixed(2)} KB each` : '';
  process.stdout.write(`${(d.size / 1024).toFixed(0).padStart(8)} KB ${String(d.count).padStart(8)}  ${d.key}${share}\n`);
}
