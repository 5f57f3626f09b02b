// The REST API client: bearer token from the session, JSON in and out, errors as ApiError.

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.field = body && body.field ? body.field : null;
  }
}

// Listeners told whether the matcher answers (true) or cannot be reached (false).
const connectionListeners = [];
export function onConnection(listener) { connectionListeners.push(listener); }
function connection(up) { connectionListeners.forEach((l) => l(up)); }

export class Api {
  constructor(token) {
    this.token = token;
  }

  async request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}` };
    let payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(`/api${path}`, { method, headers, body: payload });
    } catch (e) {
      // No answer at all: the matcher is down or the network is. Never shown as empty data.
      connection(false);
      throw new ApiError(0, { message: 'The matcher cannot be reached (connection lost)' });
    }
    connection(res.status < 502);
    if (res.status === 204) return null;
    const type = res.headers.get('Content-Type') || '';
    const data = type.startsWith('application/json') ? await res.json() : await res.blob();
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body === undefined ? {} : body); }
  del(path) { return this.request('DELETE', path); }

  // Server-Sent Events over fetch (EventSource cannot send an Authorization header).
  // Calls onEvent(type, data) per event and onState(true|false); reconnects until stop().
  events(onEvent, onState) {
    const controller = new AbortController();
    let stopped = false;
    const run = async () => {
      while (!stopped) {
        try {
          const res = await fetch('/api/events', {
            headers: { Authorization: `Bearer ${this.token}` },
            signal: controller.signal,
          });
          if (res.status === 401 || res.status === 403) {
            // Revoked or expired token: retrying would not help.
            onState(false);
            return;
          }
          if (!res.ok) throw new ApiError(res.status, null);
          connection(true);
          onState(true);
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              dispatch(buffer.slice(0, end), onEvent);
              buffer = buffer.slice(end + 2);
            }
          }
        } catch (e) {
          if (stopped) return;
          connection(false);
        }
        onState(false);
        await new Promise((r) => setTimeout(r, 3000));
      }
    };
    run();
    return () => { stopped = true; controller.abort(); };
  }
}

function dispatch(frame, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length) onEvent(type, JSON.parse(data.join('\n')));
}
