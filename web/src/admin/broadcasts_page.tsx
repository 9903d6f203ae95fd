// Broadcasts: write one (recipients, subject, body, channels), the list with read and replied
// counts, and one broadcast's recipients with a retract button.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, query } from '../api';
import { AddressInput } from '../components/address_input';
import { MessageBody } from '../components/message_body';
import { usePagedList } from '../components/paged_list';
import { formatDateTime, t } from '../i18n';
import { navigate, onLinkClick } from '../router';
import { attempt, showToast } from '../toasts';
import type { Broadcast, BroadcastDetail, BroadcastRecipient, NamedAddress } from '../types';

const allChannels = ['inbox', 'push', 'email'] as const;

function ComposeBroadcast({ onSent }: { onSent: () => void }) {
  const [to, setTo] = useState<NamedAddress[]>([]);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [channels, setChannels] = useState<Set<string>>(new Set(allChannels));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const reply = await post<{ id: string; recipient_count: number }>('/broadcasts', {
        to: to.map((address) => address.address),
        subject,
        body,
        channels: [...channels],
      });
      showToast(t('broadcast_sent', { count: reply.recipient_count }));
      setTo([]);
      setSubject('');
      setBody('');
      onSent();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card" open>
      <summary>{t('new_broadcast')}</summary>
      <form onSubmit={send}>
        <AddressInput label={t('to')} value={to} onChange={setTo} testId="broadcast-to" />
        <label>
          {t('subject')}
          <input required value={subject} maxLength={998} onInput={(e) => setSubject(e.currentTarget.value)} />
        </label>
        <label>
          {t('message')}
          <textarea required rows={6} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        </label>
        <fieldset class="channels">
          <legend>{t('channels')}</legend>
          {allChannels.map((channel) => (
            <label class="check" key={channel}>
              <input
                type="checkbox"
                checked={channels.has(channel)}
                onChange={(e) => {
                  const copy = new Set(channels);
                  if (e.currentTarget.checked) copy.add(channel);
                  else copy.delete(channel);
                  setChannels(copy);
                }}
              />
              {t(`channel_${channel}`)}
            </label>
          ))}
        </fieldset>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit" disabled={busy || channels.size === 0}>
          {t('send_broadcast')}
        </button>
      </form>
    </details>
  );
}

export function BroadcastsPage() {
  const list = usePagedList<Broadcast>('/broadcasts', {});
  return (
    <section>
      <h1>{t('broadcasts')}</h1>
      <ComposeBroadcast onSent={list.reload} />
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {list.items?.length === 0 && <p class="empty">{t('no_broadcasts')}</p>}
      <table class="list" data-testid="broadcasts-table">
        <thead>
          <tr>
            <th>{t('subject')}</th>
            <th class="wide-only">{t('sent')}</th>
            <th>{t('recipients')}</th>
            <th>{t('read')}</th>
            <th>{t('replied')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items?.map((broadcast) => (
            <tr key={broadcast.id} data-id={broadcast.id}>
              <td>
                <a href={`/admin/broadcasts/${broadcast.id}`} onClick={onLinkClick}>
                  {broadcast.subject}
                </a>
              </td>
              <td class="wide-only">{formatDateTime(broadcast.created_at)}</td>
              <td>{broadcast.recipient_count}</td>
              <td class="read-count">{broadcast.read_count}</td>
              <td class="replied-count">{broadcast.replied_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.more && <button class="more" onClick={list.more}>{t('more')}</button>}
    </section>
  );
}

type Filter = 'all' | 'read' | 'unread' | 'replied';

export function BroadcastPage({ id }: { id: string }) {
  const [filter, setFilter] = useState<Filter>('all');
  const [detail, setDetail] = useState<BroadcastDetail | null>(null);
  const [recipients, setRecipients] = useState<BroadcastRecipient[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');

  async function load(cursor?: string) {
    try {
      const reply = await get<BroadcastDetail>(
        `/broadcasts/${encodeURIComponent(id)}` + query({ filter, cursor, limit: 100 }),
      );
      setDetail(reply);
      setRecipients((old) => (cursor ? [...old, ...reply.recipients.items] : reply.recipients.items));
      setNext(reply.recipients.next_cursor);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  useEffect(() => {
    void load();
  }, [id, filter]);

  async function retract() {
    if (!window.confirm(t('confirm_retract'))) return;
    await attempt(async () => {
      await del(`/broadcasts/${encodeURIComponent(id)}`);
      showToast(t('broadcast_retracted_done'));
      navigate('/admin/broadcasts');
    });
  }

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!detail) return <p class="muted">{t('loading')}</p>;
  const quoted = encodeURIComponent(id);
  return (
    <section>
      <h1>
        <span class="tag">{t('broadcast')}</span> {detail.subject}
      </h1>
      <p class="muted">
        {formatDateTime(detail.created_at)} · {detail.to} · {detail.channels.map((c) => t(`channel_${c as 'inbox'}`)).join(', ')}
      </p>
      <p class="stats" data-testid="broadcast-stats">
        <span>{t('recipients_count', { count: detail.recipient_count })}</span>
        <span data-testid="read-count">{t('read_count', { count: detail.read_count })}</span>
        <span data-testid="replied-count">{t('replied_count', { count: detail.replied_count })}</span>
      </p>
      <div class="card">
        <MessageBody html={detail.body_html} />
      </div>
      <div class="actions">
        <a class="button" href={`/admin/deliveries/${quoted}`} onClick={onLinkClick}>
          {t('deliveries')}
        </a>
        <button class="danger" onClick={retract}>
          {t('retract')}
        </button>
      </div>
      <div class="tabs" role="tablist" aria-label={t('recipients')}>
        {(['all', 'read', 'unread', 'replied'] as Filter[]).map((value) => (
          <button key={value} role="tab" aria-selected={filter === value} onClick={() => setFilter(value)}>
            {t(`filter_${value}`)}
          </button>
        ))}
      </div>
      <table class="list" data-testid="broadcast-recipients">
        <thead>
          <tr>
            <th>{t('recipient')}</th>
            <th>{t('read')}</th>
            <th>{t('replied')}</th>
          </tr>
        </thead>
        <tbody>
          {recipients.map((recipient) => (
            <tr key={recipient.user.id}>
              <td>
                {recipient.user.display_name} <span class="muted">({recipient.user.username})</span>
              </td>
              <td>{formatDateTime(recipient.read_at) || '—'}</td>
              <td>
                {recipient.reply_thread ? (
                  <a href={`/messages/${encodeURIComponent(recipient.reply_thread)}`} onClick={onLinkClick}>
                    {formatDateTime(recipient.replied_at)}
                  </a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && <button class="more" onClick={() => load(next)}>{t('more')}</button>}
    </section>
  );
}
