// The live session: one WebSocket per tab, authenticated by the session cookie, reconnecting
// with backoff. Events go to every subscriber; `counts` also updates the unread counts.
import { Store } from './store';
import type { Unread } from './types';

export interface LiveEvent {
  type: string;
  [field: string]: unknown;
}

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();

export const liveState = new Store<'connecting' | 'open' | 'closed' | 'dropped'>('closed');
export const unreadCounts = new Store<Unread>({ inbox: 0, notifications: 0 });

export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let socket: WebSocket | null = null;
let retryDelay = 500;
let retryTimer: number | undefined;
let wanted = false;

export function startLive(): void {
  wanted = true;
  if (socket) return;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${window.location.host}/api/v1/live?client=herald-web`;
  liveState.set('connecting');
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    retryDelay = 500;
    liveState.set('open');
  };
  ws.onmessage = (frame) => {
    let event: LiveEvent;
    try {
      event = JSON.parse(String(frame.data));
    } catch {
      return;
    }
    if (event.type === 'counts') {
      unreadCounts.set({ inbox: Number(event.inbox), notifications: Number(event.notifications) });
    }
    if (event.type === 'session.dropped' && event.reason === 'dropped_by_admin') wanted = false;
    for (const listener of listeners) listener(event);
  };
  ws.onclose = () => {
    socket = null;
    if (!wanted) {
      liveState.set(liveState.get() === 'open' ? 'dropped' : 'closed');
      return;
    }
    liveState.set('connecting');
    retryTimer = window.setTimeout(startLive, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  };
}

export function stopLive(): void {
  wanted = false;
  window.clearTimeout(retryTimer);
  socket?.close();
  socket = null;
  liveState.set('closed');
}
