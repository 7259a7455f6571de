import { z } from 'zod';
import { LIMITS } from '@stockwall/contracts';

// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * A SKU or supplier id in a body, a route or a query: the wire contract's identifier rule
 * (trimmed, 1-128 characters, no control characters), so every id an event or a write accepts
 * can be read back by every route.
 */
export const wireIdentifierSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.maxIdLength)
  .refine((text) => !CONTROL_CHARACTERS.test(text), 'must not contain control characters');
