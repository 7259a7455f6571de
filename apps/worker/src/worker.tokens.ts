export const PERSIST_QUEUE_TOKEN = Symbol('PERSIST_QUEUE');
/** The Kinesis client the shard coordinator reads the stream with. */
export const KINESIS_CLIENT = Symbol('KINESIS_CLIENT');
