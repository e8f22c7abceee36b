import { afterEach } from '@jest/globals';
import { takeServerErrors } from './server-errors';

// Any 5xx a test did not ask for fails that test (see server-errors.ts).
afterEach(() => {
  const unexpected = takeServerErrors();
  if (unexpected.length) throw new Error(`server errors (5xx) this test did not expect:\n${unexpected.join('\n')}`);
});
