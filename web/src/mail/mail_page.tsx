// Mail: the folder list beside a folder's entries, a message, or the compose form.
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';
import { match, onLinkClick } from '../router';
import { useStore } from '../store';
import type { FolderName } from '../types';
import { ComposePage } from './compose_page';
import { FolderPage } from './folder_page';
import { folderNames, folders, refreshFolders } from './folders';
import { MessagePage } from './message_page';

export function MailPage({ path }: { path: string }) {
  const list = useStore(folders);
  useEffect(() => {
    void refreshFolders();
  }, []);
  const folderMatch = match('/mail/:folder', path);
  const messageMatch = match('/messages/:id', path);
  const current = folderMatch?.folder as FolderName | undefined;

  let content = null;
  if (current && folderNames.includes(current)) content = <FolderPage folder={current} />;
  else if (messageMatch) content = <MessagePage id={messageMatch.id} />;
  else if (path === '/compose') content = <ComposePage />;
  else content = <p class="empty">{t('not_found')}</p>;

  return (
    <div class="mail-layout">
      <aside class="folder-list" aria-label={t('folders')}>
        <a class="button primary compose-button" href="/compose" onClick={onLinkClick}>
          {t('compose')}
        </a>
        <ul>
          {folderNames.map((name) => {
            const folder = list.find((item) => item.name === name);
            const unread = folder?.unread ?? 0;
            return (
              <li key={name}>
                <a
                  href={`/mail/${name}`}
                  onClick={onLinkClick}
                  aria-current={current === name ? 'page' : undefined}
                  data-testid={`folder-${name}`}
                >
                  <span>{t(`folder_${name}`)}</span>
                  {name !== 'sent' && name !== 'drafts' && unread > 0 && (
                    <span class="count" aria-label={t('unread_count', { count: unread })}>
                      {unread}
                    </span>
                  )}
                  {(name === 'drafts' || name === 'sent') && folder && folder.total > 0 && (
                    <span class="count muted">{folder.total}</span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      </aside>
      <section class="mail-content">{content}</section>
    </div>
  );
}
