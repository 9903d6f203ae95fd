// Loads a paged API list: the first page when the key changes, further pages on demand.
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import type { Page } from '../types';

export function usePagedList<T>(path: string, params: Record<string, string | undefined>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const key = path + query(params);

  async function load(cursor?: string) {
    try {
      const page = await get<Page<T>>(path + query({ ...params, cursor }));
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor);
      setError('');
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  useEffect(() => {
    const timer = setTimeout(() => void load(), 0);
    return () => clearTimeout(timer);
  }, [key]);

  return {
    items,
    error,
    more: next ? () => load(next) : null,
    reload: () => load(),
    setItems,
  };
}
