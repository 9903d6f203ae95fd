// Devices of every user: search, multi-select, Actions > Send message; a device's own page.
import { useEffect, useState } from 'preact/hooks';
import { del, get } from '../api';
import { usePagedList } from '../components/paged_list';
import { SearchBox } from '../components/search_box';
import { formatDate, formatDateTime, t } from '../i18n';
import { navigate, onLinkClick } from '../router';
import { attempt, showToast } from '../toasts';
import type { Device } from '../types';
import { ActionsMenu, useSelection } from '../components/selection';
import { SendMessageDialog, type Target } from './send_message_dialog';

function deviceLabel(device: Device): string {
  return `${device.name || device.platform} (${device.user?.username ?? device.user_id})`;
}

export function DevicesPage() {
  const [search, setSearch] = useState('');
  const list = usePagedList<Device>('/devices', { all: 'true', q: search.trim() || undefined });
  const selection = useSelection<Device>();
  const [dialog, setDialog] = useState<Target[] | null>(null);
  const items = list.items ?? [];

  return (
    <section>
      <div class="toolbar">
        <h1>{t('devices')}</h1>
        <SearchBox label={t('search_devices')} value={search} onInput={setSearch} />
        <ActionsMenu
          count={selection.selected.size}
          onSendMessage={() =>
            setDialog([...selection.selected.values()].map((d) => ({ address: `device:${d.id}`, label: deviceLabel(d) })))
          }
        />
      </div>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {list.items?.length === 0 && <p class="empty">{t('no_devices')}</p>}
      <table class="list" data-testid="devices-table">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label={t('select_all')}
                checked={selection.allOf(items)}
                onChange={() => selection.toggleAll(items)}
              />
            </th>
            <th>{t('device')}</th>
            <th>{t('user')}</th>
            <th>{t('platform')}</th>
            <th class="wide-only">{t('registered')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((device) => (
            <tr key={device.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('select_device', { name: deviceLabel(device) })}
                  checked={selection.has(device)}
                  onChange={() => selection.toggle(device)}
                />
              </td>
              <td>
                <a href={`/admin/devices/${device.id}`} onClick={onLinkClick}>
                  {device.name || t('unnamed_device')}
                </a>
              </td>
              <td>{device.user?.username ?? device.user_id}</td>
              <td>{device.platform}</td>
              <td class="wide-only">{formatDate(device.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.more && <button class="more" onClick={list.more}>{t('more')}</button>}
      {dialog && <SendMessageDialog targets={dialog} onClose={() => setDialog(null)} />}
    </section>
  );
}

export function DevicePage({ id }: { id: string }) {
  const [device, setDevice] = useState<Device | null>(null);
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);

  useEffect(() => {
    get<Device>(`/devices/${encodeURIComponent(id)}`)
      .then(setDevice)
      .catch((failure: Error) => setError(failure.message));
  }, [id]);

  async function remove() {
    if (!window.confirm(t('confirm_remove_device'))) return;
    await attempt(async () => {
      await del(`/devices/${encodeURIComponent(id)}`);
      showToast(t('device_removed'));
      navigate('/admin/devices');
    });
  }

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!device) return <p class="muted">{t('loading')}</p>;
  return (
    <section class="card">
      <h1>{device.name || t('unnamed_device')}</h1>
      <dl class="facts">
        <dt>{t('user')}</dt>
        <dd>{device.user?.username ?? device.user_id}</dd>
        <dt>{t('platform')}</dt>
        <dd>{device.platform}</dd>
        <dt>{device.endpoint ? t('endpoint') : t('token')}</dt>
        <dd class="break">{device.endpoint ?? device.token}</dd>
        <dt>{t('registered')}</dt>
        <dd>{formatDateTime(device.created_at)}</dd>
      </dl>
      <div class="actions">
        <button class="primary" onClick={() => setSending(true)}>
          {t('send_message')}
        </button>
        <button class="danger" onClick={remove}>
          {t('remove_device')}
        </button>
      </div>
      {sending && (
        <SendMessageDialog
          targets={[{ address: `device:${device.id}`, label: deviceLabel(device) }]}
          onClose={() => setSending(false)}
        />
      )}
    </section>
  );
}
