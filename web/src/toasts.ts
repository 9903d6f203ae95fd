// Short-lived messages at the corner of the screen: live alerts, and the outcome of actions.
import { Store } from './store';

export interface Toast {
  id: number;
  text: string;
  title?: string;
  kind: 'alert' | 'info' | 'error';
}

export const toasts = new Store<Toast[]>([]);
let nextId = 1;

export function dismissToast(id: number): void {
  toasts.update((list) => list.filter((toast) => toast.id !== id));
}

// Alerts stay until dismissed (someone wanted them read); other toasts fade after a while.
export function showToast(text: string, kind: Toast['kind'] = 'info', title?: string): void {
  const id = nextId++;
  toasts.update((list) => [...list.slice(-4), { id, text, kind, title }]);
  if (kind !== 'alert') setTimeout(() => dismissToast(id), 5000);
}

// Runs something the user asked for; a failure becomes an error toast with the server's message.
export async function attempt(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (failure) {
    showToast((failure as Error).message, 'error');
  }
}
