// The docqa chat page. Text from the model, documents and users is only ever put into the page as text nodes
// (textContent, append(string)) or, for answers, as elements built from a Markdown parse: never parsed as HTML.

import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------------------------------------ errors

class ApiError extends Error {
  constructor({ status = 0, code = 'unknown', detail = '', errors = [], retryAfter = null }) {
    super(detail || code);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = Array.isArray(errors) ? errors : [];
    this.retryAfter = retryAfter;
  }
}

const SESSION_ENDED = 'Your session has ended. Please log in again.';
const BUSY = 'The service is busy right now. Try again in a moment.';

/** What a person should read for each problem `code` the API can answer with. */
const FRIENDLY = {
  invalid_credentials: 'The email or password is not right.',
  email_taken: 'An account with this email already exists. Log in instead.',
  validation_failed: 'Please check what you entered.',
  unauthorized: 'Please log in.',
  invalid_token: SESSION_ENDED,
  invalid_refresh_token: SESSION_ENDED,
  forbidden: 'Your role does not allow this.',
  not_found: 'That item no longer exists.',
  last_owner: 'A workspace must keep at least one owner.',
  file_too_large: 'This file is larger than the server accepts.',
  payload_too_large: 'The upload is larger than the server accepts.',
  unsupported_media_type: 'This file type is not supported. Upload .txt, .md, .pdf, .docx or .html files.',
  empty_file: 'The file is empty.',
  too_many_files: 'Too many files at once. Upload fewer files per batch.',
  quota_exceeded: 'Your workspace has reached its quota.',
  too_many_requests: 'Too many requests. Wait a moment and try again.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  queue_full: BUSY,
  busy: BUSY,
  limits_unavailable: BUSY,
  document_ingesting: 'That document is still being indexed. Try again when it is ready.',
  llm_unavailable: 'The language model is not reachable right now. Try again in a moment.',
  model_not_found: 'The chat model is not installed on the model server. Ask an administrator to pull it.',
  llm_timeout: 'The language model took too long to answer. Try again.',
  llm_failed: 'The language model failed while answering. Try again.',
  vector_store_unavailable: 'The document index is not reachable right now. Try again in a moment.',
  unavailable: 'The service is temporarily unavailable. Try again in a moment.',
  malformed_request: 'The request was not understood by the server.',
  method_not_allowed: 'The server does not allow this action.',
  not_acceptable: 'The server cannot answer in a format this page understands.',
  sso_failed: 'The sign-in through your identity provider did not succeed. Try again.',
  sso_tenant_unmapped: 'No workspace takes accounts with this email address from that provider. Ask your administrator.',
  sso_email_unverified: 'Your identity provider has not verified your email address.',
  sso_account_disabled: 'This account is disabled.',
  sso_provider_unavailable: 'The identity provider cannot be reached right now. Try again in a moment.',
  invalid_sso_code: 'The sign-in took too long or was already used. Sign in again.',
  internal_error: 'Something went wrong on the server. Try again.',
  network: 'The server cannot be reached. Check your connection and try again.',
  cut_off: 'The answer was cut off before it finished. Try again.',
  bad_stream: 'The server sent something this page does not understand.',
};

/** Codes whose friendly text says all there is; their server detail would only repeat it. */
const SELF_EXPLAINING = new Set(['invalid_credentials', 'email_taken', 'validation_failed', 'unauthorized', 'invalid_token',
  'invalid_refresh_token', 'forbidden', 'network', 'cut_off', 'bad_stream', 'sso_tenant_unmapped', 'sso_email_unverified',
  'sso_account_disabled', 'invalid_sso_code']);

const FIELD_NAMES = { tenant_name: 'Workspace name', email: 'Email', password: 'Password', question: 'Question',
  file: 'File', top_k: 'Number of sources', document_ids: 'Documents' };

async function problemOf(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: fall back to the status below
  }
  const seconds = Number(response.headers.get('Retry-After'));
  return problemFrom(body, response.status, Number.isFinite(seconds) && seconds > 0 ? seconds : null);
}

function problemFrom(body, status, retryAfter = null) {
  return new ApiError({ status: body.status || status, code: body.code || (status >= 500 ? 'internal_error' : 'unknown'),
    detail: body.detail || '', errors: body.errors, retryAfter });
}

