import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatIdFromLocation, chatPath } from '../../src/teamline/web/static/js/views/routes.js';

test('a conversation has its own address; the push form with a hash is read the same', () => {
  const id = '01a23415e3dbb0d6af965f0f';
  assert.equal(chatPath(id), `/chat/${id}`);
  assert.equal(chatIdFromLocation({ pathname: `/chat/${id}`, hash: '' }), id);
  assert.equal(chatIdFromLocation({ pathname: '/', hash: `#/chat/${id}` }), id);
  assert.equal(chatIdFromLocation({ pathname: '/contacts', hash: `#/chat/${id}/` }), id);
  assert.equal(chatIdFromLocation({ pathname: '/contacts', hash: '' }), null);
  assert.equal(chatIdFromLocation({ pathname: '/pair', hash: '#abc' }), null);
});
