// Compose: a new mail, a reply, a reply to all, a forward, or a draft being edited. The body
// is CommonMark with a preview rendered by the server; attachments upload as they are picked
// or dropped, each with its progress.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, patch, post, uploadBlob } from '../api';
import { AddressInput } from '../components/address_input';
import { MessageBody } from '../components/message_body';
import { formatSize, t } from '../i18n';
import { navigate, useLocation } from '../router';
import { showToast } from '../toasts';
import type { Attachment, Blob, Message, NamedAddress, SendReply } from '../types';
import { refreshFolders } from './folders';

interface Upload {
  key: number;
  name: string;
  size: number;
  progress: number;
  blob?: Attachment;
  error?: string;
}

let nextUploadKey = 1;

function nameOf(parent: Message, address: string): string {
  if (address === `user:${parent.from.id}`) return parent.from.display_name ?? parent.from.username;
  const known = [...parent.to, ...parent.cc].find((item) => item.address === address);
  return known?.name ?? address;
}

export function ComposePage() {
  const { params } = useLocation();
  const draftParam = params.get('draft');
  const replyTo = params.get('reply_to');
  const forwardOf = params.get('forward_of');
  const replyAll = params.get('all') === '1';

  const [draftId, setDraftId] = useState<string | null>(draftParam);
  const [parent, setParent] = useState<Message | null>(null);
  const [to, setTo] = useState<NamedAddress[]>([]);
  const [cc, setCc] = useState<NamedAddress[]>([]);
  const [bcc, setBcc] = useState<NamedAddress[]>([]);
  const [showBcc, setShowBcc] = useState(false);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [preview, setPreview] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    async function start() {
      try {
        if (draftParam) {
          const draft = await get<Message>(`/messages/${encodeURIComponent(draftParam)}`);
          setTo(draft.to);
          setCc(draft.cc);
          setBcc(draft.bcc ?? []);
          setShowBcc((draft.bcc ?? []).length > 0);
          setSubject(draft.subject);
          setBody(draft.body);
          setUploads(
            draft.attachments.map((blob) => ({ key: nextUploadKey++, name: blob.name, size: blob.size, progress: 1, blob })),
          );
        } else if (replyTo || forwardOf) {
          const original = await get<Message>(`/messages/${encodeURIComponent((replyTo ?? forwardOf)!)}`);
          setParent(original);
          const bare = original.subject.replace(/^((re|fwd?|tr)\s*:\s*)+/i, '');
          if (replyTo) {
            setSubject(`Re: ${bare}`);
            const addresses = replyAll ? original.reply_all : [`user:${original.from.id}`];
            const named = addresses.map((address) => ({ address, name: nameOf(original, address) }));
            if (original.kind === 'broadcast') setTo(named.slice(0, 1));
            else setTo(named);
          } else {
            setSubject(`Fwd: ${bare}`);
          }
        }
      } catch (failure) {
        setError((failure as Error).message);
      }
    }
    void start();
  }, [draftParam, replyTo, forwardOf, replyAll]);

  useEffect(() => {
    if (tab !== 'preview') return;
    post<{ html: string }>('/preview', { body })
      .then((reply) => setPreview(reply.html))
      .catch(() => setPreview(''));
  }, [tab, body]);

  function addFiles(files: FileList | null) {
    for (const file of Array.from(files ?? [])) {
      const key = nextUploadKey++;
      setUploads((list) => [...list, { key, name: file.name, size: file.size, progress: 0 }]);
      const change = (update: Partial<Upload>) =>
        setUploads((list) => list.map((item) => (item.key === key ? { ...item, ...update } : item)));
      uploadBlob<Blob>(file, (progress) => change({ progress }))
        .then((blob) => change({ progress: 1, blob }))
        .catch((failure: Error) => change({ error: failure.message }));
    }
  }

  function fields() {
    return {
      to: to.map((a) => a.address),
      cc: cc.map((a) => a.address),
      bcc: bcc.map((a) => a.address),
      subject,
      body,
      attachments: uploads.filter((u) => u.blob).map((u) => u.blob!.id),
    };
  }

  const uploading = uploads.some((u) => !u.blob && !u.error);

  async function save(): Promise<string> {
    if (draftId) {
      await patch(`/messages/${encodeURIComponent(draftId)}`, fields());
      return draftId;
    }
    const reply = await post<SendReply>('/messages', {
      ...fields(),
      draft: true,
      reply_to: replyTo ?? undefined,
      forward_of: forwardOf ?? undefined,
    });
    setDraftId(reply.id);
    return reply.id;
  }

  async function run(action: 'send' | 'draft') {
    setBusy(true);
    setError('');
    try {
      if (action === 'draft') {
        const id = await save();
        navigate(`/compose?draft=${id}`, true);
        showToast(t('draft_saved'));
      } else {
        let reply: SendReply;
        if (draftId) {
          const id = await save();
          reply = await post<SendReply>(`/messages/${encodeURIComponent(id)}/send`);
        } else {
          reply = await post<SendReply>('/messages', {
            ...fields(),
            reply_to: replyTo ?? undefined,
            forward_of: forwardOf ?? undefined,
          });
        }
        const missed = reply.addresses?.filter((a) => a.status !== 'delivered') ?? [];
        showToast(t('sent_to', { count: reply.recipient_count }));
        for (const address of missed) {
          showToast(`${address.address}: ${address.reason ?? address.status}`, 'error');
        }
        navigate('/mail/inbox');
      }
      void refreshFolders();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    const typed = body.trim() || to.length || cc.length || uploads.length;
    if (typed && !draftId && !window.confirm(t('confirm_cancel'))) return;
    if (window.history.length > 1) window.history.back();
    else navigate('/mail/inbox');
  }

  const isBroadcastReply = parent?.kind === 'broadcast' && !!replyTo;
  return (
    <form
      class={`compose${dragging ? ' dragging' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run('send');
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        addFiles(e.dataTransfer?.files ?? null);
      }}
    >
      <h1>{draftId ? t('edit_draft') : replyTo ? t('reply') : forwardOf ? t('forward') : t('new_message')}</h1>
      {isBroadcastReply && <p class="muted">{t('broadcast_reply_note')}</p>}
      <AddressInput label={t('to')} value={to} onChange={setTo} testId="field-to" />
      {!isBroadcastReply && (
        <>
          <AddressInput label={t('cc')} value={cc} onChange={setCc} testId="field-cc" />
          {showBcc ? (
            <AddressInput label={t('bcc')} value={bcc} onChange={setBcc} testId="field-bcc" />
          ) : (
            <button type="button" class="link-button" onClick={() => setShowBcc(true)}>
              {t('add_bcc')}
            </button>
          )}
        </>
      )}
      <label>
        {t('subject')}
        <input name="subject" value={subject} maxLength={998} onInput={(e) => setSubject(e.currentTarget.value)} />
      </label>
      <div class="tabs" role="tablist" aria-label={t('editor_mode')}>
        <button type="button" role="tab" aria-selected={tab === 'write'} onClick={() => setTab('write')}>
          {t('write')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'preview'} onClick={() => setTab('preview')}>
          {t('preview')}
        </button>
      </div>
      {tab === 'write' ? (
        <div>
          <label for="compose-body" class="visually-hidden">
            {t('body')}
          </label>
          <textarea
            id="compose-body"
            name="body"
            rows={12}
            value={body}
            aria-describedby="compose-body-hint"
            onInput={(e) => setBody(e.currentTarget.value)}
          />
          <span id="compose-body-hint" class="muted small">
            {t('markdown_hint')}
          </span>
        </div>
      ) : (
        <div class="preview" role="tabpanel" data-testid="preview">
          <MessageBody html={preview} />
        </div>
      )}
      {forwardOf && parent && parent.attachments.length > 0 && (
        <p class="muted">{t('forward_carries', { count: parent.attachments.length })}</p>
      )}
      <div class="drop-zone">
        <label class="button">
          {t('attach_files')}
          <input
            type="file"
            multiple
            class="visually-hidden"
            data-testid="file-input"
            onChange={(e) => {
              addFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <span class="muted small">{t('or_drop_files')}</span>
      </div>
      {uploads.length > 0 && (
        <ul class="uploads">
          {uploads.map((upload) => (
            <li key={upload.key}>
              <span>{upload.name}</span> <span class="muted">{formatSize(upload.size)}</span>
              {!upload.blob && !upload.error && (
                <progress max={1} value={upload.progress} aria-label={t('uploading', { name: upload.name })} />
              )}
              {upload.error && <span class="error">{upload.error}</span>}
              <button
                type="button"
                class="icon"
                aria-label={t('remove_attachment', { name: upload.name })}
                onClick={() => setUploads((list) => list.filter((item) => item.key !== upload.key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button class="primary" type="submit" disabled={busy || uploading}>
          {t('send')}
        </button>
        <button type="button" disabled={busy || uploading} onClick={() => run('draft')}>
          {t('save_draft')}
        </button>
        <button type="button" onClick={cancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