function friendly(error) {
  if (!(error instanceof ApiError)) {
    return FRIENDLY.internal_error;
  }
  let text = FRIENDLY[error.code] || error.detail || `The request failed (HTTP ${error.status}).`;
  if (error.retryAfter && ['too_many_requests', 'rate_limited', 'queue_full', 'busy',
    'llm_unavailable', 'vector_store_unavailable', 'limits_unavailable', 'quota_exceeded'].includes(error.code)) {
    text += ` Try again in ${formatWait(error.retryAfter)}.`;
  }
  return text;
}

/** Fills {@code container} with the friendly text, the server's detail and any field errors, all as text. */
function renderProblem(container, error) {
  container.replaceChildren();
  container.append(el('strong', {}, friendly(error)));
  if (error instanceof ApiError && error.detail && !SELF_EXPLAINING.has(error.code)) {
    container.append(' ', el('span', { class: 'detail', 'data-testid': 'problem-detail' }, error.detail));
  }
  if (error instanceof ApiError && error.errors.length) {
    container.append(el('ul', {}, ...error.errors.map((e) =>
      el('li', {}, `${FIELD_NAMES[e.field] || e.field}: ${e.message}`))));
  }
  container.dataset.code = error instanceof ApiError ? error.code : 'internal_error';
  container.hidden = false;
}

