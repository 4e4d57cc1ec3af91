package dev.ferry.serving;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for requests that come without one: random (version 4) UUIDs drawn from the thread's
 * {@link ThreadLocalRandom}. A request id names a request in logs and answers and guards nothing,
 * so it needs no {@code SecureRandom}, whose shared state showed in serving profiles.
 */
public final class RequestIds {

    private RequestIds() {
    }

    /** A new random UUID, as text. */
    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (r.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
