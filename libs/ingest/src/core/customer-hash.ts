import { createHmac } from 'node:crypto';

/** Hex characters kept of the HMAC: 128 bits, far from any collision among a shop's customers. */
const HASH_LENGTH = 32;

/**
 * The pseudonym stored for a `customer_id`: an HMAC-SHA256 keyed with the deployment's salt, so
 * returning customers can be counted while the id itself is never stored, and a stored hash cannot
 * be matched to an id without the salt.
 */
export function customerHash(customerId: string, salt: string): string {
  return createHmac('sha256', salt).update(customerId, 'utf8').digest('hex').slice(0, HASH_LENGTH);
}
