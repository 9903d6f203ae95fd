// The bell: notices, new mail and broadcasts, newest first. Open an item's link (a message
// in the app, or a notice's URL in a new tab), mark it read, delete it.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, query } from './api';
import { formatDateTime, t } from './i18n';
import { onLiveEvent, unreadCounts } from './live';
import { navigate } from './router';
import { refreshCountsIfOffline } from './session';
import { attempt, showToast } from './toasts';
import type { BellItem, BellPage as BellReply } from './types';
import { enablePush, pushSupported } from './web_push';

function PushButton() {
  const [state, setState] = useState<'idle' | 'busy' | 'enabled'>('idle');
  if (!pushSupported()) return null;
  async function enable() {
    setState('busy');
    try {
      const result = await enablePush();
      if (result === 'enabled') {
        setState('enabled');
        showToast(t('push_enabled'));
        return;
      }
      showToast(t(result === 'denied' ? 'push_denied' : 'push_unsupported'), 'error');
    } catch (failure) {
      showToast(t('push_failed', { reason: (failure as Error).message }), 'error');
    }
    setState('idle');
  }
  if (state === 'enabled') return <span class="muted">{t('push_enabled')}</span>;
  return (
    <button onClick={enable} disabled={state === 'busy'}>
      {t('enable_push')}
    </button>
  );
}

export function BellPage() {
  const [items, setItems] = useState<BellItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);

  async function load(cursor?: string) {
    await attempt(async () => {
      const page = await get<BellReply>('/notifications' + query({ limit: 50, cursor }));
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor);
      unreadCounts.update((counts) => ({ ...counts, notifications: page.unread }));
    });
  }

  useEffect(() => {
    void load();
    return onLiveEvent((event) => {
      if (event.type === 'notification.new' || event.type === 'message.retracted') void load();
    });
  }, []);

  async function markRead(item: BellItem) {
    if (item.read) return;
    await post(`/notifications/${encodeURIComponent(item.id)}/read`);
    setItems((list) => list?.map((other) => (other.id === item.id ? { ...other, read: true } : other)) ?? list);
    void refreshCountsIfOffline();
  }

  async function open(item: BellItem) {
    try {
      await markRead(item);
    } catch {
      // opening matters more than the read mark
    }
    if (item.message_id && (item.kind === 'mail' || item.kind === 'broadcast')) {
      navigate(`/messages/${encodeURIComponent(item.message_id)}`);
    } else if (item.url) {
      window.open(item.url, '_blank', 'noopener,noreferrer');
    }
  }

  async function remove(item: BellItem) {
    await attempt(async () => {
      await del(`/notifications/${encodeURIComponent(item.id)}`);
      setItems((list) => list?.filter((other) => other.id !== item.id) ?? list);
      void refreshCountsIfOffline();
    });
  }

  return (
    <section class="bell-page">
      <div class="toolbar">
        <h1>{t('notifications')}</h1>
        <PushButton />
      </div>
      {items === null && <p class="muted">{t('loading')}</p>}
      {items?.length === 0 && <p class="empty">{t('bell_empty')}</p>}
      <ul class="bell-items" data-testid="bell-items">
        {items?.map((item) => (
          <li key={item.id} class={item.read ? 'bell-item' : 'bell-item unread'}>
            <div class="bell-text">
              <strong>{item.title}</strong>
              <span>{item.text}</span>
              {item.url && <span class="muted small url">{item.url}</span>}
              <time class="muted small" dateTime={item.created_at}>
                {formatDateTime(item.created_at)}
              </time>
            </div>
            <div class="bell-actions">
              {(item.url || (item.message_id && item.kind !== 'notice')) && (
                <button onClick={() => open(item)}>{t('open')}</button>
              )}
              {!item.read && <button onClick={() => markRead(item).catch(() => {})}>{t('mark_read')}</button>}
              <button onClick={() => remove(item)} aria-label={t('delete_item', { title: item.title })}>
                {t('delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {next && (
        <button class="more" onClick={() => load(next)}>
          {t('older')}
        </button>
      )}
    </section>
  );
}
