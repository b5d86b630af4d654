export { backoffMs, createRelayLoop, type Backoff, type RelayLoop, type TickResult } from "./loop.js";
export {
  createOutboxRelay,
  DELIVERY_OUTCOMES,
  type Backlog,
  type DeliveryOutcome,
  type OutboxRelay,
  type OutboxRelayOptions,
  type OutboxSource,
} from "./outbox-relay.js";
