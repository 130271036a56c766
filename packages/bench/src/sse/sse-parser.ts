import { StringDecoder } from "node:string_decoder";
import { errorEventData } from "./error-event-data.js";

/**
 * Incremental Server-Sent Events parser. It takes raw socket chunks (UTF-8 split anywhere, `\n` or
 * `\r\n` line ends) and returns the `data` payload of every event the chunk completed; the caller
 * stamps them all with the time the read returned. Comments and `event:`/`id:` fields are ignored, except an event
 * that stands for a failure outside its data lines (`event: error`, an `error:` field): its error object is returned
 * (`errorEventData`).
 * @example
 * const p = new SseParser();
 * p.push(Buffer.from('data: {"a":1}\n\ndata: [DO')); // ['{"a":1}']
 * p.push(Buffer.from("NE]\n\n"));                    // ["[DONE]"]
 */
export class SseParser {
  private readonly decoder = new StringDecoder("utf8");
  private buffer = "";

  /** Feeds one chunk; returns the data payloads of the events it completed, in order. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    if (this.buffer.includes("\r")) this.buffer = this.buffer.replace(/\r\n?/g, "\n");
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf("\n\n", start);
      if (end < 0) break;
      const data = parseBlock(this.buffer, start, end);
      if (data !== undefined) out.push(data);
      start = end + 2;
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Ends the stream: an unterminated last event (no blank line) is returned if it has data. */
  end(): string[] {
    const rest = this.buffer + this.decoder.end();
    this.buffer = "";
    const trimmed = rest.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    if (trimmed.length === 0) return [];
    const data = parseBlock(trimmed, 0, trimmed.length);
    return data === undefined ? [] : [data];
  }

  /** Bytes (characters) received but not yet part of a complete event. */
  get pending(): number {
    return this.buffer.length;
  }
}

/** A field's value in `text`: after its name and colon (at `pos + nameLength`) and one optional space. */
function fieldValue(text: string, pos: number, nameLength: number, nl: number): string {
  const v = text.charCodeAt(pos + nameLength) === 32 ? pos + nameLength + 1 : pos + nameLength;
  return text.slice(v, nl);
}

/**
 * The data of one event block `text[start, end)`; undefined when it has no data field. An event that stands for a
 * failure outside its data lines (`event: error`, an `error:` field) gives its error object, as `scanSseEvents` does.
 */
function parseBlock(text: string, start: number, end: number): string | undefined {
  let data: string | undefined;
  let errorValue: string | undefined;
  let isErrorEvent = false;
  let comments: string[] | undefined;
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0 || nl > end) nl = end;
    if (text.startsWith("data:", pos)) {
      const value = fieldValue(text, pos, 5, nl);
      data = data === undefined ? value : `${data}\n${value}`;
    } else if (text.startsWith(":", pos)) {
      comments ??= [];
      comments.push(fieldValue(text, pos, 1, nl));
    } else if (text.startsWith("error:", pos)) {
      errorValue = fieldValue(text, pos, 6, nl);
    } else if (text.startsWith("event:", pos)) {
      isErrorEvent = fieldValue(text, pos, 6, nl) === "error";
    }
    pos = nl + 1;
  }
  if (errorValue !== undefined) return errorEventData(errorValue);
  if (isErrorEvent) return errorEventData(data ?? comments?.join(" "));
  return data;
}
