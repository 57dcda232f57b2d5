// Loaded with `--import` by the bench's reference and Hocuspocus servers: every import of `yjs` in
// that process resolves to `yjs-stock`, the same version as published (a dev dependency alias),
// not the copy `npm install` patches for Quorum (scripts/patch-lexical-yjs.mjs). Those servers
// are measured as their users run them; Quorum's patches (a typed character's neighbour, the
// decoded documents' memory) are Quorum's.
import { register } from 'node:module';

register('./stock-yjs-hooks.mjs', import.meta.url);
