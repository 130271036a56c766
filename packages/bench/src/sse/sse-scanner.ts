const LF = 10;
const CR = 13;

/** Whether `buf` holds `data:` at `pos` (byte compares: no call out of JS). */
const isData = (buf: Buffer, pos: number) =>
  buf[pos] === 100 &&
  buf[pos + 1] === 97 &&
  buf[pos + 2] === 116 &&
  buf[pos + 3] === 97 &&
  buf[pos + 4] === 58;

/**
 * Byte-level Server-Sent Events scanner for the deferred path: it works on raw bytes (no string
 * building while scanning), finds the end of every complete event in `buf` and calls
 * `onEvent(data, end)` with the event's `data` payload (UTF-8 decoded, lines joined by `\n`) and
 * the offset of the byte that completed it (the first byte of the blank line's terminator: with
 * CRLF the event is complete at the CR). `\n`, `\r\n` and `\r` line ends are accepted; comments and
 * `event:`/`id:`/`retry:` fields are ignored. A CR at the very end of `buf` that ends a non-blank
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
      if (first >= 0) {
        let data = buf.toString("utf8", first, firstEnd);
        if (more) data = `${data}\n${more.join("\n")}`;
        onEvent(data, eol);
      }
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
    }
  }
  if (first >= 0) {
    let data = buf.toString("utf8", first, firstEnd);
    if (more) data = `${data}\n${more.join("\n")}`;
    onEvent(data, len - 1);
  }
  return len;
}
