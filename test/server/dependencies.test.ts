import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every installed copy of a package, wherever npm nested it. */
function installedCopies(name: string, dir = join(ROOT, 'node_modules'), found: string[] = []): string[] {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.bin') continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      installedCopies(name, path, found);
      continue;
    }
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) found.push(`${path}@${pkg.version}`);
    }
    installedCopies(name, join(path, 'node_modules'), found);
  }
  return found;
}

describe('dependencies', () => {
  it('installs exactly one copy of yjs, version 13 (two copies silently break sync)', () => {
    // yjs-stock, the same version unpatched, is the bench's alone: its reference servers load it
    // in processes of their own (scripts/bench/servers/stock-yjs.mjs); nothing of Quorum does.
    const all = installedCopies('yjs');
    const copies = all.filter((copy) => !copy.startsWith(join(ROOT, 'node_modules/yjs-stock@')));
    expect(copies, all.join('\n')).toHaveLength(1);
    expect(copies[0]).toMatch(/@13\.6\.\d+$/);
    const stock = all.find((copy) => copy.startsWith(join(ROOT, 'node_modules/yjs-stock@')));
    expect(stock?.split('@').pop(), 'the bench compares Quorum with the same yjs version').toBe(copies[0]!.split('@').pop());
  });

  it('keeps every @lexical package on the one version of lexical', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lexical = pkg.dependencies.lexical;
    const versions = new Set(
      readdirSync(join(ROOT, 'node_modules/@lexical')).map(
        (name) => (JSON.parse(readFileSync(join(ROOT, 'node_modules/@lexical', name, 'package.json'), 'utf8')) as { version: string }).version,
      ),
    );
    expect([...versions]).toEqual([lexical]);
    expect(installedCopies('lexical')).toHaveLength(1);
  });
});
