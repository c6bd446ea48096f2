/**
 * Two people, each in a browser context of their own and connected to different IM nodes, use
 * the client against a real gateway and two nodes: sign-up and sign-in, a room, a direct
 * conversation, presence, typing, read receipts, an image, a drained node, and text that looks
 * like markup. The tests run in order and build on each other (one cluster boot for all).
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { User, launchBrowser, png } from './browser.js';
import { BOOT_TIMEOUT_MS, Cluster } from './cluster.js';

const run = Date.now().toString(36);
const room = `lobby-${run}`;

/** The scenario builds on itself: once a step failed, the later ones are skipped, not failed. */
let failed = null;
function step(name, fn, options = {}) {
  test(name, { timeout: 120_000, ...options }, async (t) => {
    if (failed) {
      t.skip(`an earlier step failed: ${failed}`);
      return;
    }
    try {
      await fn(t);
    } catch (error) {
      failed = name;
      throw error;
    }
  });
}

describe('Parley in the browser', { concurrency: false }, () => {
  /** @type {Cluster} */
  let cluster;
  let browser;
  /** @type {User} */
  let ann;
  /** @type {User} */
  let bob;

  before(async () => {
    cluster = await Cluster.start();
    browser = await launchBrowser();
  }, { timeout: BOOT_TIMEOUT_MS + 60_000 });

  after(async () => {
    for (const user of [ann, bob]) {
      if (user?.errors.length) {
        console.log(`page errors of ${user.name}:\n  ${user.errors.join('\n  ')}`);
      }
      if (failed && user?.frames.length) {
        console.log(`last frames of ${user.name}:\n  ${user.frames.join('\n  ')}`);
      }
    }
    await browser?.close().catch(() => {});
    await cluster?.stop();
  }, { timeout: 90_000 });

  step('register and sign in put the two users on different nodes', async () => {
    ann = await User.open(browser, cluster.url, `ann_${run}`);
    await ann.testId('login-username').waitFor();
    await ann.screenshot('sign-in');
    await ann.register();

    bob = await User.open(browser, cluster.url, `bob_${run}`);
    await bob.signIn();

    // /api/route is round-robin: a fresh connection (a reload) moves Bob on if he landed on Ann's node.
    const annNode = await ann.nodeId();
    let bobNode = await bob.nodeId();
    for (let attempt = 0; attempt < 4 && bobNode === annNode; attempt++) {
      await bob.page.reload();
      bobNode = await bob.connected();
    }
    assert.match(annNode, /^node-\d+$/);
    assert.notEqual(bobNode, annNode, 'Ann and Bob should be on different nodes');

    // The cluster view agrees: two nodes, mine marked.
    await bob.testId('cluster-button').click();
    const nodes = bob.testId('cluster-node');
    await bob.page.locator(`[data-testid="cluster-node"][data-node-id="${bobNode}"][data-mine="true"]`).waitFor();
    assert.equal(await nodes.count(), 2);
    await bob.screenshot('cluster');
    await bob.testId('cluster-close').click();
  });

  step('a room: create, join, and chat both ways in seq order', async () => {
    await ann.createRoom(room);
    // room.created reaches Bob, who joins from the directory.
    await bob.joinRoom(room);

    const hello = await ann.send('Hello Bob, welcome to the lobby');
    await hello.and(ann.page.locator('[data-state="sent"][data-seq]')).waitFor();
    await bob.sees('Hello Bob, welcome to the lobby');

    await bob.send('Hi Ann! 👋');
    await ann.sees('Hi Ann! 👋');

    const seqs = (await bob.transcript()).map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'messages in seq order');
    assert.ok(seqs.every((s) => Number.isInteger(s)), 'every message has its seq');
  });

  step('presence, typing and read receipts', async () => {
    // Presence: each sees the other online in the member list.
    await ann.page.locator(`[data-testid="member"][data-online="true"]`, { hasText: bob.name }).waitFor();
    await bob.page.locator(`[data-testid="member"][data-online="true"]`, { hasText: ann.name }).waitFor();

    // Typing: Bob types, Ann is told.
    await bob.testId('message-input').pressSequentially('typing…', { delay: 20 });
    await ann.page.locator('[data-testid="typing-indicator"]', { hasText: bob.name }).waitFor();
    await bob.testId('message-input').fill('');

    // Read receipts: Ann's message turns "read" once Bob, who has the room open, saw it.
    const question = await ann.send('Did you read this?');
    await bob.sees('Did you read this?');
    await question.and(ann.page.locator('[data-read="true"]')).waitFor();
    await ann.screenshot('room');
  });

  step('emoji picker inserts into the draft', async () => {
    await ann.testId('emoji-button').click();
    await ann.testId('emoji-option').first().waitFor();
    const emoji = (await ann.testId('emoji-option').first().textContent()).trim();
    await ann.testId('emoji-option').first().click();
    assert.equal(await ann.testId('message-input').inputValue(), emoji);
    await ann.testId('message-send').click();
    await bob.sees(emoji);
    // A message of emoji alone goes out as kind "emoji".
    await bob.page.locator('[data-testid="message"][data-kind="emoji"]').filter({ hasText: emoji }).waitFor();
  });

  step('a direct conversation started from the member list', async () => {
    await bob.page
      .locator('[data-testid="member"]', { hasText: ann.name })
      .getByTestId('member-dm')
      .click();
    await bob.page.locator('[data-testid="chat-title"]', { hasText: ann.name }).waitFor();
    await bob.send('Psst, a private word');

    // Ann is in the room: the DM shows in her list with a badge and a preview.
    const item = ann.conversationItem(bob.name);
    await item.getByTestId('conversation-unread').filter({ hasText: '1' }).waitFor();
    await item.getByTestId('conversation-preview').filter({ hasText: 'Psst, a private word' }).waitFor();
    await ann.screenshot('conversations');
    await ann.openConversation(bob.name);
    await ann.sees('Psst, a private word');
    await ann.send('Only you can read this');
    await bob.sees('Only you can read this');
    await bob.screenshot('direct-message');
  });

  step('an image upload shows inline with its size reserved, and a bad type is refused', async () => {
    await ann.openConversation(room);
    await bob.openConversation(room);
    // The progress bar is shown while the upload runs (recorded, since a small upload is quick).
    await ann.page.evaluate(() => {
      const bar = document.querySelector('[data-testid="upload-progress"]');
      window.__progressShown = false;
      new MutationObserver(() => {
        window.__progressShown ||= !bar.hidden;
      }).observe(bar, { attributes: true, attributeFilter: ['hidden'] });
    });
    await ann.testId('attach-input').setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: png(64, 48) });
    const image = bob.page.locator('[data-testid="message"] img[data-testid="message-image"]');
    await image.waitFor();
    assert.equal(await image.getAttribute('width'), '64');
    assert.equal(await image.getAttribute('height'), '48');
    await bob.page.waitForFunction(() => {
      const img = document.querySelector('img[data-testid="message-image"]');
      return img?.complete && img.naturalWidth === 64;
    });
    assert.equal(await ann.page.evaluate(() => window.__progressShown), true, 'the progress bar was shown');
    await ann.testId('upload-progress').waitFor({ state: 'hidden' });

    // A GIF shows inline as a GIF message; a text file as a link with its name.
    const gif = Buffer.from('R0lGODlhAgADAIAAAP///wAAACH5BAEAAAAALAAAAAACAAMAAAIChF8AOw==', 'base64');
    await ann.testId('attach-input').setInputFiles({ name: 'tiny.gif', mimeType: 'image/gif', buffer: gif });
    const gifImage = bob.page.locator('[data-testid="message"][data-kind="gif"] img[data-testid="message-image"]');
    await gifImage.waitFor();
    assert.equal(await gifImage.getAttribute('width'), '2');
    assert.equal(await gifImage.getAttribute('height'), '3');
    await ann.testId('attach-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain notes\n') });
    await bob.page.locator('[data-testid="message"][data-kind="file"] [data-testid="message-file"]', { hasText: 'notes.txt' }).waitFor();

    // A program dressed up as a PNG passes the client's check of the declared type; the gateway
    // sniffs the bytes and refuses it (415), and the user is told.
    await ann.testId('attach-input').setInputFiles({
      name: 'holiday.png',
      mimeType: 'image/png',
      buffer: Buffer.from('MZ\x90\x00not really a program', 'latin1'),
    });
    await ann.testId('upload-error').filter({ hasText: /not allowed|type/i }).waitFor();
    await bob.screenshot('image');
  });

  step('text that looks like markup is shown as text', async () => {
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script><b>bold?</b>',
    ];
    for (const payload of payloads) {
      await ann.send(payload);
      await bob.sees(payload);
    }
    for (const user of [ann, bob]) {
      assert.equal(await user.page.evaluate(() => window.__xss), undefined);
      assert.equal(await user.page.locator('[data-testid="message-text"] img, [data-testid="message-text"] b').count(), 0);
    }
  });

  step('draining Bob’s node: both keep chatting, nothing lost or doubled', async () => {
    const bobNode = await bob.nodeId();
    const annNode = await ann.nodeId();
    const before = (await bob.transcript()).filter((m) => m.seq !== null).length;

    cluster.drain(bobNode);
    // Both keep writing while Bob's connection moves; Bob's sends wait and go out after the sync.
    const annTexts = Array.from({ length: 5 }, (_, i) => `during drain from Ann #${i + 1}`);
    const bobTexts = Array.from({ length: 3 }, (_, i) => `during drain from Bob #${i + 1}`);
    for (let i = 0; i < 5; i++) {
      await ann.send(annTexts[i]);
      if (i < 3) {
        await bob.testId('message-input').fill(bobTexts[i]);
        await bob.testId('message-send').click();
      }
    }
    const newNode = await bob.connected(60_000);
    assert.notEqual(newNode, bobNode, 'Bob reconnected to another node');
    assert.equal(newNode, annNode);

    // Bob's sends are stored (his own view turns them "sent" after the reconnect, resent with
    // their ids where the ack was lost), and Ann's next message closes any hole a lost push left.
    for (const text of bobTexts) {
      await bob.ownMessage(text).and(bob.page.locator('[data-state="sent"]')).waitFor({ timeout: 30_000 });
    }
    annTexts.push('after the drain from Ann');
    await (await ann.send('after the drain from Ann')).and(ann.page.locator('[data-state="sent"]')).waitFor();
    for (const text of [...annTexts, ...bobTexts]) {
      await ann.sees(text, 30_000);
      await bob.sees(text, 30_000);
    }
    for (const user of [ann, bob]) {
      const shown = (await user.transcript()).filter((m) => m.seq !== null);
      const seqs = shown.map((m) => m.seq);
      assert.equal(new Set(seqs).size, seqs.length, `${user.name}: no seq shown twice`);
      for (let i = 1; i < seqs.length; i++) {
        assert.equal(seqs[i], seqs[i - 1] + 1, `${user.name}: seqs contiguous and in order`);
      }
      for (const text of [...annTexts, ...bobTexts]) {
        assert.equal(shown.filter((m) => m.text === text).length, 1, `${user.name}: "${text}" exactly once`);
      }
      assert.ok(shown.length >= before + 9);
      // Each one's own messages keep the order they were written in.
      const order = (texts) => texts.map((text) => shown.find((m) => m.text === text).seq);
      const bobSeqs = order(bobTexts);
      assert.deepEqual(bobSeqs, [...bobSeqs].sort((a, b) => a - b), `${user.name}: Bob's messages in the order written`);
      const annSeqs = order(annTexts);
      assert.deepEqual(annSeqs, [...annSeqs].sort((a, b) => a - b), `${user.name}: Ann's messages in the order written`);
    }
  });

  step('history loads on scroll-back', async () => {
    for (let i = 1; i <= 45; i++) {
      await ann.testId('message-input').fill(`filler ${i}`);
      await ann.testId('message-send').click();
    }
    await ann.ownMessage('filler 45').and(ann.page.locator('[data-state="sent"]')).waitFor();
    // A fresh page holds only the latest page of history (50 messages)...
    await bob.page.reload();
    await bob.connected();
    await bob.sees('filler 45');
    assert.equal(await bob.message('Hello Bob, welcome to the lobby').count(), 0);
    // ...and the rest comes as Bob scrolls back to the top.
    await bob.page.locator('#message-pane').evaluate((pane) => {
      pane.scrollTop = 0;
    });
    await bob.sees('Hello Bob, welcome to the lobby');
    const seqs = (await bob.transcript()).map((m) => m.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'every seq from 1, once, in order');
  });

  step('phone width: the conversation list and the chat fit', async () => {
    await ann.page.setViewportSize({ width: 390, height: 844 });
    await ann.testId('message-input').waitFor({ state: 'visible' });
    const overflow = await ann.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at phone width (overflow ${overflow}px)`);
    await ann.screenshot('phone');
  });

  step('a session the server no longer accepts goes to sign-in and keeps the draft', async () => {
    await ann.page.setViewportSize({ width: 1280, height: 800 });
    await ann.testId('message-input').fill('a half-written thought');
    // Stand-in for an expired token: the gateway refuses it (401) when the client routes again.
    await ann.page.evaluate(() => {
      const session = JSON.parse(sessionStorage.getItem('parley.session'));
      sessionStorage.setItem('parley.session', JSON.stringify({ ...session, token: 'no.longer.valid' }));
    });
    await ann.page.reload();
    await ann.testId('login-username').waitFor({ state: 'visible' });
    await ann.testId('error-banner').waitFor({ state: 'visible' });
    await ann.signIn();
    await ann.page.locator('[data-testid="chat-title"]', { hasText: room }).waitFor();
    assert.equal(await ann.testId('message-input').inputValue(), 'a half-written thought');
  });

  step('sign out returns to the sign-in screen and Bob sees Ann go offline', async () => {
    await ann.testId('signout').click();
    await ann.testId('login-username').waitFor({ state: 'visible' });
    // Signing out closes with 4000: the node announces Ann offline at once, not after its 10-s
    // grace period for connections that merely drop (which this wait would not cover).
    await bob.page.locator(`[data-testid="member"][data-online="false"]`, { hasText: ann.name }).waitFor({
      timeout: 8_000,
    });
  });

  step('signed in elsewhere: the old tab says why and does not reconnect in a loop', async () => {
    let sockets = 0;
    bob.page.on('websocket', () => sockets++);
    const elsewhere = await User.open(browser, cluster.url, bob.name);
    try {
      await elsewhere.signIn();
      await bob.page.locator('#connection-status[data-state="kicked"]').waitFor({ timeout: 30_000 });
      await bob.testId('error-banner').filter({ hasText: 'disconnected' }).waitFor();
      // The new tab works for a while (a send and its ack); the old one stays down meanwhile.
      await elsewhere.openConversation(room);
      await elsewhere.send('I moved to another tab');
      await elsewhere.ownMessage('I moved to another tab').and(elsewhere.page.locator('[data-state="sent"]')).waitFor();
      await elsewhere.page.locator('#connection-status[data-state="open"]').waitFor();
      assert.equal(await bob.page.locator('#connection-status').getAttribute('data-state'), 'kicked');
      assert.equal(sockets, 0, 'the kicked tab opened no new connection');
      await bob.screenshot('kicked');
    } finally {
      await elsewhere.close();
    }
  });
});
