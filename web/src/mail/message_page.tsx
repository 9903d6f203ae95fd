// One message as the caller sees it, with its thread. Opening it marks it read.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post } from '../api';
import { Attachments } from '../components/attachments';
import { MessageBody } from '../components/message_body';
import { formatDateTime, t } from '../i18n';
import { onLiveEvent } from '../live';
import { navigate, onLinkClick } from '../router';
import { currentUser } from '../session';
import { useStore } from '../store';
import { attempt, showToast } from '../toasts';
import type { Message, NamedAddress } from '../types';
import { refreshFolders } from './folders';

function Addresses({ label, list }: { label: string; list: NamedAddress[] | undefined }) {
  if (!list?.length) return null;
  return (
    <div class="addresses">
      <span class="muted">{label}</span> {list.map((address) => address.name).join(', ')}
    </div>
  );
}

export function MessagePage({ id }: { id: string }) {
  const user = useStore(currentUser);
  const [message, setMessage] = useState<Message | null>(null);
  const [error, setError] = useState('');
  const [gone, setGone] = useState(false);

  async function load() {
    try {
      const loaded = await get<Message>(`/messages/${encodeURIComponent(id)}`);
      setMessage(loaded);
      setError('');
      if (!loaded.read && !loaded.draft) {
        await post(`/messages/${encodeURIComponent(id)}/read`);
        setMessage({ ...loaded, read: true });
        void refreshFolders();
      }
    } catch (failure) {
      setMessage(null);
      setError(
        failure instanceof ApiError && failure.status === 404
          ? t('message_not_found')
          : String((failure as Error).message),
      );
    }
  }

  useEffect(() => {
    setMessage(null);
    setGone(false);
    void load();
  }, [id]);

  useEffect(
    () =>
      onLiveEvent((event) => {
        if (event.type === 'message.retracted' && (event.message as { id: string }).id === id) {
          setGone(true);
        }
      }),
    [id],
  );

  async function act(action: 'unread' | 'trash' | 'restore' | 'purge') {
    const path = `/messages/${encodeURIComponent(id)}`;
    await attempt(async () => {
      if (action === 'purge') {
        if (!window.confirm(t('confirm_purge', { count: 1 }))) return;
        await del(path);
      } else {
        await post(`${path}/${action}`);
      }
      void refreshFolders();
      if (action === 'unread') showToast(t('marked_unread'));
      if (action === 'trash') showToast(t('moved_to_trash', { count: 1 }));
      if (action === 'restore') showToast(t('restored', { count: 1 }));
      const back = action === 'restore' || action === 'purge' ? 'trash' : message?.folder;
      navigate(`/mail/${back ?? 'inbox'}`);
    });
  }

  if (gone) return <p class="empty" role="status">{t('broadcast_retracted')}</p>;
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!message) return <p class="muted">{t('loading')}</p>;

  const mine = message.from.id === user?.id;
  const quoted = encodeURIComponent(id);
  return (
    <article class="message" aria-labelledby="message-subject">
      <div class="toolbar" role="toolbar" aria-label={t('actions')}>
        {message.kind !== 'notice' && !(mine && message.kind === 'broadcast') && (
          <a class="button" href={`/compose?reply_to=${quoted}`} onClick={onLinkClick}>
            {t('reply')}
          </a>
        )}
        {message.kind === 'mail' && message.reply_all.length > 1 && (
          <a class="button" href={`/compose?reply_to=${quoted}&all=1`} onClick={onLinkClick}>
            {t('reply_all')}
          </a>
        )}
        {message.kind === 'mail' && (
          <a class="button" href={`/compose?forward_of=${quoted}`} onClick={onLinkClick}>
            {t('forward')}
          </a>
        )}
        {message.folder !== 'sent' && <button onClick={() => act('unread')}>{t('mark_unread')}</button>}
        {message.folder === 'trash' ? (
          <>
            <button onClick={() => act('restore')}>{t('restore')}</button>
            <button class="danger" onClick={() => act('purge')}>
              {t('delete_forever')}
            </button>
          </>
        ) : (
          message.kind !== 'broadcast' && <button onClick={() => act('trash')}>{t('delete')}</button>
        )}
        {mine && message.kind === 'broadcast' && (
          <a class="button" href={`/admin/broadcasts/${quoted}`} onClick={onLinkClick}>
            {t('statistics')}
          </a>
        )}
        {mine && message.kind !== 'mail' && (
          <a class="button" href={`/admin/deliveries/${quoted}`} onClick={onLinkClick}>
            {t('deliveries')}
          </a>
        )}
      </div>
      <header class="message-head">
        <h1 id="message-subject">
          {message.kind === 'broadcast' && <span class="tag">{t('broadcast')}</span>}
          {message.subject || t('no_subject')}
        </h1>
        <div>
          <span class="muted">{t('from')}</span>{' '}
          <strong>{message.from.display_name ?? message.from.username}</strong>{' '}
          <time class="muted" dateTime={message.sent_at ?? message.created_at}>
            {formatDateTime(message.sent_at ?? message.created_at)}
          </time>
        </div>
        <Addresses label={t('to')} list={message.to} />
        <Addresses label={t('cc')} list={message.cc} />
        <Addresses label={t('bcc')} list={message.bcc} />
      </header>
      <MessageBody html={message.body_html} />
      <Attachments items={message.attachments} />
      {message.thread.length > 1 && (
        <section class="thread" aria-label={t('thread')}>
          <h2>{t('thread')}</h2>
          <ol>
            {message.thread.map((item) => (
              <li key={item.id} aria-current={item.id === id ? 'true' : undefined}>
                <a href={`/messages/${encodeURIComponent(item.id)}`} onClick={onLinkClick}>
                  {item.subject || t('no_subject')}
                </a>{' '}
                <span class="muted">
                  {item.snippet} · {formatDateTime(item.sent_at)}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}
