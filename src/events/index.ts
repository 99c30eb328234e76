/** The in-process event bus (`domain.past_tense` events) that live streams subscribe to. */
export { createEventBus, EVENT_TYPES, type EventBus, type EventType, type EventListener, type SwitchboardEvent } from './bus.js';