function formatWait(seconds) {
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.ceil(seconds)} seconds`;
}

// ------------------------------------------------------------------------------------------------ session

const REFRESH_KEY = 'docqa.refresh_token';
const REFRESH_EARLY_SECONDS = 60;

// The access token lives only in memory. The refresh token is also kept in sessionStorage so that a reload keeps
// this tab signed in; sessionStorage is per tab, so two tabs never rotate the same refresh token (reusing a
// rotated one revokes the whole family), and it is gone when the tab closes.
const session = { accessToken: null, refreshToken: null, expiresAt: 0, timer: 0, refreshing: null, me: null };

function startSession(tokens) {
  session.accessToken = tokens.access_token;
  session.refreshToken = tokens.refresh_token;
  sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  const lifetime = Number(tokens.expires_in) || 300;
  session.expiresAt = Date.now() + lifetime * 1000;
  clearTimeout(session.timer);
  const delay = Math.max(5, lifetime - REFRESH_EARLY_SECONDS);
  session.timer = setTimeout(() => refreshTokens().catch(sessionEnded), delay * 1000);
}

function clearSession() {
  clearTimeout(session.timer);
  Object.assign(session, { accessToken: null, refreshToken: null, expiresAt: 0, timer: 0, me: null });
  sessionStorage.removeItem(REFRESH_KEY);
}

/** One refresh at a time; callers that arrive while one runs share its result. */
function refreshTokens() {
  if (!session.refreshing) {
    const token = session.refreshToken || sessionStorage.getItem(REFRESH_KEY);
    session.refreshing = (async () => {
      if (!token) {
        throw new ApiError({ status: 401, code: 'invalid_refresh_token' });
      }
      const response = await send('/api/v1/auth/refresh', jsonPost({ refresh_token: token }));
      if (!response.ok) {
        throw await problemOf(response);
      }
      startSession(await response.json());
    })().finally(() => {
      session.refreshing = null;
    });
  }
  return session.refreshing;
}

/** Background tabs run timers late: check the token when the tab becomes visible again. */
function refreshIfDue() {
  if (session.refreshToken && document.visibilityState === 'visible'
      && Date.now() > session.expiresAt - REFRESH_EARLY_SECONDS * 1000) {
    refreshTokens().catch(sessionEnded);
  }
}

function sessionEnded() {
  if (!session.refreshToken && !sessionStorage.getItem(REFRESH_KEY)) {
    return;
  }
  abortRunning();
  clearSession();
  showAuth();
  showNotice(SESSION_ENDED);
}

// ------------------------------------------------------------------------------------------------ HTTP

async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError({ code: 'network' });
  }
}

function jsonPost(body, extra = {}) {
  return { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...extra },
    body: JSON.stringify(body) };
}

/** Calls the API as the signed-in user; on 401 refreshes the tokens once and retries. Throws ApiError on failure. */
async function api(path, init = {}, retried = false) {
  const headers = new Headers(init.headers || {});
  if (!headers.has('Accept')) {
    headers.set('Accept', 'application/json');
  }
  if (session.accessToken) {
    headers.set('Authorization', `Bearer ${session.accessToken}`);
  }
  const response = await send(path, { ...init, headers });
  if (response.status === 401 && !retried && session.refreshToken) {
    try {
      await refreshTokens();
    } catch (error) {
      sessionEnded();
      throw error;
    }
    return api(path, init, true);
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401) {
      sessionEnded();
    }
    throw problem;
  }
  return response;
}

function isEventStream(response) {
  return (response.headers.get('Content-Type') || '').startsWith('text/event-stream');
}

/**
 * Reads a text/event-stream body and calls onEvent({type, id, data}) for each event, data parsed as JSON.
 * Lines are "field:value" (one optional space after the colon), events end with a blank line, lines starting
 * with ':' are comments (keep-alives). EventSource cannot be used: it sends neither a POST body nor headers.
 */
async function readEventStream(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { type: '', id: null, data: null };
  const line = (text) => {
    if (text === '') {
      if (event.data !== null) {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          throw new ApiError({ code: 'bad_stream' });
        }
        onEvent({ type: event.type || 'message', id: event.id, data });
      }
      event = { type: '', id: null, data: null };
      return;
    }
    if (text.startsWith(':')) {
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      event.type = value;
    } else if (field === 'data') {
      event.data = event.data === null ? value : `${event.data}\n${value}`;
    } else if (field === 'id') {
      event.id = value;
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    for (;;) {
      const end = buffer.search(/[\r\n]/);
      // a trailing \r may be the first half of \r\n: wait for the next chunk
      if (end < 0 || (buffer[end] === '\r' && end === buffer.length - 1)) {
        break;
      }
      const skip = buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1;
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + skip);
      line(text);
    }
  }
  if (buffer.endsWith('\r')) {
    line(buffer.slice(0, -1));
  }
}

// ------------------------------------------------------------------------------------------------ DOM helpers

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name === 'onclick') {
      node.addEventListener('click', value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

let noticeTimer = 0;

function showNotice(text, kind = 'error') {
  $('notice-text').textContent = text;
  $('notice').classList.toggle('info', kind === 'info');
  $('notice').hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(hideNotice, kind === 'info' ? 5000 : 15000);
}

function hideNotice() {
  $('notice').hidden = true;
}

function noticeFor(error) {
  if (error && error.name === 'AbortError') {
    return;
  }
  const text = friendly(error);
  showNotice(error instanceof ApiError && error.detail && !SELF_EXPLAINING.has(error.code) ? `${text} (${error.detail})` : text);
}

// ------------------------------------------------------------------------------------------------ views

function showAuth() {
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('signout-button').hidden = true;
  $('auth-view').hidden = false;
  document.body.classList.remove('signed-in');
  // nothing of the previous account stays on the page
  clearTimeout(documentPoll);
  documents.clear();
  $('document-list').replaceChildren();
  $('upload-list').replaceChildren();
  uploading.clear();
  $('conversation-list').replaceChildren();
  newConversation();
}

async function enterApp() {
  const me = await (await api('/api/v1/me')).json();
  session.me = me;
  $('who-tenant').textContent = me.tenant ? me.tenant.name : '';
  $('who-email').textContent = me.user ? me.user.email : '';
  $('who').hidden = false;
  $('signout-button').hidden = false;
  $('auth-view').hidden = true;
  $('auth-error').hidden = true;
  $('app-view').hidden = false;
  document.body.classList.add('signed-in');
  $('upload-area').hidden = !canWrite();
  newConversation();
  showPanel('chat-panel');
  await Promise.all([loadDocuments(), loadConversations()]);
}

function canWrite() {
  return Boolean(session.me && (session.me.permissions || []).includes('documents:write'));
}

function showPanel(id) {
  for (const button of document.querySelectorAll('.panel-switch button')) {
    const shown = button.dataset.panel === id;
    button.setAttribute('aria-pressed', String(shown));
    $(button.dataset.panel).classList.toggle('shown', shown);
  }
}

// ------------------------------------------------------------------------------------------------ sign in / out

function selectAuthTab(which) {
  const login = which === 'login';
  $('tab-login').setAttribute('aria-selected', String(login));
  $('tab-signup').setAttribute('aria-selected', String(!login));
  $('login-form').hidden = !login;
  $('signup-form').hidden = login;
  $('auth-error').hidden = true;
}

async function submitAuth(event, path, body, button) {
  event.preventDefault();
  hideNotice();
  $('auth-error').hidden = true;
  button.disabled = true;
  try {
    const response = await send(path, jsonPost(body));
    if (!response.ok) {
      throw await problemOf(response);
    }
    startSession(await response.json());
    await enterApp();
  } catch (error) {
    renderProblem($('auth-error'), error);
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------------------------------------ single sign-on

/** "Sign in with ..." for each configured identity provider (plain links: the provider's pages are full navigations). */
async function showSsoProviders() {
  try {
    const response = await send('/api/v1/auth/providers', { headers: { Accept: 'application/json' } });
    const { providers } = response.ok ? await response.json() : { providers: [] };
    $('sso-providers').replaceChildren(...providers.map((provider) =>
      el('a', { class: 'button sso-button', href: provider.login_url, 'data-provider': provider.id },
        `Sign in with ${provider.name}`)));
    $('sso-providers').hidden = providers.length === 0;
  } catch {
    $('sso-providers').hidden = true;
  }
}

/**
 * A sign-on ends back here with `#sso_code=...` (traded once, by POST, for the tokens) or `#sso_error=<code>`; the
 * fragment never reaches a server and is removed from the address bar at once. True when it signed in.
 */
