// Who is logged in: loaded from GET /me at start, set by login, cleared by logout or a 401.
import { ApiError, clearPrefetched, get, onUnauthorized, post } from './api';
import { liveState, startLive, stopLive, unreadCounts } from './live';
import { Store } from './store';
import type { Me, User } from './types';

// undefined while the first GET /me is on its way; null when nobody is logged in.
export const currentUser = new Store<User | null | undefined>(undefined);

function signedIn(me: Me): void {
  unreadCounts.set(me.unread);
  currentUser.set(me.user);
  startLive();
}

function signedOut(): void {
  clearPrefetched();
  stopLive();
  currentUser.set(null);
}

onUnauthorized(() => {
  if (currentUser.get()) signedOut();
});

export async function loadSession(): Promise<void> {
  try {
    signedIn(await get<Me>('/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signedOut();
    else throw error;
  }
}

export async function login(username: string, password: string): Promise<void> {
  await post('/login', { username, password, cookie: true });
  signedIn(await get<Me>('/me'));
}

export async function logout(): Promise<void> {
  try {
    await post('/logout');
  } finally {
    signedOut();
  }
}

export function isAdmin(user: User | null | undefined): boolean {
  return user?.role === 'admin';
}

export function canSend(user: User | null | undefined): boolean {
  return user?.role === 'admin' || user?.role === 'sender';
}

// The server sends `counts` after every change; without a live session, ask for them.
export async function refreshCountsIfOffline(): Promise<void> {
  if (liveState.get() === 'open') return;
  try {
    unreadCounts.set((await get<Me>('/me')).unread);
  } catch {
    // the next change or reconnection brings them
  }
}
