import { z } from 'zod';
/**
 * A SKU or supplier id in a body, a route or a query follows the wire contract's identifier rule
 * (trimmed, 1-128 characters, no control characters), so every id an event or a write accepts
 * can be read back by every route.
 */
export { wireIdentifierSchema } from '@stockwall/contracts';

/** A stock location's code in a query, a route or a body: a letter or digit, then up to 63 more of those, space, `_`, `.` or `-`. */
export const locationCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be a location code');