async function finishSso() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const code = fragment.get('sso_code');
  const error = fragment.get('sso_error');
  if (!code && !error) {
    return false;
  }
  history.replaceState(null, '', window.location.pathname + window.location.search);
  try {
    if (error) {
      throw problemFrom({ code: error }, 401);
    }
    const response = await send('/api/v1/auth/sso/exchange', jsonPost({ code }));
    if (!response.ok) {
      throw await problemOf(response);
    }
    startSession(await response.json());
    await enterApp();
    return true;
  } catch (problem) {
    showAuth();
    selectAuthTab('login');
    renderProblem($('auth-error'), problem);
    return false;
  }
}

async function signOut() {
  const token = session.refreshToken;
  abortRunning();
  clearSession();
  showAuth();
  selectAuthTab('login');
  if (token) {
    try {
      await send('/api/v1/auth/logout', jsonPost({ refresh_token: token }));
    } catch {
      // signed out locally either way
    }
  }
  showNotice('You are signed out.', 'info');
}

// ------------------------------------------------------------------------------------------------ documents

const documents = new Map();
/** Upload rows still in flight: until a file's `document` event, its row alone shows it, not the document list. */
const uploading = new Set();
let documentPoll = 0;

async function loadDocuments() {
  clearTimeout(documentPoll);
  try {
    const page = await (await api('/api/v1/documents?page=0&size=100')).json();
    documents.clear();
    for (const doc of page.items || []) {
      documents.set(doc.id, doc);
    }
    renderDocuments();
  } catch (error) {
    noticeFor(error);
  }
}

function upsertDocument(doc) {
  documents.set(doc.id, doc);
  renderDocuments();
}

function renderDocuments() {
  const list = $('document-list');
  const sorted = [...documents.values()].filter((doc) => !isUploading(doc))
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  list.replaceChildren(...sorted.map(documentItem));
  $('documents-empty').hidden = sorted.length > 0 || uploading.size > 0;
  if (sorted.some((doc) => doc.status === 'ingesting') && session.accessToken) {
    documentPoll = setTimeout(loadDocuments, 3000);
  }
}

function isUploading(doc) {
  return [...uploading].some((row) => (row.id ? row.id === doc.id : row.file.name === doc.filename && doc.status === 'ingesting'));
}

