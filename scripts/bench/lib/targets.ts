/** The three servers under test and how a client reaches a document on each. */
export type ServerKind = 'quorum' | 'reference' | 'hocuspocus';
export const SERVER_KINDS: readonly ServerKind[] = ['quorum', 'reference', 'hocuspocus'];

export interface Target {
  kind: ServerKind;
  port: number;
}

/** The `serverUrl` a provider gets; y-websocket appends `/<doc>` to it. */
export function providerUrl(target: Target): string {
  const base = `ws://127.0.0.1:${target.port}`;
  return target.kind === 'quorum' ? `${base}/collab` : base;
}

/** The URL a raw socket opens for one document (Hocuspocus names the document in every frame). */
export function socketUrl(target: Target, doc: string): string {
  return target.kind === 'hocuspocus' ? providerUrl(target) : `${providerUrl(target)}/${encodeURIComponent(doc)}`;
}
