import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/index.js';
import { email, strictObject, text } from '../../http/input/fields.js';
import { decodeCursor } from './cursor.js';

const PAYMENT_STATES = ['pending', 'authorized', 'declined', 'voided'] as const;
const REFUND_STATES = ['none', 'partial', 'full'] as const;
const SHIPMENT_STATUSES = ['shipped', 'in_transit', 'delivered', 'lost'] as const;

/** A full E.164 number matches exactly; digits alone (4 to 15) match the end of a number. */
export type PhoneFilter = { full: string } | { suffix: string };

const phoneFilter = () =>
  z.string()
    .overwrite((v) => v.trim().replace(/[ -]/g, ''))
    .regex(/^(\+[1-9]\d{6,14}|\d{4,15})$/, { error: 'must be a full international number such as +14155550123, or its last 4 or more digits' })
    .transform((v): PhoneFilter => (v.startsWith('+') ? { full: v } : { suffix: v }));

const yesNo = () => z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
// Down to the millisecond, as placedAt is stored: OpenSearch refuses more than nine fraction digits.
const isoTime = () =>
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time, such as 2026-11-28T10:00:00Z' })
    .transform((v) => new Date(v).toISOString());
const oneLine = (max: number) => text(max, { multiline: false });

const limit = () =>
  z.string()
    .regex(/^[1-9]\d{0,2}$/, { error: 'must be a whole number from 1 to 100' })
    .transform(Number)
    .pipe(z.number().max(100, { error: 'must be at most 100' }))
    .optional()
    .transform((n) => n ?? 20);

const cursor = () =>
  z.string().transform((value, ctx) => {
    const key = decodeCursor(value);
    if (!key) ctx.addIssue({ code: 'custom', message: 'is not a cursor this search handed out' });
    return key ?? z.NEVER;
  });

/** The filters; at least one is required, so a search never lists every customer. */
const filters = {
  email: email().optional(),
  phone: phoneFilter().optional(),
  customerId: oneLine(64).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  q: oneLine(200).optional(),
  paymentState: z.enum(PAYMENT_STATES).optional(),
  refundState: z.enum(REFUND_STATES).optional(),
  carrier: oneLine(64).optional(),
  shipmentStatus: z.enum(SHIPMENT_STATUSES).optional(),
  region: oneLine(32).optional(),
  paymentProvider: oneLine(32).optional(),
  riskFlag: oneLine(64).optional(),
  openDispute: yesNo().optional(),
  placedFrom: isoTime().optional(),
  placedTo: isoTime().optional(),
};
const FILTER_NAMES = Object.keys(filters);

export const supportSearchParams = strictObject({
  ...filters,
  cursor: cursor().optional(),
  limit: limit(),
  reveal: yesNo().optional().transform((v) => v ?? false),
  reason: text(500).optional(),
})
  .refine((q) => FILTER_NAMES.some((name) => q[name as keyof typeof q] !== undefined), { message: `give at least one of ${FILTER_NAMES.join(', ')}` })
  .refine((q) => !q.reveal || q.reason !== undefined, { message: 'reveal=true needs a reason', path: ['reason'] })
  .refine((q) => q.reveal || q.reason === undefined, { message: 'a reason is only taken with reveal=true', path: ['reason'] })
  .refine((q) => !q.placedFrom || !q.placedTo || q.placedFrom <= q.placedTo, { message: 'must not be before placedFrom', path: ['placedTo'] });

export type SupportSearchParams = z.output<typeof supportSearchParams>;
