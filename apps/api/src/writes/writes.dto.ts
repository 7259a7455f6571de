import { z } from 'zod';
import { hasControlCharacters, LIMITS } from '@stockwall/contracts';
import { wireIdentifierSchema as sku } from '../common/wire-identifier.schema';

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, 'must be 1-64 letters, digits, spaces, dots, dashes or underscores');
const quantity = z.number().int('must be a whole number').min(0, 'must not be negative').max(LIMITS.maxQuantity);
const money = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'must be a decimal amount like "12.50"')
  .or(
    z
      .number()
      .nonnegative()
      .max(LIMITS.maxCents / 100),
  );

export const skuParamSchema = sku;

/** Why a write was made, stored with it (optional everywhere but adjustments). */
export const writeReasonSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .refine((value) => !hasControlCharacters(value), 'must not contain control characters');

/** Either a signed change (`delta`) or a cycle count that sets on hand (`countedQuantity`), with a reason. */
export const adjustmentSchema = z
  .object({
    sku,
    location: code.optional(),
    delta: z
      .number()
      .int('must be a whole number')
      .min(-LIMITS.maxQuantity)
      .max(LIMITS.maxQuantity)
      .refine((value) => value !== 0, 'must not be zero')
      .optional(),
    countedQuantity: quantity.optional(),
    reason: z.string().trim().min(1).max(LIMITS.maxTextLength),
  })
  .strict()
  .refine((value) => (value.delta === undefined) !== (value.countedQuantity === undefined), {
    message: 'give exactly one of delta or countedQuantity',
    path: ['delta'],
  });
export type AdjustmentDto = z.output<typeof adjustmentSchema>;

export const createProductSchema = z
  .object({
    sku,
    name: z.string().trim().min(1).max(LIMITS.maxTextLength),
    quantity,
    location: code.optional(),
    unitPrice: money.optional(),
    unitCost: money.optional(),
    reorderPoint: quantity.optional(),
    reason: writeReasonSchema.optional(),
  })
  .strict();
export type CreateProductDto = z.output<typeof createProductSchema>;

/** The catalog fields to change (at least one); stock is never touched. */
export const updateProductSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(LIMITS.maxTextLength).optional(),
    unitPrice: money.optional(),
    unitCost: money.optional(),
    category: z.string().trim().min(1, 'must not be empty').max(LIMITS.maxTextLength).optional(),
    description: z.string().trim().min(1, 'must not be empty').max(LIMITS.maxDescriptionLength).optional(),
    reason: writeReasonSchema.optional(),
  })
  .strict()
  .refine(
    (value) =>
      [value.name, value.unitPrice, value.unitCost, value.category, value.description].some(
        (field) => field !== undefined,
      ),
    { message: 'give at least one of name, unitPrice, unitCost, category, description', path: ['name'] },
  );
export type UpdateProductDto = z.output<typeof updateProductSchema>;

export const locationQuerySchema = z
  .object({ location: code.optional(), reason: writeReasonSchema.optional() })
  .strict();
export type LocationQueryDto = z.output<typeof locationQuerySchema>;

export const reorderPointSchema = z
  .object({ reorderPoint: quantity, location: code.optional(), reason: writeReasonSchema.optional() })
  .strict();
export type ReorderPointDto = z.output<typeof reorderPointSchema>;

/** What every write answers with 202: the event is on the stream, its effect follows live. */
export interface AcceptedWrite {
  eventId: string;
  eventType: string;
  sku: string;
}
