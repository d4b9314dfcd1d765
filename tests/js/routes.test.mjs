import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatIdFromLocation, chatPath, chatTargetFromLocation } from '../../src/teamline/web/static/js/views/routes.js';

test('a conversation has its own address; the push form with a hash is read the same', () => {
  const id = '01a23415e3dbb0d6af965f0f';
  assert.equal(chatPath(id), `/chat/${id}`);
  assert.equal(chatIdFromLocation({ pathname: `/chat/${id}`, hash: '' }), id);
  assert.equal(chatIdFromLocation({ pathname: '/', hash: `#/chat/${id}` }), id);
  assert.equal(chatIdFromLocation({ pathname: '/contacts', hash: `#/chat/${id}/` }), id);
  assert.equal(chatIdFromLocation({ pathname: '/contacts', hash: '' }), null);
  assert.equal(chatIdFromLocation({ pathname: '/pair', hash: '#abc' }), null);
});

test('a search hit names the message to show in the address', () => {
  assert.equal(chatTargetFromLocation({ search: '?m=01a2' }), '01a2');
  assert.equal(chatTargetFromLocation({ search: '' }), null);
  // The conversation is still read from the path when the address names a message.
  assert.equal(chatIdFromLocation({ pathname: '/chat/c1', hash: '' }), 'c1');
});
