import * as path from 'node:path';
import { ensureLocalSecret } from '@stockwall/config';

/**
 * The tests' signing secret: random, generated once per checkout into .stockwall/ (git-ignored),
 * so no secret is ever written in the repository and every process a test starts shares it.
 */
export function testJwtSecret(): string {
  return ensureLocalSecret(path.resolve(__dirname, '../../.stockwall/test-jwt-secret')).secret;
}
