// Run by test/server/yjs-memory.test.ts in a process of its own (a small heap to take apart):
// decodes copies of a Lexical-shaped document the way the server loads one, takes a heap
// snapshot, and prints what the decoded documents hold: each ContentAny's array and its backing
// store, and how many copies of one map key's string and of one short value exist.
import * as Y from 'yjs';
import v8 from 'node:v8';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const COPIES = 20;
const KEY = '__quorumTestPropertyKey';
const VALUE = 'value of a text node';

const source = new Y.Doc();
const root = source.get('root', Y.XmlText);
for (let p = 0; p < 10; p++) {
  const paragraph = new Y.XmlText();
  root.insertEmbed(root.length, paragraph);
  paragraph.setAttribute('__type', 'paragraph');
  paragraph.setAttribute('__format', 0);
  const marker = new Y.Map();
  paragraph.insertEmbed(0, marker);
  marker.set('__type', 'text');
  marker.set(KEY, VALUE);
  paragraph.insert(1, `line ${p}`);
}
const update = Y.encodeStateAsUpdate(source);
source.destroy();
const docs = [];
for (let i = 0; i < COPIES; i++) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  docs.push(doc);
}

const file = join(tmpdir(), `quorum-decoded-heap-${process.pid}.heapsnapshot`);
v8.writeHeapSnapshot(file);
const snapshot = JSON.parse(readFileSync(file, 'utf8'));
rmSync(file);
const { node_fields: nodeFields, edge_fields: edgeFields, node_types: nodeTypes, edge_types: edgeTypes } = snapshot.snapshot.meta;
const { nodes, edges, strings } = snapshot;
const width = nodeFields.length;
const edgeWidth = edgeFields.length;
const at = (field) => nodeFields.indexOf(field);
const [TYPE, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map(at);
const [EDGE_TYPE, EDGE_NAME, EDGE_TO] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f));
const firstEdge = [];
for (let i = 0, e = 0; i < nodes.length; i += width) {
  firstEdge.push(e);
  e += nodes[i + EDGES] * edgeWidth;
}
const typeOf = (node) => nodeTypes[0][nodes[node + TYPE]];
const nameOf = (node) => strings[nodes[node + NAME]];
/** The node a named property (or internal field) of `node` points to. */
function follow(node, name) {
  const start = firstEdge[node / width];
  for (let e = start; e < start + nodes[node + EDGES] * edgeWidth; e += edgeWidth) {
    const type = edgeTypes[0][edges[e + EDGE_TYPE]];
    if (type !== 'element' && type !== 'hidden' && strings[edges[e + EDGE_NAME]] === name) return edges[e + EDGE_TO];
  }
  return null;
}
const arrays = [];
let keyCopies = 0;
let valueCopies = 0;
for (let node = 0; node < nodes.length; node += width) {
  if (typeOf(node) === 'string' && nameOf(node) === KEY) keyCopies++;
  if (typeOf(node) === 'string' && nameOf(node) === VALUE) valueCopies++;
  if (typeOf(node) !== 'object' || nameOf(node) !== 'ContentAny') continue;
  const arr = follow(node, 'arr');
  const elements = arr === null ? null : follow(arr, 'elements');
  if (elements === null) continue;
  arrays.push(nodes[elements + SIZE]);
}
process.stdout.write(JSON.stringify({ copies: COPIES, contentAny: arrays.length, elementsBytes: arrays, keyCopies, valueCopies }));
