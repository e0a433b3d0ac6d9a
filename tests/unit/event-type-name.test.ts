import { expect, it } from 'vitest';
import { eventTypeName } from '../../lib/events/streamable';

it('names event types by their real constant, not the range markers that share their value', () => {
  expect(eventTypeName(4000)).toBe('SEVT_META_HELLO');
  expect(eventTypeName(4100)).toBe('SEVT_ACCOUNT_NEW');
  expect(eventTypeName(4999)).toBe('');
  expect(eventTypeName(123)).toBe('');
});
