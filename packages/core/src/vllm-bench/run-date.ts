import { isIsoDay } from "../schemas/iso-day.js";

/** vLLM's `date` field: `datetime.now().strftime("%Y%m%d-%H%M%S")`, the local wall clock of the benchmark's host. */
const VLLM_DATE = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/;

/** A UTC offset as a run date may carry it: `Z`, or `+HH:MM` / `-HH:MM`. */
export const UTC_OFFSET = /^(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * The run date of a `vllm bench serve` result (`date`, `%Y%m%d-%H%M%S` in the local time of the host that ran it, no
 * zone) as an ISO date-time: the wall clock as written, with `utcOffset` (`+02:00`, `Z`) appended when the host's
 * offset is known; without it the time carries no offset (the store then orders it as if it were UTC, and its day is
 * the host's local day). Undefined for anything else, or a day that does not exist.
 * @example vllmRunDate("20250530-203806") // "2025-05-30T20:38:06"
 * @example vllmRunDate("20250530-203806", "+02:00") // "2025-05-30T20:38:06+02:00"
 */
export function vllmRunDate(date: unknown, utcOffset?: string): string | undefined {
  if (typeof date !== "string") return undefined;
  const m = VLLM_DATE.exec(date.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const day = `${y}-${mo}-${d}`;
  if (!isIsoDay(day) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return `${day}T${h}:${mi}:${s}${utcOffset ?? ""}`;
}
