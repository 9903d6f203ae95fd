// Live sessions: who is connected (user and system user), filtered by name; an alert to all
// or to one session; drop one. The list refreshes every few seconds.
import { useEffect, useState } from 'preact/hooks';
import { del, post } from '../api';
import { usePagedList } from '../components/paged_list';
import { SearchBox } from '../components/search_box';
import { formatDateTime, t } from '../i18n';
import { attempt, showToast } from '../toasts';
import type { LiveSession } from '../types';

export function SessionsPage() {
  const [filter, setFilter] = useState('');
  const list = usePagedList<LiveSession>('/sessions', { user: filter.trim() || undefined, limit: '200' });
  const [text, setText] = useState('');
  const [target, setTarget] = useState<string>('');

  useEffect(() => {
    const timer = setInterval(() => list.reload(), 5000);
    return () => clearInterval(timer);
  }, [filter]);

  async function alert(event: Event) {
    event.preventDefault();
    await attempt(async () => {
      const reply = await post<{ delivered: number }>('/sessions/alert', {
        text,
        session: target || undefined,
      });
      showToast(t('alert_delivered', { count: reply.delivered }));
      setText('');
    });
  }

  async function drop(session: LiveSession) {
    await attempt(async () => {
      await del(`/sessions/${encodeURIComponent(session.id)}`);
      showToast(t('session_dropped_by_you', { name: session.user.username }));
      list.reload();
    });
  }

  const items = list.items ?? [];
  return (
    <section>
      <div class="toolbar">
        <h1>{t('sessions')}</h1>
        <SearchBox label={t('filter_by_name')} value={filter} onInput={setFilter} />
        <button onClick={() => list.reload()}>{t('refresh')}</button>
      </div>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {items.length === 0 && list.items && <p class="empty">{t('no_sessions')}</p>}
      <table class="list" data-testid="sessions-table">
        <thead>
          <tr>
            <th>{t('user')}</th>
            <th>{t('system_user')}</th>
            <th class="wide-only">{t('client')}</th>
            <th class="wide-only">{t('address')}</th>
            <th class="wide-only">{t('connected')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((session) => (
            <tr key={session.id} data-session={session.id}>
              <td>{session.user.username}</td>
              <td>{session.system_user ?? '—'}</td>
              <td class="wide-only">
                {session.client ?? '—'} <span class="muted">{session.protocol}</span>
              </td>
              <td class="wide-only">{session.remote_address}</td>
              <td class="wide-only">{formatDateTime(session.connected_at)}</td>
              <td>
                <button onClick={() => setTarget(session.id)}>{t('alert_this')}</button>{' '}
                <button class="danger" onClick={() => drop(session)}>
                  {t('drop')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card inline-form" onSubmit={alert}>
        <h2>{t('send_alert')}</h2>
        <label>
          {t('send_to')}
          <select value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
            <option value="">{t('all_sessions')}</option>
            {items.map((session) => (
              <option key={session.id} value={session.id}>
                {session.user.username} · {session.system_user ?? session.client ?? session.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('alert_text')}
          <input required value={text} maxLength={4096} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button class="primary" type="submit">
          {t('send_alert')}
        </button>
      </form>
    </section>
  );
}