function documentItem(doc) {
  const remove = canWrite() ? el('button', { type: 'button', class: 'ghost small', 'data-testid': 'document-delete',
    'aria-label': `Delete ${doc.filename}` }, 'Delete') : null;
  if (remove) {
    remove.addEventListener('click', () => confirmThen(remove, () => deleteDocument(doc)));
  }
  return el('li', { 'data-testid': 'document', 'data-id': doc.id, 'data-status': doc.status },
    el('span', { class: 'doc-name', 'data-testid': 'document-name' }, doc.filename),
    el('span', { class: 'doc-meta' },
      el('span', { class: `badge ${doc.status}`, 'data-testid': 'document-status' }, doc.status),
      el('span', { 'data-testid': 'document-chunks' }, `${doc.chunk_count ?? 0} ${doc.chunk_count === 1 ? 'chunk' : 'chunks'}`),
      el('span', {}, formatBytes(doc.size_bytes))),
    el('span', { class: 'doc-actions' },
      el('button', { type: 'button', class: 'ghost small', 'data-testid': 'document-view',
        'aria-label': `Show the passages of ${doc.filename}`, onclick: () => showChunks(doc) }, 'View'),
      remove),
    doc.status === 'failed' && doc.error ? el('span', { class: 'doc-error' }, doc.error) : null);
}

/** Two-step delete without a blocking dialog: the first click arms the button for a few seconds. */
function confirmThen(button, action) {
  if (button.dataset.armed) {
    button.disabled = true;
    action();
    return;
  }
  const label = button.textContent;
  button.dataset.armed = 'true';
  button.textContent = 'Confirm';
  button.classList.add('danger');
  setTimeout(() => {
    delete button.dataset.armed;
    button.textContent = label;
    button.classList.remove('danger');
  }, 4000);
}

async function deleteDocument(doc) {
  try {
    await api(`/api/v1/documents/${encodeURIComponent(doc.id)}`, { method: 'DELETE' });
    documents.delete(doc.id);
    renderDocuments();
    showNotice(`Deleted ${doc.filename}.`, 'info');
  } catch (error) {
    noticeFor(error);
    await loadDocuments();
  }
}

async function showChunks(doc) {
  try {
    const body = await (await api(`/api/v1/documents/${encodeURIComponent(doc.id)}/chunks`)).json();
    const items = body.items || [];
    openPassage(doc.filename, `${items.length} ${items.length === 1 ? 'passage' : 'passages'}`,
      ...items.map((chunk) => el('div', { class: 'chunk' }, el('strong', {}, `#${chunk.index} `), chunk.text, '\n\n')));
  } catch (error) {
    noticeFor(error);
  }
}

async function upload(files) {
  if (!files.length) {
    return;
  }
  const form = new FormData();
  const rows = [];
  for (const file of files) {
    form.append('file', file, file.name);
    rows.push(uploadRow(file));
  }
  const byId = new Map();
  const rowFor = (data) => {
    let row = byId.get(data.document_id) || byId.get(data.id);
    if (!row) {
      row = rows.find((candidate) => !candidate.id && candidate.file.name === data.filename);
      if (row) {
        row.id = data.document_id || data.id;
        byId.set(row.id, row);
      }
    }
    return row;
  };
  try {
    const response = await api('/api/v1/documents', { method: 'POST', body: form, headers: { Accept: 'text/event-stream' } });
    if (isEventStream(response)) {
      await readEventStream(response, ({ type, data }) => {
        if (type === 'progress') {
          const row = rowFor(data);
          if (row) {
            row.progress(data.bytes_read, data.chunks_embedded);
          }
        } else if (type === 'document') {
          rowFor(data)?.finish();
          upsertDocument(data);
        } else if (type === 'error') {
          const problem = problemFrom(data, data.status || 500);
          rows.filter((row) => !row.finished).forEach((row) => row.fail(problem));
        }
      });
    } else {
      const body = await response.json();
      for (const doc of body.documents || []) {
        rowFor(doc)?.finish();
        upsertDocument(doc);
      }
    }
    rows.filter((row) => !row.finished).forEach((row) => row.fail(new ApiError({ code: 'cut_off' })));
  } catch (error) {
    rows.filter((row) => !row.finished).forEach((row) => row.fail(error));
  } finally {
    await loadDocuments();
  }
}

