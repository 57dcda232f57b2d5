// The reader's choice of theme: the system's (the default), or light or dark whatever the system
// says (a shared screen in a bright room, a laptop left light for other apps). Kept per browser,
// and followed by the reader's other tabs. The colours are the stylesheet's: each is
// light-dark(light, dark), and the choice sets the page's color-scheme.
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'quorum:theme';

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

/** The choice, and a setter that keeps it; the page follows a choice made in another tab. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState(storedTheme);
  useEffect(() => {
    const follow = (event: StorageEvent) => {
      if (event.key !== KEY && event.key !== null) return;
      const next = storedTheme();
      applyTheme(next);
      setChoice(next);
    };
    addEventListener('storage', follow);
    return () => removeEventListener('storage', follow);
  }, []);
  const choose = (next: ThemeChoice) => {
    try {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch {
      // No storage (a locked-down browser): the choice holds for this page.
    }
    applyTheme(next);
    setChoice(next);
  };
  return [choice, choose];
}
