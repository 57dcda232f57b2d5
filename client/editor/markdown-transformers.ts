// The Markdown the notes understand, typed (MarkdownShortcutPlugin: `## `, `- `, `[ ] `, `**bold**`)
// or pasted (markdown.ts): one list, so that a paste reads what typing would have made.
import { CHECK_LIST, TRANSFORMERS, type Transformer } from '@lexical/markdown';
import { NOTE_NODES } from '../../shared/notes/nodes';

const registered = new Set(NOTE_NODES);

/**
 * CHECK_LIST is not in TRANSFORMERS (0.52). Transformers whose nodes we do not register (code
 * blocks) are left out: registering a shortcut for an unknown node throws.
 */
export const NOTE_MARKDOWN: Transformer[] = [CHECK_LIST, ...TRANSFORMERS].filter(
  (transformer) => !('dependencies' in transformer) || transformer.dependencies.every((node) => registered.has(node)),
);