function uploadRow(file) {
  const bar = el('progress', { max: Math.max(file.size, 1), value: 0, 'data-testid': 'upload-progress',
    'aria-label': `Progress of ${file.name}` });
  const status = el('span', { 'data-testid': 'upload-status' }, 'Uploading…');
  const close = el('button', { type: 'button', class: 'ghost small', 'aria-label': 'Dismiss', hidden: true }, '×');
  const item = el('li', { 'data-testid': 'upload', 'data-filename': file.name, 'data-state': 'running' },
    el('div', { class: 'line' }, el('span', { class: 'name' }, file.name), close), bar, el('div', { class: 'line' }, status));
  close.addEventListener('click', () => item.remove());
  $('upload-list').prepend(item);
  const row = {
    file,
    id: null,
    finished: false,
    progress(bytesRead, chunks) {
      bar.value = Math.min(bytesRead, bar.max);
      const percent = Math.floor((100 * Math.min(bytesRead, file.size)) / Math.max(file.size, 1));
      status.textContent = bytesRead >= file.size
        ? `Read ${formatBytes(file.size)} · ${chunks} ${chunks === 1 ? 'chunk' : 'chunks'} embedded`
        : `Reading ${percent}% of ${formatBytes(file.size)} · ${chunks} ${chunks === 1 ? 'chunk' : 'chunks'} embedded`;
    },
    /** The file is a document now (ready or failed): the document list shows it from here on, so the row goes. */
    finish() {
      row.finished = true;
      uploading.delete(row);
      item.remove();
    },
    fail(error) {
      row.finished = true;
      uploading.delete(row);
      item.dataset.state = 'failed';
      close.hidden = false;
      bar.hidden = true;
      status.className = 'failed';
      renderProblem(status, error);
    },
  };
  uploading.add(row);
  return row;
}

// ------------------------------------------------------------------------------------------------ chat

const chat = { conversationId: null, running: null };

/** Citations as the model writes them: [1], [2, 3]. */
const CITATION = /\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]/g;

/**
 * One message on screen. A question is plain text. An answer is Markdown, rendered again once per animation frame
 * while tokens arrive (so once per batch of tokens, never per character), with its citations as buttons.
 */
function messageView(role) {
  const answer = el('div', { class: 'answer', 'data-testid': role === 'user' ? 'question-text' : 'answer-text' });
  const bubble = el('div', { class: 'bubble' }, answer);
  const sourceList = el('ol', { class: 'sources', 'data-testid': 'sources', hidden: true });
  const status = el('div', { class: 'status', 'data-testid': 'answer-status' });
  const root = el('article', { class: `message ${role}`, 'data-testid': 'message', 'data-role': role }, bubble);
  if (role === 'assistant') {
    root.append(sourceList, status);
  }
  $('messages-empty')?.remove();
  $('messages').append(root);

  let markdown = '';
  let sources = [];
  let frame = 0;

  function citeButton(number) {
    const source = sources[number - 1];
    return el('button', { type: 'button', class: 'citation', 'data-testid': 'citation', 'data-index': number,
      'aria-label': `Source ${number}: ${sourceLabel(source)}`, title: sourceLabel(source),
      onclick: () => openSource(number, source) }, String(number));
  }

  /** A run of answer text as nodes: a complete citation of known sources becomes buttons, the rest stays text. */
  function withCitations(text) {
    const nodes = [];
    let from = 0;
    for (const match of text.matchAll(CITATION)) {
      const numbers = match[1].split(',').map((n) => Number(n.trim()));
      if (numbers.every((n) => n >= 1 && n <= sources.length)) {
        nodes.push(text.slice(from, match.index), ...numbers.map(citeButton));
        from = match.index + match[0].length;
      }
    }
    nodes.push(text.slice(from));
    return nodes.filter((node) => node !== '');
  }

  function render() {
    cancelAnimationFrame(frame);
    frame = 0;
    const following = nearTheEnd();
    if (role === 'user') {
      answer.textContent = markdown;
    } else {
      renderMarkdown(answer, markdown, withCitations);
    }
    bubble.hidden = markdown === '' && root.dataset.state !== 'streaming';
    if (following) {
      scrollToEnd();
    }
  }

  const view = {
    root,
    append(text) {
      markdown += text;
      frame = frame || requestAnimationFrame(render);
    },
    setSources(list) {
      sources = Array.isArray(list) ? list : [];
      sourceList.replaceChildren(...sources.map((source, i) => el('li', {},
        el('button', { type: 'button', 'data-testid': 'source', 'data-index': i + 1, title: sourceLabel(source),
          onclick: () => openSource(i + 1, source) },
        el('span', { class: 'num' }, String(i + 1)), source.filename,
        sectionOf(source) ? el('span', { class: 'section', 'data-testid': 'source-section' }, ` — ${sectionOf(source)}`)
          : ` #${source.chunk_index}`))));
      sourceList.hidden = sources.length === 0;
      answer.replaceChildren(); // the citations of every block change with the sources
      render();
    },
    setState(state, text = '') {
      root.dataset.state = state;
      root.classList.toggle('streaming', state === 'streaming');
      status.className = 'status';
      status.textContent = text;
      render();
    },
    fail(error) {
      view.setState('error');
      status.className = 'status error';
      renderProblem(status, error);
      scrollToEnd();
    },
  };
  return view;
}

