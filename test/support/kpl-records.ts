import { aggregate } from 'aws-kinesis-agg';

export interface UserRecord {
  partitionKey: string;
  explicitHashKey?: string;
  data: Buffer;
}

/** KPL-aggregated records built by the published aggregation library, not by our own encoder. */
export function aggregateWithLibrary(records: UserRecord[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const encoded: Buffer[] = [];
    aggregate(
      records,
      (record, callback) => {
        encoded.push(record.data);
        callback();
      },
      () => resolve(encoded),
      (error) => reject(error),
    );
  });
}

/** The same, for records that fit one aggregate (fails loudly if the library split them). */
export async function aggregateOneWithLibrary(records: UserRecord[]): Promise<Buffer> {
  const encoded = await aggregateWithLibrary(records);
  if (encoded.length !== 1) throw new Error(`expected one aggregate, the library made ${encoded.length}`);
  return encoded[0];
}
