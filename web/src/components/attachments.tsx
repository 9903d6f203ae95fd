// A message's attachments: images, sounds and videos shown inline, every one downloadable.
import { formatSize, t } from '../i18n';
import type { Attachment } from '../types';

export function Attachments({ items }: { items: Attachment[] }) {
  if (!items.length) return null;
  return (
    <section class="attachments" aria-label={t('attachments')}>
      {items.map((attachment) => {
        const url = `/api/v1/blobs/${encodeURIComponent(attachment.id)}`;
        const type = attachment.type.split(';')[0];
        return (
          <figure key={attachment.id} class="attachment">
            {type.startsWith('image/') && <img src={url} alt={attachment.name} loading="lazy" />}
            {type.startsWith('audio/') && <audio src={url} controls preload="none" />}
            {type.startsWith('video/') && <video src={url} controls preload="metadata" />}
            <figcaption>
              <a href={url} download={attachment.name}>
                {attachment.name}
              </a>{' '}
              <span class="muted">
                {formatSize(attachment.size)} · {t('download')}
              </span>
            </figcaption>
          </figure>
        );
      })}
    </section>
  );
}
