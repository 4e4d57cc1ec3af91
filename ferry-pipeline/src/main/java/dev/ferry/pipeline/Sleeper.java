package dev.ferry.pipeline;

import java.time.Duration;

/** Waits between retries; injected so tests check the backoff without waiting for it. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
