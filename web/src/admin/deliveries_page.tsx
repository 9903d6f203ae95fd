// The deliveries of a message: each recipient's email and push, with status and attempts.
import { usePagedList } from '../components/paged_list';
import { formatDateTime, statusLabel, t } from '../i18n';
import type { Delivery } from '../types';

export function DeliveriesPage({ messageId }: { messageId: string }) {
  const list = usePagedList<Delivery>('/deliveries', { message: messageId, limit: '200' });
  return (
    <section>
      <div class="toolbar">
        <h1>{t('deliveries_of', { id: messageId })}</h1>
        <button onClick={() => list.reload()}>{t('refresh')}</button>
      </div>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {list.items?.length === 0 && <p class="empty">{t('no_deliveries')}</p>}
      <table class="list" data-testid="deliveries-table">
        <thead>
          <tr>
            <th>{t('recipient')}</th>
            <th>{t('channel')}</th>
            <th>{t('status')}</th>
            <th class="wide-only">{t('attempts')}</th>
            <th class="wide-only">{t('last_error')}</th>
            <th class="wide-only">{t('updated')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items?.map((delivery) => (
            <tr key={delivery.id}>
              <td>{delivery.recipient.username}</td>
              <td>
                {delivery.channel}
                {delivery.platform ? ` (${delivery.platform})` : ''}
              </td>
              <td>
                <span class={`status status-${delivery.status}`}>{statusLabel(delivery.status)}</span>
              </td>
              <td class="wide-only">{delivery.attempts}</td>
              <td class="wide-only">{delivery.last_error ?? '—'}</td>
              <td class="wide-only">{formatDateTime(delivery.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.more && <button class="more" onClick={list.more}>{t('more')}</button>}
    </section>
  );
}
