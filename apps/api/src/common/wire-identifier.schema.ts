/**
 * A SKU or supplier id in a body, a route or a query follows the wire contract's identifier rule
 * (trimmed, 1-128 characters, no control characters), so every id an event or a write accepts
 * can be read back by every route.
 */
export { wireIdentifierSchema } from '@stockwall/contracts';
