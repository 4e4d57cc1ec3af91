package dev.ferry.serving;

/**
 * Where a request's model call (its feature fetch and its inference) runs, and so how its time
 * budget is kept. The choice is the one Hystrix and Resilience4j offer between semaphore and
 * thread isolation: running on the request's own thread saves two thread hand-offs (on a fast
 * model, nearly all the time the engine adds to its store read and model call), while running on
 * another thread lets the caller answer from the fallback chain the moment the budget runs out,
 * whatever the model does.
 */
public enum Isolation {

    /**
     * On the request's thread while the model keeps its budget; on the inference executor for a
     * while after it did not. A watchdog interrupts an inline call that passes its deadline, as
     * the executor's cancellation would; a call blocked in Java (a lock, a socket, a sleep)
     * returns at once and is answered by the fallback chain. A call busy in native code cannot be
     * interrupted: its own request waits for it, and every later request to that model runs on
     * the executor, where the budget holds exactly. The default.
     */
    AUTO,

    /** Always on the inference executor: the budget holds exactly, at the cost of two hand-offs per call. */
    THREAD;

    /** Parses a configuration value ({@code auto} or {@code thread}, any case). */
    public static Isolation parse(String field, String value) {
        for (Isolation i : values()) {
            if (i.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return i;
            }
        }
        throw new dev.ferry.InvalidInputException(field + " was '" + value + "' but it must be 'auto' or 'thread'");
    }
}