/** Whether the message list shows its end, so that a growing answer should keep it in view. */
function nearTheEnd() {
  const box = $('messages');
  return box.scrollHeight - box.scrollTop - box.clientHeight < 48;
}

function scrollToEnd() {
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
}

/** The heading path of a source's passage ("Chapter > Section"), or null where its document has none. */
function sectionOf(source) {
  return typeof source.section === 'string' && source.section.trim() !== '' ? source.section.trim() : null;
}

function sourceLabel(source) {
  return sectionOf(source) ? `${source.filename} — ${sectionOf(source)}` : source.filename;
}

function openSource(number, source) {
  const meta = [sectionOf(source), `passage #${source.chunk_index}`].filter(Boolean);
  if (typeof source.score === 'number') {
    meta.push(`relevance ${source.score.toFixed(2)}`);
  }
  openPassage(`[${number}] ${source.filename}`, meta.join(' · '), source.text || '');
}

function openPassage(title, meta, ...content) {
  $('passage-title').textContent = title;
  $('passage-meta').textContent = meta;
  $('passage-text').replaceChildren(...content);
  $('passage-text').scrollTop = 0;
  $('passage-dialog').showModal();
}

function setRunning(running) {
  chat.running = running;
  $('ask-button').disabled = Boolean(running);
  $('stop-button').hidden = !running;
}

function abortRunning() {
  if (chat.running) {
    chat.running.controller.abort();
  }
}

async function ask(question) {
  if (chat.running || !question.trim()) {
    return;
  }
  messageView('user').append(question);
  const view = messageView('assistant');
  view.setState('streaming');
  const controller = new AbortController();
  setRunning({ controller, view });
  let finished = false;
  try {
    const body = { question };
    if (chat.conversationId) {
      body.conversation_id = chat.conversationId;
    }
    const response = await api('/api/v1/chat', { ...jsonPost(body, { Accept: 'text/event-stream' }), signal: controller.signal });
    await readEventStream(response, ({ type, data }) => {
      if (type === 'conversation') {
        chat.conversationId = data.conversation_id;
      } else if (type === 'sources') {
        view.setSources(data.sources);
      } else if (type === 'token') {
        view.append(data.text ?? '');
      } else if (type === 'done') {
        finished = true;
        chat.conversationId = data.conversation_id || chat.conversationId;
        view.setState('done', data.finish_reason === 'length' ? 'The answer reached the length limit.' : '');
      } else if (type === 'error') {
        finished = true;
        view.fail(problemFrom(data, data.status || 500));
      }
    });
    if (!finished) {
      view.fail(new ApiError({ code: 'cut_off' }));
    }
  } catch (error) {
    if (error.name === 'AbortError') {
      view.setState('stopped', 'Stopped.');
    } else {
      view.fail(error);
    }
  } finally {
    setRunning(null);
    if (session.accessToken) {
      loadConversations();
    }
  }
}

async function loadConversations() {
  try {
    const body = await (await api('/api/v1/conversations?page=0&size=50')).json();
    renderConversations(Array.isArray(body) ? body : body.items || []);
  } catch (error) {
    noticeFor(error);
  }
}

