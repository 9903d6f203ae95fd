// The four folders' counts, fetched on demand and again whenever the unread counts move.
import { get } from '../api';
import { onLiveEvent, unreadCounts } from '../live';
import { Store } from '../store';
import type { Folder, FolderName, Page } from '../types';

export const folderNames: FolderName[] = ['inbox', 'sent', 'drafts', 'trash'];
export const folders = new Store<Folder[]>([]);

let inFlight: Promise<void> | null = null;
let again = false;

// Coalesces bursts of refreshes into at most one request in flight and one after it.
export function refreshFolders(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = get<Page<Folder>>('/folders')
    .then((page) => {
      folders.set(page.items);
      const inbox = page.items.find((folder) => folder.name === 'inbox');
      if (inbox) unreadCounts.update((counts) => ({ ...counts, inbox: inbox.unread }));
    })
    .catch(() => {})
    .finally(() => {
      inFlight = null;
      if (again) {
        again = false;
        void refreshFolders();
      }
    });
  return inFlight;
}

onLiveEvent((event) => {
  if (event.type === 'counts' || event.type === 'message.retracted') void refreshFolders();
});
