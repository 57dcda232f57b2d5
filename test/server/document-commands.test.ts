// Document commands between processes (server/cluster/document-commands.ts), with the event bus
// reduced to what it does: every process hears every event, its own included. The whole path
// over PostgreSQL is in test/postgres/app.test.ts and test/cluster/.
import { describe, expect, it } from 'vitest';
import { DocumentCommands, NoOwnerAnsweredError, RemoteCommandError, type CommandEvent, type DocumentCommand } from '../../server/cluster/document-commands.js';
import { OwnedElsewhereError } from '../../server/collab/registry.js';

class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Processes on one bus; `owner` says which holds the document (null: nobody). */
function cluster(count: number, { answerTimeoutMs = 50 } = {}) {
  let owner: number | null = 0;
  let dropAnswers = false;
  const runs: Array<{ process: number; command: DocumentCommand }> = [];
  const processes: DocumentCommands[] = [];
  const publish = (event: CommandEvent): void => {
    if (dropAnswers && event.type === 'document-command-done') return;
    // Delivered after the publisher's turn, as NOTIFY is.
    setImmediate(() => processes.forEach((p) => p.receive(event)));
  };
  for (let i = 0; i < count; i++) {
    const commands = new DocumentCommands(publish, () => owner === i, answerTimeoutMs);
    commands.handle(async (doc, command) => {
      if (owner !== null && owner !== i) throw new OwnedElsewhereError(doc);
      // Opening a free document makes this process its owner.
      owner = i;
      runs.push({ process: i, command });
      if (command.kind === 'restore') throw new CodedError('not_found', 'no version v9 of this session');
      return { ranOn: i };
    });
    processes.push(commands);
  }
  return {
    processes,
    runs,
    setOwner: (i: number | null) => (owner = i),
    dropAnswers: () => (dropAnswers = true),
  };
}

describe('document commands', () => {
  it("runs a command on the document's owner and answers the asker with its result", async () => {
    const c = cluster(3);
    c.setOwner(2);
    await expect(c.processes[0]!.run('doc', { kind: 'seal', by: 'Ada' })).resolves.toEqual({ ranOn: 2 });
    expect(c.runs).toEqual([{ process: 2, command: { kind: 'seal', by: 'Ada' } }]);
  });

  it("brings the owner's refusal back with its name and code", async () => {
    const c = cluster(2);
    c.setOwner(1);
    const refused = await c.processes[0]!.run('doc', { kind: 'restore', versionId: 'v9', by: 'Ada' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RemoteCommandError);
    expect(refused).toMatchObject({ remoteName: 'CodedError', code: 'not_found', message: 'no version v9 of this session' });
  });

  it("raises the owner's refusal again as the asker's own error class, which routes map to a status", async () => {
    const c = cluster(2);
    c.setOwner(1);
    const refused = await c.processes[0]!.runRaising('doc', { kind: 'restore', versionId: 'v9', by: 'Ada' }, CodedError).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CodedError);
    expect(refused).toMatchObject({ code: 'not_found', message: 'no version v9 of this session' });
    // Another class's refusal is not mistaken for one of ours.
    const other = await c.processes[0]!.runRaising('doc', { kind: 'restore', versionId: 'v9', by: 'Ada' }, class OtherError extends Error {}).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(RemoteCommandError);
    // Run here (the owner's own process), the refusal is the handler's error as thrown.
    await expect(c.processes[1]!.runRaising('doc', { kind: 'restore', versionId: 'v9', by: 'Ada' }, CodedError)).rejects.toBeInstanceOf(CodedError);
  });

  it('runs a command here when the document is free, and when its owner died before answering', async () => {
    const c = cluster(2);
    c.setOwner(null);
    await expect(c.processes[0]!.run('doc', { kind: 'agenda' })).resolves.toEqual({ ranOn: 0 });
    // Process 1 holds it, then dies: nobody answers, and its lock is free.
    c.setOwner(1);
    const asked = c.processes[0]!.run('doc', { kind: 'named', name: 'v1', by: 'Ada' });
    c.processes.splice(1, 1);
    c.setOwner(null);
    await expect(asked).resolves.toEqual({ ranOn: 0 });
  });

  it('never runs a command twice when the answer is lost: a 503 instead', async () => {
    const c = cluster(2);
    c.setOwner(1);
    c.dropAnswers();
    const refused = await c.processes[0]!.run('doc', { kind: 'named', name: 'before the vote', by: 'Ada' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NoOwnerAnsweredError);
    expect(refused).toMatchObject({ statusCode: 503 });
    expect(c.runs.filter((r) => r.command.kind === 'named')).toHaveLength(1);
  });
});
