/**
 * The client's room directory on its own (no browser, no cluster): another member's join or leave
 * moves a room's count without a `room.list`; my own membership changing elsewhere reloads the
 * list; a paged join ack counts the room's members, not the page. Timers are Node's mock timers,
 * so the refresh delay passes without waiting.
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectDir } from './cluster.js';

const { RoomDirectory } = await import(
  pathToFileURL(path.join(projectDir, 'webapp/src/main/resources/META-INF/resources/rooms/room-directory.js')).href
);

const me = { id: 1, username: 'ann', nickname: 'Ann' };
const bob = { id: 2, username: 'bob', nickname: 'Bob' };

/** A stand-in for the connection: pushes by hand, canned answers, and a log of requests. */
class FakeConnection extends EventTarget {
  requests = [];
  answers = {};

  on(type, handler) {
    this.addEventListener(type, (event) => handler(event.detail));
  }

  push(type, frame) {
    this.dispatchEvent(new CustomEvent(type, { detail: frame }));
  }

  async request(type, fields = {}) {
    this.requests.push({ type, ...fields });
    return this.answers[type];
  }

  count(type) {
    return this.requests.filter((r) => r.type === type).length;
  }
}

describe('room directory', () => {
  let connection;
  let directory;

  beforeEach(async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    connection = new FakeConnection();
    directory = new RoomDirectory(connection, { onError: (error) => assert.fail(error) });
    connection.answers['room.list'] = {
      rooms: [
        { id: 7, name: 'Stadium', memberCount: 900, joined: true },
        { id: 8, name: 'Booth', memberCount: 2, joined: false },
      ],
    };
    connection.push('welcome', { user: me });
    await directory.refresh();
    connection.requests.length = 0;
  });

  afterEach(() => mock.timers.reset());

  test('another member joining or leaving moves the count without a room.list', () => {
    connection.push('member.joined', { room: { id: 7, name: 'Stadium' }, user: bob });
    assert.equal(directory.get(7).memberCount, 901);
    connection.push('member.left', { room: { id: 7, name: 'Stadium' }, user: bob });
    assert.equal(directory.get(7).memberCount, 900);
    mock.timers.tick(10_000);
    assert.equal(connection.count('room.list'), 0);
  });

  test('my own join on another device reloads the list once', () => {
    connection.push('member.joined', { room: { id: 8, name: 'Booth' }, user: me });
    connection.push('member.joined', { room: { id: 8, name: 'Booth' }, user: me });
    mock.timers.tick(10_000);
    assert.equal(connection.count('room.list'), 1);
  });

  test('a paged join ack counts the room, not the page', async () => {
    connection.answers['room.join'] = {
      room: { id: 8, name: 'Booth' },
      members: [me, bob].map((u) => ({ ...u, online: true })),
      memberCount: 1200,
      next: 2,
    };
    await directory.join(8);
    assert.equal(directory.get(8).memberCount, 1200);
    assert.equal(directory.get(8).joined, true);
  });

  test('a v1 join ack without memberCount counts its members', async () => {
    connection.answers['room.join'] = {
      room: { id: 8, name: 'Booth' },
      members: [me, bob].map((u) => ({ ...u, online: true })),
    };
    await directory.join(8);
    assert.equal(directory.get(8).memberCount, 2);
  });
});
