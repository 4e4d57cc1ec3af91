package dev.ferry.serving;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic hashing of routing keys to [0, 1). The same entity always lands on the same
 * arm of a deployment (sticky A/B and canary assignment) as long as the weights stay the same;
 * the deployment name salts the hash so two experiments do not split users identically.
 */
final class Routing {

    private Routing() {
    }

    static double unit(String salt, String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (salt + '\u0000' + key).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // splitmix64 finaliser: FNV alone leaves the high bits poorly mixed for short keys
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** The routing key of a request: its entity keys in name order, or its id when it has none. */
    static String key(Map<String, Object> entity, String requestId) {
        return entity.isEmpty() ? requestId : new TreeMap<>(entity).toString();
    }

    /** Index of the arm whose cumulative share interval holds {@code u}. */
    static int pick(double[] cumulative, double u) {
        double target = u * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (target < cumulative[i]) {
                return i;
            }
        }
        // u is below 1, so only rounding lands here: take the last arm with weight
        for (int i = cumulative.length - 1; i > 0; i--) {
            if (cumulative[i] > cumulative[i - 1]) {
                return i;
            }
        }
        return 0;
    }
}
