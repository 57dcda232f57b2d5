// A tiny external store for React's useSyncExternalStore: the collaboration objects live outside
// React, and components read snapshots of them.
import { useSyncExternalStore } from 'react';

export interface Store<T extends object> {
  get(): T;
  set(patch: Partial<T>): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(patch) {
      const keys = Object.keys(patch) as (keyof T)[];
      if (keys.every((key) => Object.is(value[key], patch[key]))) return;
      value = { ...value, ...patch };
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * One field of a store: the component renders again only when that field changes, not at every
 * change of the others. Every React commit costs more than its render while the notes have the
 * focus (React measures the caret in the whole editable element first), so a component reads
 * only the fields it shows.
 */
export function useStoreField<T extends object, K extends keyof T>(store: Store<T>, key: K): T[K] {
  const read = (): T[K] => store.get()[key];
  return useSyncExternalStore(store.subscribe, read, read);
}
