// Shapes of the herald API's replies, as docs/api.md describes them.

export type Role = 'admin' | 'sender' | 'user';

export interface User {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  created_at: string;
}

export interface UserRef {
  id: string;
  username: string;
  display_name?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Unread {
  inbox: number;
  notifications: number;
}

export interface Me {
  user: User;
  unread: Unread;
}

export type FolderName = 'inbox' | 'sent' | 'drafts' | 'trash';

export interface Folder {
  name: FolderName;
  total: number;
  unread: number;
}

export type MessageKind = 'mail' | 'broadcast' | 'notice';

export interface FolderEntry {
  id: string;
  kind: MessageKind;
  from: UserRef;
  subject: string;
  snippet: string;
  read: boolean;
  has_attachments: boolean;
  draft: boolean;
  folder: FolderName;
  date: string;
  to?: NamedAddress[]; // sent and drafts: whom it is for
}

export interface Attachment {
  id: string;
  name: string;
  type: string;
  size: number;
}

export interface NamedAddress {
  address: string;
  name: string;
}

export interface ThreadItem {
  id: string;
  from: string;
  subject: string;
  snippet: string;
  sent_at: string | null;
  draft: boolean;
}

export interface Message {
  id: string;
  kind: MessageKind;
  thread_id: string;
  parent_id: string | null;
  from: UserRef;
  to: NamedAddress[];
  cc: NamedAddress[];
  bcc?: NamedAddress[];
  subject: string;
  body: string;
  body_html: string;
  attachments: Attachment[];
  draft: boolean;
  created_at: string;
  sent_at: string | null;
  folder: FolderName;
  read: boolean;
  replied: boolean;
  reply_all: string[];
  thread: ThreadItem[];
}

export interface AddressOutcome {
  address: string;
  status: string;
  recipients?: number;
  reason?: string;
}

export interface SendReply {
  id: string;
  recipient_count: number;
  addresses?: AddressOutcome[];
}

export interface Blob {
  id: string;
  size: number;
  type: string;
  name: string;
}

export interface DirectoryEntry {
  type: 'user' | 'group';
  id: string;
  address: string;
  username?: string;
  display_name?: string;
  name?: string;
  member_count?: number;
}

export interface BellItem {
  id: string;
  kind: MessageKind;
  message_id: string | null;
  title: string;
  text: string;
  url: string | null;
  read: boolean;
  created_at: string;
}

export interface BellPage extends Page<BellItem> {
  unread: number;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  member_count: number;
  created_at: string;
}

export interface GroupWithMembers extends Group {
  members: User[];
  members_next_cursor: string | null;
}

export interface Device {
  id: string;
  user_id: string;
  user?: UserRef; // in the admin's list and a device's own page
  platform: 'webpush' | 'apns' | 'fcm';
  name: string;
  endpoint?: string;
  token?: string;
  created_at: string;
}

export interface ChannelOutcome {
  status: string;
  devices?: number;
  reason?: string;
}

export interface NoticeRecipient {
  user_id: string;
  username: string;
  display_name: string;
  push?: ChannelOutcome;
  email?: ChannelOutcome;
}

export interface NoticeReply {
  id: string;
  recipient_count: number;
  summary: Record<string, Record<string, number>>;
  recipients: NoticeRecipient[];
}

export interface Broadcast {
  id: string;
  author: UserRef;
  subject: string;
  snippet: string;
  to: string;
  channels: string[];
  created_at: string;
  recipient_count: number;
  read_count: number;
  replied_count: number;
  deliveries_pending: boolean;
}

export interface BroadcastRecipient {
  user: UserRef;
  read_at: string | null;
  replied_at: string | null;
  reply_thread: string | null;
}

export interface BroadcastDetail extends Broadcast {
  body: string;
  body_html: string;
  recipients: Page<BroadcastRecipient>;
}

export interface LiveSession {
  id: string;
  user: UserRef;
  protocol: string;
  client: string | null;
  system_user: string | null;
  remote_address: string;
  connected_at: string;
  last_activity: string;
}

export interface Rule {
  id: string;
  from_group: string;
  to_group: string;
  created_at: string;
}

export interface Delivery {
  id: string;
  message_id: string;
  recipient: UserRef;
  channel: 'email' | 'push';
  device_id?: string | null;
  platform?: string;
  address?: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}