function renderConversations(items) {
  const current = items.find((conversation) => conversation.id === chat.conversationId);
  if (current) {
    $('conversation-title').textContent = current.title || '';
  }
  $('conversation-list').replaceChildren(...items.map((conversation) => {
    const item = el('li', { 'data-testid': 'conversation', 'data-id': conversation.id,
      class: conversation.id === chat.conversationId ? 'current' : null },
    el('button', { type: 'button', class: 'open', 'data-testid': 'conversation-open',
      onclick: () => openConversation(conversation.id) },
    el('span', { class: 'title', 'data-testid': 'conversation-name' }, conversation.title || 'Untitled'), el('time', { datetime: conversation.updated_at || conversation.created_at },
      formatTime(conversation.updated_at || conversation.created_at))));
    const remove = el('button', { type: 'button', class: 'ghost small', 'data-testid': 'conversation-delete',
      'aria-label': `Delete conversation ${conversation.title || ''}` }, 'Delete');
    remove.addEventListener('click', () => confirmThen(remove, () => deleteConversation(conversation.id)));
    item.append(remove);
    return item;
  }));
  $('conversations-empty').hidden = items.length > 0;
}

function newConversation() {
  abortRunning();
  chat.conversationId = null;
  $('conversation-title').textContent = '';
  $('messages').replaceChildren(el('p', { id: 'messages-empty', class: 'empty' },
    'Ask a question. Answers cite the passages they use as [1], [2]…'));
  for (const item of document.querySelectorAll('#conversation-list li')) {
    item.classList.remove('current');
  }
}

async function openConversation(id) {
  if (chat.running) {
    abortRunning();
  }
  try {
    const conversation = await (await api(`/api/v1/conversations/${encodeURIComponent(id)}`)).json();
    newConversation();
    chat.conversationId = conversation.id;
    $('conversation-title').textContent = conversation.title || '';
    for (const message of conversation.messages || []) {
      const view = messageView(message.role === 'user' ? 'user' : 'assistant');
      if (message.role !== 'user') {
        view.setSources(message.sources || []);
        view.setState('done');
      }
      view.append(message.content || '');
    }
    for (const item of document.querySelectorAll('#conversation-list li')) {
      item.classList.toggle('current', item.dataset.id === id);
    }
    showPanel('chat-panel');
    $('question').focus();
  } catch (error) {
    noticeFor(error);
  }
}

async function deleteConversation(id) {
  try {
    await api(`/api/v1/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (chat.conversationId === id) {
      newConversation();
    }
  } catch (error) {
    noticeFor(error);
  }
  await loadConversations();
}

// ------------------------------------------------------------------------------------------------ wiring

function wire() {
  $('tab-login').addEventListener('click', () => selectAuthTab('login'));
  $('tab-signup').addEventListener('click', () => selectAuthTab('signup'));
  $('login-form').addEventListener('submit', (event) => submitAuth(event, '/api/v1/auth/login',
    { email: $('login-email').value.trim(), password: $('login-password').value }, $('login-submit')));
  $('signup-form').addEventListener('submit', (event) => submitAuth(event, '/api/v1/auth/signup',
    { tenant_name: $('signup-tenant').value.trim(), email: $('signup-email').value.trim(),
      password: $('signup-password').value }, $('signup-submit')));
  $('signout-button').addEventListener('click', signOut);
  $('notice-close').addEventListener('click', hideNotice);

  $('documents-refresh').addEventListener('click', loadDocuments);
  $('upload-input').addEventListener('change', (event) => {
    const files = [...event.target.files];
    event.target.value = '';
    upload(files);
  });

  $('chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const question = $('question').value;
    if (question.trim()) {
      $('question').value = '';
      ask(question.trim());
    }
  });
  $('question').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('chat-form').requestSubmit();
    }
  });
  $('stop-button').addEventListener('click', abortRunning);
  $('new-conversation').addEventListener('click', () => {
    newConversation();
    showPanel('chat-panel');
    $('question').focus();
  });
  for (const button of document.querySelectorAll('.panel-switch button')) {
    button.addEventListener('click', () => showPanel(button.dataset.panel));
  }
  $('passage-dialog').addEventListener('click', (event) => {
    if (event.target === $('passage-dialog')) {
      $('passage-dialog').close();
    }
  });
  document.addEventListener('visibilitychange', refreshIfDue);
}

async function start() {
  wire();
  showSsoProviders();
  if (await finishSso()) {
    return;
  }
  if (!$('auth-error').hidden) {
    return;
  }
  if (sessionStorage.getItem(REFRESH_KEY)) {
    try {
      await refreshTokens();
      await enterApp();
      return;
    } catch {
      clearSession();
    }
  }
  showAuth();
  selectAuthTab('login');
}

start();
