import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { applyTheme, storedTheme } from './theme';

// Before the first render, so a dark choice does not flash light.
applyTheme(storedTheme());

createRoot(document.getElementById('root')!).render(<App />);

// Offline reloads need the app shell from the service worker (not in `npm run dev`: HMR).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register('/sw.js').catch((error: unknown) => console.warn('quorum: offline reloads unavailable:', error));
}
