import { t } from '../i18n';
import { useStore } from '../store';
import { dismissToast, toasts } from '../toasts';

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`}>
          {toast.title && <strong>{toast.title}</strong>}
          <span class="toast-text">{toast.text}</span>
          <button class="icon" aria-label={t('dismiss')} onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
