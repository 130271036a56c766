/**
 * How many client worker threads `workers: "auto"` starts.
 *
 * One event loop that reads many streams stamps each read late by the time it spends on the reads before it: on a
 * quiet 16-core host, 1,024 streams of 50 events/s read on the main thread had a timing-error p99 of 10-38 ms, the
 * same streams over 15 threads (about 70 each) 0.14-0.21 ms (docs/performance.md). A thread of its own costs a hop
 * between threads for every send and outcome, though, which a machine with few cores pays in scheduling delay: on
 * 2 cores shared with the server, 128 streams on one worker thread had a send-lag p99 of 19-28 ms counting the
 * warm-up's sends, 8-14 ms counting the measured ones only (a level invalid in 2 of 3 runs), on the main thread
 * 0.07 ms. So `auto` gives each thread at most STREAMS_PER_WORKER streams, keeps small
 * runs and small machines on the calling thread, and leaves two cores to the main thread (the load mode and the
 * workload) and the rest of the machine, with at most AUTO_MAX_WORKERS threads.
 */

/** The most streams `auto` leaves to one client thread. */
export const STREAMS_PER_WORKER = 64;
/** The most threads `auto` starts, however many cores the machine has (each is an isolate of tens of MB). */
export const AUTO_MAX_WORKERS = 32;

/**
 * The client threads for at most `peakStreams` requests in flight on a machine of `cores` cores: 0 (the calling
 * thread) up to STREAMS_PER_WORKER streams or on fewer than 4 cores, else one thread per STREAMS_PER_WORKER
 * streams, at most cores - 2 and AUTO_MAX_WORKERS. An unbounded peak (`undefined`: an open loop without a cap, a
 * trace) takes as many as it may.
 * @example autoWorkers(1024, 16) // 14
 * @example autoWorkers(32, 16) // 0
 * @example autoWorkers(256, 16) // 4
 * @example autoWorkers(1024, 2) // 0
 */
export function autoWorkers(peakStreams: number | undefined, cores: number): number {
  const spare = Math.min(AUTO_MAX_WORKERS, Math.floor(cores) - 2);
  if (spare < 2) return 0;
  if (peakStreams === undefined) return spare;
  if (peakStreams <= STREAMS_PER_WORKER) return 0;
  return Math.min(spare, Math.ceil(peakStreams / STREAMS_PER_WORKER));
}
