/**
 * The client's per-conversation log on its own (no browser, no cluster): merging by seq, my sends
 * completed by their ack or by the stored copy, and holes found for history to fill.
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectDir } from './cluster.js';

const { ConversationLog, MessageState } = await import(
  pathToFileURL(path.join(projectDir, 'webapp/src/main/resources/META-INF/resources/chat/conversation-log.js')).href
);

const { isEmojiOnly } = await import(
  pathToFileURL(path.join(projectDir, 'webapp/src/main/resources/META-INF/resources/chat/emoji.js')).href
);

const ann = { id: 1, username: 'ann', nickname: 'Ann' };
const bob = { id: 2, username: 'bob', nickname: 'Bob' };
const message = (seq, from, body, clientId = `c${seq}`) => ({
  conversation: 'room:1',
  seq,
  messageId: seq * 10,
  from,
  kind: 'text',
  body,
  sentAt: '2026-11-27T10:00:00.000Z',
  clientId,
});

describe('ConversationLog', () => {
  test('addMessage_ignoresASeqItAlreadyHas', () => {
    const log = new ConversationLog('room:1');
    assert.ok(log.addMessage(message(1, bob, 'hi'), ann));
    assert.equal(log.addMessage(message(1, bob, 'hi again'), ann), null);
    assert.deepEqual(log.entries().map((e) => e.body), ['hi']);
  });

  test('entries_areInSeqOrderWhateverTheArrivalOrder', () => {
    const log = new ConversationLog('room:1');
    for (const seq of [3, 1, 2]) {
      log.addMessage(message(seq, bob, `m${seq}`), ann);
    }
    assert.deepEqual(log.entries().map((e) => e.seq), [1, 2, 3]);
  });

  test('acknowledge_turnsMySendSentWithItsSeq', () => {
    const log = new ConversationLog('room:1');
    const entry = log.addPending('req-1', { body: 'hello' }, ann);
    assert.equal(entry.state, MessageState.SENDING);
    log.acknowledge('req-1', { seq: 4, messageId: 40, sentAt: '2026-11-27T10:00:01.000Z' });
    assert.equal(entry.state, MessageState.SENT);
    assert.equal(entry.seq, 4);
  });

  test('storedCopyOfMyUnackedSend_completesItInsteadOfDoublingIt', () => {
    const log = new ConversationLog('room:1');
    log.addPending('req-1', { body: 'hello' }, ann);
    log.fail('req-1', { message: 'lost' }, true);
    // After a reconnect, sync brings the stored message with my request id as clientId.
    log.addMessage(message(5, ann, 'hello', 'req-1'), ann);
    assert.equal(log.entries().length, 1);
    assert.equal(log.entries()[0].state, MessageState.SENT);
    assert.equal(log.unanswered().length, 0, 'nothing left to resend');
  });

  test('unanswered_listsOnlyFailuresTheServerNeverJudged', () => {
    const log = new ConversationLog('room:1');
    log.addPending('a', { body: 'one' }, ann);
    log.addPending('b', { body: 'two' }, ann);
    log.fail('a', { message: 'disconnected' }, true);
    log.fail('b', { message: 'rejected' }, false);
    assert.deepEqual(log.unanswered().map((e) => e.clientId), ['a']);
  });

  test('outbox_holdsMyUnsentMessagesInWritingOrder', () => {
    const log = new ConversationLog('room:1');
    log.addPending('a', { body: 'one' }, ann);
    log.addPending('b', { body: 'two' }, ann);
    log.fail('a', { message: 'disconnected' }, true);
    assert.deepEqual(log.outbox().map((e) => e.clientId), ['a', 'b']);
    assert.equal(ConversationLog.awaitsResend(log.outbox()[0]), true, 'a waits for its resend, b behind it');
    log.acknowledge('a', { seq: 1 });
    assert.deepEqual(log.outbox().map((e) => e.clientId), ['b']);
  });

  test('busyRetryDelay_backsOffWithJitter_thenGivesUp', () => {
    const log = new ConversationLog('room:1');
    log.addPending('a', { body: 'one' }, ann);
    log.addPending('b', { body: 'two' }, ann);
    const entry = log.fail('a', { code: 'BUSY', message: 'busy' }, true);
    assert.equal(ConversationLog.awaitsResend(entry), true, 'b waits behind the busy send');
    const delays = [];
    for (let i = 0; i < 3; i++) {
      delays.push([ConversationLog.busyRetryDelay(entry, () => 0), ConversationLog.busyRetryDelay(entry, () => 0.999)]);
      log.resend('a', { automatic: true });
      log.fail('a', { code: 'BUSY', message: 'busy' }, true);
    }
    assert.deepEqual(delays, [[1000, 1500], [2000, 2999], [4000, 5998]]);
    assert.equal(ConversationLog.busyRetryDelay(entry), null, 'three automatic tries, then the user decides');
    assert.equal(ConversationLog.awaitsResend(entry), false, 'and later sends no longer wait');
  });

  test('missing_findsAHoleMyOwnAckJumpedOver', () => {
    const log = new ConversationLog('room:1');
    log.addMessage(message(1, bob, 'one'), ann);
    log.addPending('req', { body: 'mine' }, ann);
    log.acknowledge('req', { seq: 3 });
    assert.deepEqual(log.missing(), [2]);
    log.addMessage(message(2, bob, 'two'), ann);
    assert.deepEqual(log.missing(), []);
  });
});

describe('isEmojiOnly', () => {
  test('isEmojiOnly_acceptsEmojiAndSpacesOnly', () => {
    assert.equal(isEmojiOnly('😀'), true);
    assert.equal(isEmojiOnly('👍🏽 🎉'), true);
    assert.equal(isEmojiOnly('❤️'), true);
    assert.equal(isEmojiOnly('ok 👍'), false);
    assert.equal(isEmojiOnly('123'), false);
    assert.equal(isEmojiOnly(''), false);
  });
});
