import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { executeOrderCommand } from '../../commands/execute.js';
import type { Role } from '../../config.js';
import type { OrderCommand } from '../../domain/index.js';
import type { Caller } from '../auth.js';
import { runCommand } from '../command-handler.js';
import type { AppContext } from '../context.js';
import { orderCommandResponse } from '../order-response.js';
import { ifMatchVersions } from '../preconditions.js';
import * as schemas from '../schemas.js';

type ExistingOrderCommand = Exclude<OrderCommand, { type: 'PlaceOrder' }>;
type CommandInput = { at: string; caller: Caller; params: { id: string; disputeId?: string } };

interface CommandRoute<S extends z.ZodType> {
  path: string;
  roles: readonly Role[];
  body: S;
  /** The id of what the command creates, if anything, echoed in the response. */
  toCommand: (body: z.output<S>, input: CommandInput) => { command: ExistingOrderCommand; createdId?: string };
}

function route<S extends z.ZodType>(definition: CommandRoute<S>): CommandRoute<S> {
  return definition;
}

const routes = [
  route({
    path: '/orders/:id/payment-authorizations', roles: ['client'], body: schemas.authorizePaymentBody,
    toCommand: (b, { at }) => ({ command: { type: 'AuthorizePayment', at, ...b } }),
  }),
  route({
    path: '/orders/:id/shipments', roles: ['operator'], body: schemas.shipmentBody,
    toCommand: (b, { at }) => ({ command: { type: 'ShipOrder', at, ...b } }),
  }),
  route({
    path: '/orders/:id/shipment-events', roles: ['operator'], body: schemas.shipmentEventBody,
    toCommand: (b, { at }) => ({ command: { type: 'RecordShipmentStatus', at, ...b } }),
  }),
  route({
    path: '/orders/:id/cancellation', roles: ['client', 'support'], body: schemas.cancellationBody,
    toCommand: (b, { at }) => ({ command: { type: 'CancelOrder', at, ...b } }),
  }),
  route({
    path: '/orders/:id/refunds', roles: ['support'], body: schemas.refundBody,
    toCommand: (b, { at }) => withId((refundId) => ({ type: 'IssueRefund', at, refundId, ...b })),
  }),
  route({
    path: '/orders/:id/notes', roles: ['support'], body: schemas.noteBody,
    toCommand: (b, { at, caller }) => withId((noteId) => ({ type: 'AddNote', at, noteId, text: b.text, author: caller.id })),
  }),
  route({
    path: '/orders/:id/disputes', roles: ['support'], body: schemas.disputeBody,
    toCommand: (b, { at }) => withId((disputeId) => ({ type: 'OpenDispute', at, disputeId, ...b })),
  }),
  route({
    path: '/orders/:id/disputes/:disputeId/resolution', roles: ['support'], body: schemas.disputeResolutionBody,
    toCommand: (b, { at, params }) => ({ command: { type: 'ResolveDispute', at, disputeId: params.disputeId!, ...b } }),
  }),
  route({
    path: '/orders/:id/risk-flags', roles: ['support'], body: schemas.riskFlagBody,
    toCommand: (b, { at }) => ({ command: { type: 'FlagRisk', at, ...b } }),
  }),
];

function withId(build: (id: string) => ExistingOrderCommand): { command: ExistingOrderCommand; createdId: string } {
  const id = randomUUID();
  return { command: build(id), createdId: id };
}

function parseParams(request: FastifyRequest) {
  const params = request.params as Record<string, unknown>;
  return 'disputeId' in params ? schemas.disputeParams.parse(params) : schemas.orderIdParams.parse(params);
}

/** Every command on an existing order: same pipeline, different rule. */
export function registerOrderCommands(app: FastifyInstance, ctx: AppContext): void {
  for (const definition of routes as Array<CommandRoute<z.ZodType>>) {
    app.post(definition.path, async (request, reply) => {
      const caller = ctx.authorize(request, definition.roles);
      const params = parseParams(request);
      const body = definition.body.parse(request.body);
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
