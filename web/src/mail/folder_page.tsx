// One folder's entries, newest first, with checkboxes for bulk actions. The inbox takes new
// mail and retractions from the live session as they happen.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { ApiError, get, post, query } from '../api';
import { formatDate, t } from '../i18n';
import { onLiveEvent } from '../live';
import { onLinkClick } from '../router';
import { showToast } from '../toasts';
import type { FolderEntry, FolderName, Page, UserRef } from '../types';
import { ClipIcon } from '../components/icons';
import { refreshFolders } from './folders';

type Action = 'read' | 'unread' | 'trash' | 'restore' | 'delete';

interface NewMessageEvent {
  id: string;
  kind: FolderEntry['kind'];
  subject: string;
  from: UserRef;
  created_at: string;
  has_attachments: boolean;
}

let markedReady = false;

export function FolderPage({ folder }: { folder: FolderName }) {
  const [items, setItems] = useState<FolderEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState('');

  async function load(cursor?: string) {
    try {
      const page = await get<Page<FolderEntry>>(
        `/folders/${folder}/messages` + query({ limit: 50, cursor, unread: unreadOnly || undefined }),
      );
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor);
      setError('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  // A layout effect, so that the request leaves before the first paint rather than after it.
  useLayoutEffect(() => {
    setItems(null);
    setSelected(new Set());
    void load();
  }, [folder, unreadOnly]);

  // The first screen's time: the frame that paints the inbox's first page (reported by the
  // browser tests and bench/web_bench.mjs).
  useLayoutEffect(() => {
    if (items && !markedReady && folder === 'inbox') {
      markedReady = true;
      requestAnimationFrame(() => performance.mark('herald:inbox-ready'));
    }
  }, [items]);

  useEffect(
    () =>
      onLiveEvent((event) => {
        if (event.type === 'message.new' && folder === 'inbox') {
          const message = event.message as NewMessageEvent;
          const entry: FolderEntry = {
            id: message.id,
            kind: message.kind,
            from: message.from,
            subject: message.subject,
            snippet: '',
            read: false,
            has_attachments: message.has_attachments,
            draft: false,
            folder: 'inbox',
            date: message.created_at,
          };
          setItems((old) => (old && !old.some((e) => e.id === entry.id) ? [entry, ...old] : old));
          void load(); // fills in the snippet; the entry is already on screen
        } else if (event.type === 'message.retracted') {
          const id = (event.message as { id: string }).id;
          setItems((old) => old?.filter((entry) => entry.id !== id) ?? old);
        }
      }),
    [folder, unreadOnly],
  );

  function toggle(id: string) {
    setSelected((old) => {
      const copy = new Set(old);
      if (copy.has(id)) copy.delete(id);
      else copy.add(id);
      return copy;
    });
  }

  async function act(action: Action) {
    let ids = [...selected];
    if (action === 'trash') {
      const broadcasts = new Set(items?.filter((e) => e.kind === 'broadcast').map((e) => e.id));
      const kept = ids.filter((id) => broadcasts.has(id));
      ids = ids.filter((id) => !broadcasts.has(id));
      if (kept.length) showToast(t('broadcasts_stay'), 'info');
    }
    if (!ids.length) return;
    if (action === 'delete' && !window.confirm(t(folder === 'drafts' ? 'confirm_discard' : 'confirm_purge', { count: ids.length }))) {
      return;
    }
    try {
      await post('/messages/actions', { ids, action });
      setSelected(new Set());
      await Promise.all([load(), refreshFolders()]);
      if (action === 'trash') showToast(t('moved_to_trash', { count: ids.length }));
      if (action === 'restore') showToast(t('restored', { count: ids.length }));
      if (action === 'delete') showToast(t('deleted_for_good', { count: ids.length }));
    } catch (failure) {
      showToast(failure instanceof ApiError ? failure.message : String(failure), 'error');
    }
  }

  const all = items ?? [];
  const allSelected = all.length > 0 && all.every((entry) => selected.has(entry.id));
  const none = selected.size === 0;

  return (
    <div class="folder">
      <div class="toolbar" role="toolbar" aria-label={t('actions')}>
        <h1>{t(`folder_${folder}`)}</h1>
        <label class="check">
          <input
            type="checkbox"
            checked={allSelected}
            onChange={() => setSelected(allSelected ? new Set() : new Set(all.map((e) => e.id)))}
          />
          {t('select_all')}
        </label>
        {(folder === 'inbox' || folder === 'sent') && (
          <>
            <button disabled={none} onClick={() => act('read')}>
              {t('mark_read')}
            </button>
            <button disabled={none} onClick={() => act('unread')}>
              {t('mark_unread')}
            </button>
            <button disabled={none} onClick={() => act('trash')}>
              {t('delete')}
            </button>
          </>
        )}
        {folder === 'drafts' && (
          <button disabled={none} onClick={() => act('delete')}>
            {t('discard')}
          </button>
        )}
        {folder === 'trash' && (
          <>
            <button disabled={none} onClick={() => act('restore')}>
              {t('restore')}
            </button>
            <button class="danger" disabled={none} onClick={() => act('delete')}>
              {t('delete_forever')}
            </button>
          </>
        )}
        {folder === 'inbox' && (
          <label class="check push-right">
            <input
              type="checkbox"
              checked={unreadOnly}
              onChange={(e) => setUnreadOnly(e.currentTarget.checked)}
            />
            {t('unread_only')}
          </label>
        )}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {items === null && !error && <p class="muted">{t('loading')}</p>}
      {items !== null && items.length === 0 && <p class="empty">{t('folder_empty')}</p>}
      <ul class="entries" data-testid="entries">
        {all.map((entry) => {
          const href = entry.draft ? `/compose?draft=${entry.id}` : `/messages/${entry.id}`;
          return (
            <li
              key={entry.id}
              class={`entry${entry.read || entry.draft ? '' : ' unread'}`}
              data-id={entry.id}
            >
              <input
                type="checkbox"
                aria-label={t('select_entry', { subject: entry.subject || t('no_subject') })}
                checked={selected.has(entry.id)}
                onChange={() => toggle(entry.id)}
              />
              <span class="from">
                {entry.to
                  ? `${t('to')}: ${entry.to.map((address) => address.name).join(', ') || '—'}`
                  : entry.from.display_name ?? entry.from.username}
              </span>
              <a class="subject" href={href} onClick={onLinkClick}>
                {entry.kind === 'broadcast' && <span class="tag">{t('broadcast')}</span>}
                {entry.kind === 'notice' && <span class="tag">{t('notice')}</span>}
                <span class="subject-text">{entry.subject || t('no_subject')}</span>
                {entry.snippet && <span class="snippet"> — {entry.snippet}</span>}
              </a>
              <span class="meta">
                {entry.has_attachments && (
                  <span class="clip" title={t('has_attachments')} aria-label={t('has_attachments')} role="img">
                    <ClipIcon />
                  </span>
                )}
                <time dateTime={entry.date}>{formatDate(entry.date)}</time>
              </span>
            </li>
          );
        })}
      </ul>
      {next && (
        <button class="more" onClick={() => load(next)}>
          {t('older')}
        </button>
      )}
    </div>
  );
}

