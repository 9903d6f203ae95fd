// A recipient field: chosen addresses as removable chips, and suggestions of users and groups
// from GET /directory?q= as one types (arrow keys to choose, Enter to add, Backspace to remove).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, query } from '../api';
import { t } from '../i18n';
import type { DirectoryEntry, NamedAddress, Page } from '../types';

let nextFieldId = 0;

function entryName(entry: DirectoryEntry): string {
  return entry.type === 'group' ? entry.name ?? '' : `${entry.display_name} (${entry.username})`;
}

export function AddressInput({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: NamedAddress[];
  onChange: (value: NamedAddress[]) => void;
  testId?: string;
}) {
  const [fieldId] = useState(() => `address-${nextFieldId++}`);
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<DirectoryEntry[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const request = useRef(0);

  useEffect(() => {
    const typed = text.trim();
    if (!typed) {
      setSuggestions([]);
      return;
    }
    const serial = ++request.current;
    const timer = setTimeout(async () => {
      try {
        const page = await get<Page<DirectoryEntry>>('/directory' + query({ q: typed, limit: 8 }));
        if (serial !== request.current) return; // a later keystroke's answer wins
        const chosen = new Set(value.map((address) => address.address));
        setSuggestions(page.items.filter((entry) => !chosen.has(entry.address)));
        setActive(0);
        setOpen(true);
      } catch {
        setSuggestions([]);
      }
    }, 120);
    return () => clearTimeout(timer);
  }, [text]);

  function add(entry: DirectoryEntry) {
    onChange([...value, { address: entry.address, name: entryName(entry) }]);
    setText('');
    setSuggestions([]);
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' && suggestions.length) {
      event.preventDefault();
      setOpen(true);
      setActive((active + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && suggestions.length) {
      event.preventDefault();
      setActive((active - 1 + suggestions.length) % suggestions.length);
    } else if (event.key === 'Enter' && open && suggestions[active]) {
      event.preventDefault();
      add(suggestions[active]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    } else if (event.key === 'Backspace' && !text && value.length) {
      onChange(value.slice(0, -1));
    }
  }

  const listId = `${fieldId}-list`;
  return (
    <div class="address-field" data-testid={testId}>
      <label for={fieldId}>{label}</label>
      <div class="chips">
        {value.map((address) => (
          <span class="chip" key={address.address}>
            {address.name}
            <button
              type="button"
              class="icon"
              aria-label={t('remove_recipient', { name: address.name })}
              onClick={() => onChange(value.filter((other) => other.address !== address.address))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={fieldId}
          role="combobox"
          aria-expanded={open && suggestions.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && suggestions[active] ? `${listId}-${active}` : undefined}
          autocomplete="off"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
      </div>
      {open && suggestions.length > 0 && (
        <ul class="suggestions" id={listId} role="listbox">
          {suggestions.map((entry, index) => (
            <li
              key={entry.address}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(e) => {
                e.preventDefault();
                add(entry);
              }}
            >
              <span class="tag">{t(entry.type === 'group' ? 'group' : 'user')}</span>
              {entryName(entry)}
              {entry.type === 'group' && (
                <span class="muted"> · {t('members_count', { count: entry.member_count ?? 0 })}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
