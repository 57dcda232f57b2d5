/**
 * Keeps share-link tokens retrievable for the meeting's owner without keeping them in the clear.
 *
 * The database authenticates a link by the token's SHA-256 hash (share-links.ts), and that stays
 * the only thing a request is checked against. Besides it, each token is stored sealed with
 * AES-256-GCM under a key that lives in DATA_DIR as its own file, so the owner's share dialog can
 * show the address at any time. Why not the token as it is: the same database holds the notes the
 * link opens, but copies of the database travel further than the data directory (`quorum backup`
 * writes the database alone, people attach it to bug reports), and a copy without the key file
 * reveals no working address. A database restored without its key keeps every link working; the
 * owner rotates a link to see its address again.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const LINK_KEY_FILE = 'link-tokens.key';
const VERSION = 'v1';

export interface LinkSealer {
  seal(token: string): string;
  /** The token, or null when the value was sealed under another key or is damaged. */
  open(sealed: string | null): string | null;
}

/** Reads DATA_DIR's key, making it (readable by this user only) on first start. */
export function linkSealerFor(dataDir: string): LinkSealer {
  const file = join(dataDir, LINK_KEY_FILE);
  if (!existsSync(file)) {
    // `wx`: two servers racing here (the data-dir lock makes that rare) never overwrite a key.
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key; move it away to make a new one (links made under it then show no address until rotated)`);
  try {
    chmodSync(file, 0o600);
  } catch {
    // A read-only data directory is refused elsewhere with a clearer message.
  }
  return sealerWithKey(key);
}

export function sealerWithKey(key: Buffer): LinkSealer {
  return {
    seal(token) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      if (!sealed) return null;
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || body === undefined || !tag) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
