package dev.ferry.pipeline.runs;

import dev.ferry.InvalidInputException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Run ids: {@code yyyyMMdd-HHmmss-<8 hex>}, sortable by start time and unique without coordination. */
public final class RunIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    public static String next(Instant now) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return TIME.format(now) + "-" + HexFormat.of().formatHex(b);
    }

    static void check(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("run id was '" + id + "' but it must be letters, digits, '_', '.', '-' (at most 100)");
        }
    }
}
