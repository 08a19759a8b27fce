import { z } from 'zod';
import { MAX_LINE_QUANTITY } from '../domain/index.js';
import { count, currencyCode, email, moneyCents, phone, positiveInt, sku, strictObject, text, uuid } from './input/fields.js';

/** Request bodies: strict (unknown fields are errors), normalized, bounded. */
export const placeOrderBody = strictObject({
  customerId: text(64, { multiline: false }),
  customer: strictObject({
    email: email(),
    phone: phone(),
    name: text(200, { multiline: false }),
  }),
  region: text(32, { multiline: false }),
  paymentProvider: text(32, { multiline: false }),
  currency: currencyCode(),
  items: z.array(strictObject({ sku: sku(), quantity: positiveInt(MAX_LINE_QUANTITY) })).min(1).max(100),
});

export const productBody = strictObject({
  name: text(200, { multiline: false }),
  priceCents: moneyCents(),
  currency: currencyCode(),
  stock: count(1_000_000_000),
});

export const orderIdParams = strictObject({ id: uuid() });
export const skuParams = strictObject({ sku: sku() });

const line = (max: number) => text(max, { multiline: false });

export const authorizePaymentBody = strictObject({
  provider: line(32),
  reference: line(128),
  amountCents: moneyCents(),
  outcome: z.enum(['approved', 'declined']).default('approved'),
  reason: text(500).optional(),
}).refine((b) => b.outcome === 'approved' || b.reason !== undefined, { message: 'a declined authorization needs a reason', path: ['reason'] });

export const shipmentBody = strictObject({ carrier: line(64), trackingNumber: line(64) });
export const shipmentEventBody = strictObject({ status: z.enum(['in_transit', 'delivered', 'lost']) });
export const cancellationBody = strictObject({ reason: text(500) });
export const refundBody = strictObject({ amountCents: moneyCents().min(1, { error: 'must be at least 1' }), reason: text(500) });
export const noteBody = strictObject({ text: text(4000) });
export const disputeBody = strictObject({ reason: text(1000) });
export const disputeResolutionBody = strictObject({ outcome: z.enum(['upheld', 'rejected']), comment: text(1000) });
export const riskFlagBody = strictObject({ flag: line(64), reason: text(500) });
export const disputeParams = strictObject({ id: uuid(), disputeId: uuid() });
