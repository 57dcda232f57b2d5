// A link to one of the app's pages. A plain click goes there in place (no reload: the session, the
// notes' socket and the editor stay); a click with a modifier key or the middle button does what
// the browser does with a link (a new tab, a new window), which a bare preventDefault took away.
import type { AnchorHTMLAttributes, JSX, MouseEvent } from 'react';
import { navigate } from './router';

export function AppLink({ to, onClick, ...attributes }: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>): JSX.Element {
  return (
    <a
      {...attributes}
      href={to}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    />
  );
}
