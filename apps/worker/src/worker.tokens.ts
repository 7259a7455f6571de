export const PERSIST_QUEUE_TOKEN = Symbol('PERSIST_QUEUE');
