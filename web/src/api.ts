// The API client: JSON over fetch with the session cookie and the CSRF header, and uploads
// with progress. Every failure becomes an ApiError carrying the server's code and message.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let unauthorizedHandler: () => void = () => {};

// Called when the server answers 401: the session ended (logout elsewhere, expiry).
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)herald_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : '';
}

function toError(status: number, text: string, fallback: string): ApiError {
  try {
    const error = JSON.parse(text)?.error;
    if (error?.code) return new ApiError(status, error.code, error.message ?? fallback);
  } catch {
    // not JSON: a proxy's page, a dropped connection
  }
  return new ApiError(status, 'error', fallback);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached');
  }
  const text = response.status === 204 ? '' : await response.text();
  if (!response.ok) {
    if (response.status === 401 && path !== '/login') unauthorizedHandler();
    throw toError(response.status, text, response.statusText);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

// Reads started before they are asked for (the first screen's, while GET /me is on its way);
// each is handed out once.
const prefetched = new Map<string, Promise<unknown>>();

export function prefetch(path: string): void {
  const request = api('GET', path);
  request.catch(() => prefetched.delete(path));
  prefetched.set(path, request);
}

export function clearPrefetched(): void {
  prefetched.clear();
}

export function get<T>(path: string): Promise<T> {
  const early = prefetched.get(path);
  if (early) {
    prefetched.delete(path);
    return early as Promise<T>;
  }
  return api<T>('GET', path);
}
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body);
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<void>('DELETE', path);

// Builds a query string from the values that are set.
export function query(params: Record<string, string | number | boolean | null | undefined>) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

// Uploads a file as an attachment, reporting progress from 0 to 1. XMLHttpRequest, because
// fetch reports no upload progress.
export function uploadBlob<T>(file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/blobs' + query({ name: file.name }));
    request.setRequestHeader('X-CSRF-Token', csrfToken());
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status === 201) resolve(JSON.parse(request.responseText) as T);
      else reject(toError(request.status, request.responseText, request.statusText));
    };
    request.onerror = () => reject(new ApiError(0, 'network', 'the upload failed'));
    request.send(file);
  });
}
