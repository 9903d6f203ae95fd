// Turns live events that a person should see at once into toasts: alerts, a dropped session.
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';
import { onLiveEvent } from '../live';
import { showToast } from '../toasts';

export function useLiveToasts(): void {
  useEffect(
    () =>
      onLiveEvent((event) => {
        if (event.type === 'alert') {
          const from = (event.from as { username?: string } | undefined)?.username ?? '';
          showToast(String(event.text ?? ''), 'alert', t('alert_from', { name: from }));
        } else if (event.type === 'session.dropped') {
          showToast(t('session_dropped'), 'error');
        }
      }),
    [],
  );
}
