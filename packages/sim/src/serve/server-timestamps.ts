/** Header that asks for the server's send time in every chunk (`infermark_server_t`, ms since the epoch). */
export const SERVER_TIMESTAMPS_HEADER = "x-infermark-server-timestamps";
/** Chunk field that carries it (the name infermark's load generator reads). */
export const SERVER_STAMP_FIELD = "infermark_server_t";
