import { errorEventData } from "./error-event-data.js";

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
/** `e`: the first byte of the `event:` and `error:` fields, the only other lines the scanner reads. */
const E = 101;
const EVENT_FIELD = Buffer.from("event:");
const ERROR_FIELD = Buffer.from("error:");
const ERROR_NAME = Buffer.from("error");

/** Whether `buf` holds `data:` at `pos` (byte compares: no call out of JS). */
const isData = (buf: Buffer, pos: number) =>
  buf[pos] === 100 &&
  buf[pos + 1] === 97 &&
  buf[pos + 2] === 116 &&
  buf[pos + 3] === 97 &&
  buf[pos + 4] === 58;

/** Whether the line `buf[pos, eol)` starts with `prefix`. */
const startsWith = (buf: Buffer, pos: number, eol: number, prefix: Buffer) =>
  eol - pos >= prefix.length &&
  buf.compare(prefix, 0, prefix.length, pos, pos + prefix.length) === 0;

/** Where a field's value starts: after its name, its colon and one optional space. */
const valueStart = (buf: Buffer, pos: number, nameLength: number) =>
  buf[pos + nameLength] === SPACE ? pos + nameLength + 1 : pos + nameLength;

/**
 * What marks an event as a failure outside its data lines: an `error:` field (its value kept), an `event: error`
 * line, and the comments that carry such an event's message (see `errorEventData`). Only lines that are not data
 * are looked at, so the common event pays nothing.
 */
class ErrorMarks {
  errorValue: string | undefined;
  isErrorEvent = false;
  comments: string[] | undefined;

  /** Reads the non-data line `buf[pos, eol)`. */
  read(buf: Buffer, pos: number, eol: number): void {
    const first = buf[pos];
    if (first === COLON) {
      this.comments ??= [];
      this.comments.push(buf.toString("utf8", valueStart(buf, pos, 1), eol));
    } else if (first === E) {
      if (startsWith(buf, pos, eol, ERROR_FIELD)) {
        this.errorValue = buf.toString("utf8", valueStart(buf, pos, ERROR_FIELD.length), eol);
      } else if (startsWith(buf, pos, eol, EVENT_FIELD)) {
        const v = valueStart(buf, pos, EVENT_FIELD.length);
        this.isErrorEvent =
          eol - v === ERROR_NAME.length &&
          buf.compare(ERROR_NAME, 0, ERROR_NAME.length, v, eol) === 0;
      }
    }
  }

  /** The data the event stands for: its own, or an error object when it is marked as a failure. */
  data(data: string | undefined): string | undefined {
    if (this.errorValue !== undefined) return errorEventData(this.errorValue);
    if (this.isErrorEvent) return errorEventData(data ?? this.comments?.join(" "));
    return data;
  }

  get marked(): boolean {
    return this.errorValue !== undefined || this.isErrorEvent;
  }

  reset(): void {
    this.errorValue = undefined;
    this.isErrorEvent = false;
    this.comments = undefined;
  }
}

/**
 * Byte-level Server-Sent Events scanner for the deferred path: it works on raw bytes (no string
 * building while scanning), finds the end of every complete event in `buf` and calls
 * `onEvent(data, end)` with the event's `data` payload (UTF-8 decoded, lines joined by `\n`) and
 * the offset of the byte that completed it (the first byte of the blank line's terminator: with
 * CRLF the event is complete at the CR). `\n`, `\r\n` and `\r` line ends are accepted; comments and
 * `event:`/`id:`/`retry:` fields are ignored, except an event that stands for a failure outside its data lines (an
 * `event: error`, or an `error:` field): it is given as its error object (`errorEventData`). A CR at the very end of `buf` that ends a non-blank
 * line is left for the next scan (it may be the first half of a CRLF). Returns the offset where the first incomplete event
 * starts (the caller keeps `buf.subarray(offset)` and scans it again with the next bytes).
 * With `final`, an unterminated last event is emitted too and the whole buffer is consumed.
 * @example
 * const rest = scanSseEvents(Buffer.from('data: {"a":1}\n\ndata: x'), false, (d) => out.push(d));
 * // out = ['{"a":1}'], rest = 15
 */
export function scanSseEvents(
  buf: Buffer,
  final: boolean,
  onEvent: (data: string, end: number) => void,
): number {
  const len = buf.length;
  const hasCr = buf.indexOf(CR) >= 0;
  let eventStart = 0;
  let pos = 0;
  // data line ranges of the current event (a single line is by far the common case)
  let first = -1;
  let firstEnd = -1;
  let more: string[] | undefined;
  // made at the first line that is neither data nor blank (comments, `event:`, `error:`): most streams have none
  let marks: ErrorMarks | undefined;
  const dispatch = (end: number) => {
    let data: string | undefined;
    if (first >= 0) {
      data = buf.toString("utf8", first, firstEnd);
      if (more) data = `${data}\n${more.join("\n")}`;
    }
    if (marks) {
      data = marks.data(data);
      marks.reset();
    }
    if (data !== undefined) onEvent(data, end);
  };
  while (pos < len) {
    let eol = buf.indexOf(LF, pos);
    if (hasCr) {
      const cr = buf.indexOf(CR, pos);
      if (cr >= 0 && (eol < 0 || cr < eol)) eol = cr;
    }
    if (eol < 0) break;
    let next = eol + 1;
    if (buf[eol] === CR) {
      if (eol + 1 < len) {
        if (buf[eol + 1] === LF) next = eol + 2;
      } else if (!final && eol !== pos) break; // a CR ending a data line: an LF may follow
      // (a CR ending a blank line completes the event now; an LF after it is an empty no-op line)
    }
    if (eol === pos) {
      // blank line: dispatch
      if (first >= 0 || marks?.marked) dispatch(eol);
      else marks?.reset();
      first = -1;
      more = undefined;
      eventStart = next;
    } else if (eol - pos >= 5 && isData(buf, pos)) {
      let v = pos + 5;
      if (buf[v] === 32) v++;
      if (first < 0) {
        first = v;
        firstEnd = eol;
      } else {
        more ??= [];
        more.push(buf.toString("utf8", v, eol));
      }
    } else {
      marks ??= new ErrorMarks();
      marks.read(buf, pos, eol);
    }
    pos = next;
  }
  if (!final) return eventStart;
  if (pos < len) {
    // unterminated last line
    if (len - pos >= 5 && isData(buf, pos)) {
      let v = pos + 5;
      if (buf[v] === 32) v++;
      if (first < 0) {
        first = v;
        firstEnd = len;
      } else {
        more ??= [];
        more.push(buf.toString("utf8", v, len));
      }
    } else {
      marks ??= new ErrorMarks();
      marks.read(buf, pos, len);
    }
  }
  if (first >= 0 || marks?.marked) dispatch(len - 1);
  return len;
}
