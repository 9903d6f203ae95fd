// English and French, chosen from the browser's languages and switchable; the choice is kept
// in localStorage. Every key of English must exist in French (the compiler checks it).
import { en } from './locales/en';
import { fr } from './locales/fr';
import { Store, useStore } from './store';

export type Key = keyof typeof en;
export type Lang = 'en' | 'fr';
const dictionaries: Record<Lang, Record<Key, string>> = { en, fr };

function initial(): Lang {
  const saved = localStorage.getItem('herald.lang');
  if (saved === 'en' || saved === 'fr') return saved;
  for (const language of navigator.languages ?? [navigator.language]) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

export const lang = new Store<Lang>(initial());
document.documentElement.lang = lang.get();

export function setLang(value: Lang): void {
  localStorage.setItem('herald.lang', value);
  document.documentElement.lang = value;
  lang.set(value);
}

// The text for a key, with {name} placeholders filled in.
export function t(key: Key, params?: Record<string, string | number>): string {
  let text = dictionaries[lang.get()][key] ?? en[key];
  if (params) {
    for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

// Re-renders the calling component when the language changes.
export function useLang(): Lang {
  return useStore(lang);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const now = new Date();
  const locale = lang.get() === 'fr' ? 'fr-FR' : 'en-GB';
  if (date.toDateString() === now.toDateString()) {
    return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  }
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const locale = lang.get() === 'fr' ? 'fr-FR' : 'en-GB';
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const statuses = ['queued', 'sent', 'failed', 'no_device', 'no_address', 'cancelled', 'delivered', 'empty'] as const;

// A delivery or outcome status as words; an unknown one as the server wrote it.
export function statusLabel(status: string): string {
  return (statuses as readonly string[]).includes(status) ? t(`status_${status as (typeof statuses)[number]}`) : status;
}
