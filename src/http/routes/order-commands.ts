import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { executeOrderCommand } from '../../commands/execute.js';
import type { Role } from '../../config.js';
import type { OrderCommand } from '../../domain/index.js';
import type { Caller } from '../auth.js';
import { runCommand } from '../command-handler.js';
import type { AppContext } from '../context.js';
import { orderCommandResponse } from '../order-response.js';
import { ifMatchVersions } from '../preconditions.js';
import { rejectionResponses, type RejectionCode } from '../rejection-responses.js';
import { defineRoute } from '../routing/define-route.js';
import * as schemas from '../schemas.js';

type ExistingOrderCommand = Exclude<OrderCommand, { type: 'PlaceOrder' }>;
type CommandInput = { at: string; caller: Caller; params: { id: string; disputeId?: string } };

interface CommandRoute<S extends z.ZodType> {
  path: string;
  summary: string;
  roles: readonly Role[];
  body: S;
  /** Business refusals beyond those every command on an order can meet. */
  rejects?: readonly RejectionCode[];
  /** The id of what the command creates, if anything, echoed in the response. */
  toCommand: (body: z.output<S>, input: CommandInput) => { command: ExistingOrderCommand; createdId?: string };
}

function route<S extends z.ZodType>(definition: CommandRoute<S>): CommandRoute<S> {
  return definition;
}

const routes = [
  route({
    path: '/orders/:id/payment-authorizations', roles: ['client'], body: schemas.authorizePaymentBody,
    summary: 'Record a payment authorization (approved or declined) for the order total',
    rejects: ['amount_mismatch', 'invalid_amount', 'currency_mismatch'],
    toCommand: (b, { at }) => ({ command: { type: 'AuthorizePayment', at, ...b } }),
  }),
  route({
    path: '/orders/:id/shipments', roles: ['operator'], body: schemas.shipmentBody,
    summary: 'Ship a paid order',
    toCommand: (b, { at }) => ({ command: { type: 'ShipOrder', at, ...b } }),
  }),
  route({
    path: '/orders/:id/shipment-events', roles: ['operator'], body: schemas.shipmentEventBody,
    summary: 'Record a carrier status: in transit, delivered or lost',
    toCommand: (b, { at }) => ({ command: { type: 'RecordShipmentStatus', at, ...b } }),
  }),
  route({
    path: '/orders/:id/cancellation', roles: ['client', 'support'], body: schemas.cancellationBody,
    summary: 'Cancel the order and release its stock',
    toCommand: (b, { at }) => ({ command: { type: 'CancelOrder', at, ...b } }),
  }),
  route({
    path: '/orders/:id/refunds', roles: ['support'], body: schemas.refundBody,
    summary: 'Refund part or all of the authorized amount', rejects: ['invalid_amount', 'refund_exceeds_authorized'],
    toCommand: (b, { at }) => withId((refundId) => ({ type: 'IssueRefund', at, refundId, ...b })),
  }),
  route({
    path: '/orders/:id/notes', roles: ['support'], body: schemas.noteBody,
    summary: 'Add a support note',
    toCommand: (b, { at, caller }) => withId((noteId) => ({ type: 'AddNote', at, noteId, text: b.text, author: caller.id })),
  }),
  route({
    path: '/orders/:id/disputes', roles: ['support'], body: schemas.disputeBody,
    summary: 'Open a dispute', rejects: ['dispute_already_open'],
    toCommand: (b, { at }) => withId((disputeId) => ({ type: 'OpenDispute', at, disputeId, ...b })),
  }),
  route({
    path: '/orders/:id/disputes/:disputeId/resolution', roles: ['support'], body: schemas.disputeResolutionBody,
    summary: 'Resolve an open dispute: upheld or rejected', rejects: ['dispute_not_found'],
    toCommand: (b, { at, params }) => ({ command: { type: 'ResolveDispute', at, disputeId: params.disputeId!, ...b } }),
  }),
  route({
    path: '/orders/:id/risk-flags', roles: ['support'], body: schemas.riskFlagBody,
    summary: 'Flag the order as a risk',
    toCommand: (b, { at }) => ({ command: { type: 'FlagRisk', at, ...b } }),
  }),
];

function withId(build: (id: string) => ExistingOrderCommand): { command: ExistingOrderCommand; createdId: string } {
  const id = randomUUID();
  return { command: build(id), createdId: id };
}

// Every command on an existing order can meet these.
const COMMON_REJECTIONS: readonly RejectionCode[] = ['order_not_found', 'illegal_transition', 'version_mismatch'];

/** Every command on an existing order: same pipeline, different rule. */
export function registerOrderCommands(app: FastifyInstance, ctx: AppContext): void {
  for (const definition of routes as Array<CommandRoute<z.ZodType>>) {
    const params = definition.path.includes(':disputeId') ? schemas.disputeParams : schemas.orderIdParams;
    defineRoute(app, {
      method: 'POST', url: definition.path, summary: definition.summary, roles: definition.roles, params, body: definition.body,
      headers: { 'idempotency-key': 'required', 'if-match': 'optional' },
      responses: {
        200: { description: 'The order after the command, from the write model', headers: ['etag', 'location', 'idempotent-replayed'] },
        ...rejectionResponses([...COMMON_REJECTIONS, ...(definition.rejects ?? [])]),
      },
    }, async ({ caller, params, body }, request, reply) => {
      const expected = ifMatchVersions(request);
      return runCommand(ctx, request, reply, caller, async (trx) => {
        const { command, createdId } = definition.toCommand(body, { at: ctx.clock().toISOString(), caller, params });
        const { order, events } = await executeOrderCommand(trx, params.id, command, expected, caller);
        const response = orderCommandResponse(order, 200, events.map((e) => e.eventId));
        if (createdId) response.body = { ...(response.body as object), createdId };
        return response;
      });
    });
  }
}
