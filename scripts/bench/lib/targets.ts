/**
 * The servers under test and how a client reaches a document on each. `quorum` is Quorum as users
 * run it (every document a meeting's session, the notes layer reading every edit); `quorum-bare`
 * is the same server with documents of no meeting, so the notes layer never runs: the difference
 * between the two columns is what the notes layer costs.
 */
export type ServerKind = 'quorum' | 'quorum-bare' | 'reference' | 'hocuspocus';
export const SERVER_KINDS: readonly ServerKind[] = ['quorum', 'quorum-bare', 'reference', 'hocuspocus'];

export function isQuorum(kind: ServerKind): boolean {
  return kind === 'quorum' || kind === 'quorum-bare';
}

export interface Target {
  kind: ServerKind;
  port: number;
  /**
   * Whether the full clients handle presence as Quorum's page does (client/collab/own-presence.ts:
   * its own presence only, at most every 50 ms, announced anew on reconnecting, renewed as
   * messages arrive). Stock y-websocket sends back every presence change it is sent. By default
   * each server gets the provider its users run (Quorum's page's for Quorum); `--same-clients`
   * gives every y-websocket server Quorum's, so that the servers are compared under the very same
   * messages.
   */
  pagePresence?: boolean;
}

/** Whether the full clients of `target` handle presence as Quorum's page does (see Target). */
export function usesPagePresence(target: Target): boolean {
  return target.pagePresence ?? isQuorum(target.kind);
}

/** The `serverUrl` a provider gets; y-websocket appends `/<doc>` to it. */
export function providerUrl(target: Target): string {
  const base = `ws://127.0.0.1:${target.port}`;
  return isQuorum(target.kind) ? `${base}/collab` : base;
}

/** The URL a raw socket opens for one document (Hocuspocus names the document in every frame). */
export function socketUrl(target: Target, doc: string, token?: string): string {
  if (target.kind === 'hocuspocus') return providerUrl(target);
  return `${providerUrl(target)}/${encodeURIComponent(doc)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
