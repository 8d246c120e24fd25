// A Transport decorator for the TS SDK 1.x Client: lets a scenario wait for inbound messages
// (barriers that keep the frame order deterministic) and pin the protocol version the client
// requests in `initialize` (the 1.x Client always asks for its latest one).

export class ObservedTransport {
  constructor(inner, { protocolVersion } = {}) {
    this.inner = inner;
    this.protocolVersion = protocolVersion;
    this.seen = [];
    this.waiters = [];
  }

  async start() {
    this.inner.onmessage = (message, extra) => {
      this.seen.push(message);
      this.waiters = this.waiters.filter((w) => !w.tryResolve());
      this.onmessage?.(message, extra);
    };
    this.inner.onerror = (e) => this.onerror?.(e);
    this.inner.onclose = () => this.onclose?.();
    return this.inner.start();
  }

  async send(message, options) {
    if (this.protocolVersion && message.method === 'initialize') {
      message = { ...message, params: { ...message.params, protocolVersion: this.protocolVersion } };
    }
    return this.inner.send(message, options);
  }

  close() { return this.inner.close(); }
  setProtocolVersion(v) { this.inner.setProtocolVersion?.(v); }
  get sessionId() { return this.inner.sessionId; }

  /** Resolves once `count` inbound messages (counted since the start) satisfy `predicate`. */
  waitFor(description, predicate, { count = 1, timeoutMs = 10_000 } = {}) {
    return new Promise((resolve, reject) => {
      const waiter = {
        tryResolve: () => {
          const matches = this.seen.filter(predicate);
          if (matches.length < count) return false;
          clearTimeout(timer);
          resolve(matches[count - 1]);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      if (!waiter.tryResolve()) this.waiters.push(waiter);
    });
  }
}

export const isMethod = (method) => (m) => m.method === method;
export const isLog = (substring) => (m) =>
  m.method === 'notifications/message' && String(m.params?.data).includes(substring);
