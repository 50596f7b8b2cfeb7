// The AWS event-stream binary framing (`application/vnd.amazon.eventstream`) that InvokeWithResponseStream answers
// with: each message is a prelude (total and headers length, CRC32), typed headers, a payload and a CRC32 of it all.
import * as zlib from 'zlib';

/** The media type of an event-stream response. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const PRELUDE_BYTES = 12; // total length, headers length, prelude CRC
const MESSAGE_CRC_BYTES = 4;
const STRING_HEADER_TYPE = 7;

/** Encodes one event-stream message with string headers. */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const encodedHeaders = Buffer.concat(Object.entries(headers).map(([name, value]) => encodeStringHeader(name, value)));
  const totalLength = PRELUDE_BYTES + encodedHeaders.length + payload.length + MESSAGE_CRC_BYTES;
  const message = Buffer.alloc(totalLength);
  message.writeUInt32BE(totalLength, 0);
  message.writeUInt32BE(encodedHeaders.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  encodedHeaders.copy(message, PRELUDE_BYTES);
  payload.copy(message, PRELUDE_BYTES + encodedHeaders.length);
  message.writeUInt32BE(crc32(message.subarray(0, totalLength - MESSAGE_CRC_BYTES)), totalLength - MESSAGE_CRC_BYTES);
  return message;
}

/** An event message (`:message-type: event`) of the given type. */
export function encodeEvent(eventType: string, contentType: string, payload: Buffer): Buffer {
  return encodeEventStreamMessage({ ':event-type': eventType, ':content-type': contentType, ':message-type': 'event' }, payload);
}

function encodeStringHeader(name: string, value: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const valueBytes = Buffer.from(value, 'utf8');
  if (nameBytes.length > 255) throw new Error(`event-stream header name '${name}' is longer than 255 bytes`);
  if (valueBytes.length > 0xffff) throw new Error(`event-stream header '${name}' has a value longer than 65535 bytes`);
  const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
  let at = header.writeUInt8(nameBytes.length, 0);
  at += nameBytes.copy(header, at);
  at = header.writeUInt8(STRING_HEADER_TYPE, at);
  at = header.writeUInt16BE(valueBytes.length, at);
  valueBytes.copy(header, at);
  return header;
}

/* eslint-disable no-bitwise -- a checksum is bit arithmetic */
// zlib.crc32 arrived in Node 20.15 / 22.2; older Node 20 releases use the table below (same polynomial, 0xEDB88320).
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3), as event-stream frames use it. */
export function crc32(data: Buffer): number {
  if (nativeCrc32) return nativeCrc32(data) >>> 0;
  return tableCrc32(data);
}

/** The portable CRC-32, exported for the test that checks it against zlib's. */
export function tableCrc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
