// Multi-select for the admin lists: checked rows by id (kept across searches), and the
// Actions menu that acts on them.
import { useState } from 'preact/hooks';
import { t } from '../i18n';

export function useSelection<T extends { id: string }>() {
  const [selected, setSelected] = useState<Map<string, T>>(new Map());
  return {
    selected,
    has: (item: T) => selected.has(item.id),
    toggle(item: T) {
      const copy = new Map(selected);
      if (copy.has(item.id)) copy.delete(item.id);
      else copy.set(item.id, item);
      setSelected(copy);
    },
    allOf: (items: T[]) => items.length > 0 && items.every((item) => selected.has(item.id)),
    toggleAll(items: T[]) {
      const all = items.length > 0 && items.every((item) => selected.has(item.id));
      setSelected(all ? new Map() : new Map(items.map((item) => [item.id, item])));
    },
  };
}

export function ActionsMenu({ count, onSendMessage }: { count: number; onSendMessage: () => void }) {
  return (
    <>
      <details class="menu">
        <summary class="button">{t('actions')}</summary>
        <div class="menu-items" role="menu">
          <button
            role="menuitem"
            disabled={count === 0}
            onClick={(e) => {
              (e.currentTarget.closest('details') as HTMLDetailsElement).open = false;
              onSendMessage();
            }}
          >
            {t('send_message')}
          </button>
        </div>
      </details>
      <span class="muted">{t('selected_count', { count })}</span>
    </>
  );
}
