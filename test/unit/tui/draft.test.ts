import { describe, expect, it } from 'vitest';
import {
  completeMention,
  completionsFor,
  mentionAt,
  parseDraft,
  resolveRecipients,
} from '../../../src/tui/ui/draft.js';
import { fieldOf } from '../../../src/tui/ui/text-field.js';

describe('parseDraft', () => {
  it('takes leading mentions as recipients', () => {
    expect(parseDraft('@alice, @bob: please review\nthanks')).toEqual({
      to: ['alice', 'bob'],
      broadcast: false,
      body: 'please review\nthanks',
    });
  });

  it('broadcasts with @all and keeps later mentions in the body', () => {
    expect(parseDraft('@all ask @carol')).toEqual({ to: [], broadcast: true, body: 'ask @carol' });
  });

  it('leaves a draft without mentions whole', () => {
    expect(parseDraft('  just text  ')).toEqual({ to: [], broadcast: false, body: 'just text' });
  });
});

describe('resolveRecipients', () => {
  const reply = { id: 'M1', from: 'alice', to: ['you', 'bob'] };
  it('prefers mentions, then the reply, then the selected session', () => {
    expect(resolveRecipients(parseDraft('@bob hi'), 'you', reply, 'carol')).toMatchObject({
      to: ['bob'],
      source: 'mention',
    });
    expect(resolveRecipients(parseDraft('hi'), 'you', reply, 'carol')).toMatchObject({
      to: ['alice'],
      source: 'reply',
    });
    expect(resolveRecipients(parseDraft('hi'), 'you', null, 'carol')).toMatchObject({
      to: ['carol'],
      source: 'selected',
    });
    expect(resolveRecipients(parseDraft('hi'), 'you', null, 'you')).toMatchObject({ to: [], source: 'none' });
  });

  it('answers my own message to its other recipients', () => {
    const mine = { id: 'M2', from: 'you', to: ['alice', 'bob'] };
    expect(resolveRecipients(parseDraft('more'), 'you', mine, null).to).toEqual(['alice', 'bob']);
  });
});

describe('completion', () => {
  const sessions = ['alice', 'alex', 'bob', 'you'];
  it('finds the @prefix under the cursor', () => {
    expect(mentionAt(fieldOf('hi @al'))).toEqual({ start: 3, prefix: 'al' });
    expect(mentionAt(fieldOf('mail@host'))).toBeUndefined();
  });

  it('offers sessions (never myself) and all', () => {
    expect(completionsFor('a', sessions, 'you')).toEqual(['alex', 'alice', 'all']);
    expect(completionsFor('y', sessions, 'you')).toEqual([]);
  });

  it('completes one candidate fully and several to their shared prefix', () => {
    expect(completeMention(fieldOf('@b'), sessions, 'you')).toEqual({ text: '@bob ', cursor: 5 });
    expect(completeMention(fieldOf('@a'), sessions, 'you')?.text).toBe('@al');
    expect(completeMention(fieldOf('@ali'), sessions, 'you')?.text).toBe('@alice ');
    expect(completeMention(fieldOf('@zz'), sessions, 'you')).toBeUndefined();
  });
});
