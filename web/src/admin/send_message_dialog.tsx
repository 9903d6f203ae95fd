// Actions > Send message: an email (subject, message) and/or a push notification (text, an
// optional URL) to the chosen users or devices, then each recipient's outcome per channel.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { Dialog } from '../components/dialog';
import { statusLabel, t } from '../i18n';
import type { ChannelOutcome, NoticeReply } from '../types';

export interface Target {
  address: string;
  label: string;
}

function Outcome({ outcome }: { outcome?: ChannelOutcome }) {
  if (!outcome) return <span class="muted">—</span>;
  return (
    <span class={`status status-${outcome.status}`}>
      {statusLabel(outcome.status)}
      {outcome.devices ? ` (${t('devices_count', { count: outcome.devices })})` : ''}
      {outcome.reason ? ` — ${outcome.reason}` : ''}
    </span>
  );
}

export function SendMessageDialog({ targets, onClose }: { targets: Target[]; onClose: () => void }) {
  const [withEmail, setWithEmail] = useState(true);
  const [withPush, setWithPush] = useState(false);
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [reply, setReply] = useState<NoticeReply | null>(null);

  async function send(event: Event) {
    event.preventDefault();
    if (!withEmail && !withPush) {
      setError(t('choose_channel'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const body: Record<string, unknown> = { to: targets.map((target) => target.address) };
      if (withEmail) body.email = { subject, body: message };
      if (withPush) body.push = url.trim() ? { text, url: url.trim() } : { text };
      setReply(await post<NoticeReply>('/notices', body));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('send_message')} onClose={onClose}>
      {reply ? (
        <div class="outcome" data-testid="notice-outcome">
          <p>{t('notice_sent', { count: reply.recipient_count })}</p>
          <table>
            <thead>
              <tr>
                <th>{t('recipient')}</th>
                <th>{t('email')}</th>
                <th>{t('push')}</th>
              </tr>
            </thead>
            <tbody>
              {reply.recipients.map((recipient) => (
                <tr key={recipient.user_id}>
                  <td>{recipient.display_name} ({recipient.username})</td>
                  <td>
                    <Outcome outcome={recipient.email} />
                  </td>
                  <td>
                    <Outcome outcome={recipient.push} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions">
            <button class="primary" onClick={onClose}>
              {t('close')}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={send}>
          <p class="muted">
            {t('to')}: {targets.map((target) => target.label).join(', ')}
          </p>
          <label class="check">
            <input type="checkbox" checked={withEmail} onChange={(e) => setWithEmail(e.currentTarget.checked)} />
            {t('send_an_email')}
          </label>
          {withEmail && (
            <fieldset>
              <label>
                {t('subject')}
                <input required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
              </label>
              <label>
                {t('message')}
                <textarea required rows={5} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
              </label>
            </fieldset>
          )}
          <label class="check">
            <input type="checkbox" checked={withPush} onChange={(e) => setWithPush(e.currentTarget.checked)} />
            {t('send_a_push')}
          </label>
          {withPush && (
            <fieldset>
              <label>
                {t('push_text')}
                <textarea required rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
              </label>
              <label>
                {t('url_optional')}
                <input type="url" value={url} placeholder="https://" onInput={(e) => setUrl(e.currentTarget.value)} />
              </label>
            </fieldset>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button class="primary" type="submit" disabled={busy}>
              {t('send')}
            </button>
            <button type="button" onClick={onClose}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
