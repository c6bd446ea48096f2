/**
 * Debian's Chromium driven by playwright-core, and the steps a user takes in the client, named
 * after what the user does. Every wait is on page state with a timeout, never a sleep.
 */

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { moduleDir, projectDir } from './cluster.js';

export const screenshotDir = path.join(moduleDir, 'target', 'screenshots');
const webappDir = path.join(projectDir, 'webapp/src/main/resources/META-INF/resources');

export async function launchBrowser() {
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      // Pages fulfilled by the live-webapp route have no address space, so Chromium's Local
      // Network Access checks would block their WebSocket to the node; the served war needs no flag.
      ...(process.env.PARLEY_TEST_LIVE_WEBAPP ? ['--disable-features=LocalNetworkAccessChecks'] : []),
    ],
  });
}

/** One person in a browser context of their own (own storage, own connection). */
export class User {
  /** @type {import('playwright-core').Page} */
  page;
  errors = [];
  /** What went over this user's WebSockets (for the report when a step fails). */
  frames = [];

  constructor(name, password = 'correct horse battery') {
    this.name = name;
    this.password = password;
  }

  /**
   * A new context with the client loaded. `beforeLoad(page)` runs before the first navigation,
   * for routes that must be in place when the page starts (e.g. `page.routeWebSocket`).
   */
  static async open(browser, baseUrl, name, { viewport = { width: 1280, height: 800 }, beforeLoad } = {}) {
    const user = new User(name);
    const context = await browser.newContext({ viewport, baseURL: baseUrl });
    if (process.env.PARLEY_TEST_LIVE_WEBAPP) {
      // Local iterations: the client's files straight from the source tree, served at the
      // gateway's origin (its CSP headers included) without rebuilding the war.
      await context.route(/\/(?:index\.html|[\w/-]+\.(?:js|css|svg))?(?:\?.*)?$/, async (route) => {
        const url = new URL(route.request().url());
        if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/.well-known/')) {
          return route.fallback();
        }
        const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
        const response = await route.fetch();
        try {
          const body = await readFile(path.join(webappDir, file));
          const types = { html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };
          const contentType = `${types[file.split('.').pop()] ?? 'application/octet-stream'}; charset=utf-8`;
          return route.fulfill({ response, body, status: 200, contentType });
        } catch {
          return route.fulfill({ response });
        }
      });
    }
    user.page = await context.newPage();
    user.page.on('pageerror', (error) => user.errors.push(String(error)));
    user.page.on('websocket', (socket) => {
      const node = new URL(socket.url()).port;
      const note = (direction, payload) => {
        // An auth.renew carries a token: the report shows that it did, not the token.
        const text = String(payload).replace(/("token":")[^"]*"/g, '$1…"');
        if (!/"type":"(?:ping|pong|typing)"/.test(text)) {
          user.frames.push(`${new Date().toISOString().slice(11, 23)} ${node} ${direction} ${text.slice(0, 160)}`);
          user.frames.splice(0, Math.max(0, user.frames.length - 80));
        }
      };
      socket.on('framesent', (frame) => note('>', frame.payload));
      socket.on('framereceived', (frame) => note('<', frame.payload));
      socket.on('close', () => note('x', 'closed'));
    });
    user.page.on('console', (message) => {
      if (message.type() === 'error') {
        user.errors.push(message.text());
      }
    });
    await beforeLoad?.(user.page);
    await user.page.goto('/');
    return user;
  }

  testId(id) {
    return this.page.getByTestId(id);
  }

  async fillCredentials() {
    await this.testId('login-username').fill(this.name);
    await this.testId('login-password').fill(this.password);
  }

  /** Creates the account with the Register button (fails when the name is taken). */
  async register() {
    await this.fillCredentials();
    await this.testId('register-submit').click();
    await this.connected();
  }

  /** Signs in through login-register (creates the account when the name is free). */
  async signIn() {
    await this.fillCredentials();
    await this.testId('login-submit').click();
    await this.connected();
  }

  /** Waits for a welcome and returns the node this user is connected to. */
  async connected(timeout = 30_000) {
    await this.page.locator('#connection-status[data-state="open"]').waitFor({ timeout });
    const node = this.testId('node-id');
    await this.page.waitForFunction(() => document.querySelector('[data-testid="node-id"]')?.textContent !== '', null, {
      timeout,
    });
    return (await node.textContent()).trim();
  }

  async nodeId() {
    return (await this.testId('node-id').textContent()).trim();
  }

  async createRoom(name) {
    await this.testId('room-create-name').fill(name);
    await this.testId('room-create-submit').click();
    await this.page.locator('[data-testid="chat-title"]', { hasText: name }).waitFor();
  }

  roomItem(name) {
    return this.testId('room-item').filter({ hasText: name });
  }

  async joinRoom(name) {
    const item = this.roomItem(name);
    await item.waitFor();
    await item.getByTestId('room-join').click();
    await this.page.locator('[data-testid="chat-title"]', { hasText: name }).waitFor();
    await this.composerReady();
  }

  conversationItem(name) {
    return this.testId('conversation-item').filter({ hasText: name });
  }

  async openConversation(name) {
    await this.conversationItem(name).first().click();
    await this.page.locator('[data-testid="chat-title"]', { hasText: name }).waitFor();
  }

  async composerReady() {
    await this.testId('message-input').waitFor({ state: 'visible' });
  }

  /** Types and sends a message; returns its bubble (own bubbles end "sent" with a seq). */
  async send(text) {
    await this.testId('message-input').fill(text);
    await this.testId('message-send').click();
    return this.ownMessage(text);
  }

  ownMessage(text) {
    return this.page.locator('[data-testid="message"].own').filter({
      has: this.page.getByTestId('message-text').getByText(text, { exact: true }),
    });
  }

  message(text) {
    return this.page.locator('[data-testid="message"]').filter({
      has: this.page.getByTestId('message-text').getByText(text, { exact: true }),
    });
  }

  /** Waits until a message with exactly this text is shown. */
  async sees(text, timeout = 20_000) {
    await this.message(text).first().waitFor({ timeout });
  }

  /** Texts of the shown messages of the open conversation, in display order, with their seqs. */
  async transcript() {
    return this.page.$$eval('[data-testid="message"]', (nodes) =>
      nodes.map((node) => ({
        seq: node.dataset.seq ? Number(node.dataset.seq) : null,
        state: node.dataset.state,
        text: node.querySelector('[data-testid="message-text"]')?.textContent ?? '',
      })),
    );
  }

  async screenshot(name) {
    await this.page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  }

  async close() {
    await this.page.context().close();
  }
}

/** A small valid PNG (solid colour), built in memory so the test needs no fixture files. */
export function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) {
      c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0)]);
  for (let x = 0; x < width; x++) {
    row[1 + x * 3] = 0x2f;
    row[2 + x * 3] = 0x6f;
    row[3 + x * 3] = 0xed;
  }
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
