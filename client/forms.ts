// What the pages' forms share: a submission that is busy while it runs and says how it went, and
// the server's error messages ("the current password is wrong") written as sentences.
import { useState, type FormEvent } from 'react';
import { ApiError } from './api';

/** A server message as a sentence: capitalised, ended with a full stop. */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  return `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/**
 * A form's submission: `busy` while `action` runs, then its error (the server's message), or
 * `done`, what the action answered it did (for forms that stay on the page).
 */
export function useSubmit(action: () => Promise<string | void>): { busy: boolean; error: string | null; done: string | null; submit: (event: FormEvent) => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return {
    busy,
    error,
    done,
    submit(event) {
      event.preventDefault();
      setBusy(true);
      setError(null);
      setDone(null);
      action()
        .then((said) => setDone(said ?? null))
        .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Something went wrong; try again.'))
        .finally(() => setBusy(false));
    },
  };
}
