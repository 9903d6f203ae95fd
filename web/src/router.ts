// History-API routing: paths such as /mail/inbox and /messages/42 (the link a push carries).
import type { JSX } from 'preact';
import { Store, useStore } from './store';

export interface Location {
  path: string;
  params: URLSearchParams;
}

function current(): Location {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

const location = new Store<Location>(current());
window.addEventListener('popstate', () => location.set(current()));

export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  location.set(current());
  window.scrollTo(0, 0);
}

export function useLocation(): Location {
  return useStore(location);
}

// Matches "/messages/:id" against a path; returns the captures, or null.
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

// A plain click on an in-app link navigates without reloading; other clicks (a new tab) do not.
export function onLinkClick(event: JSX.TargetedMouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
