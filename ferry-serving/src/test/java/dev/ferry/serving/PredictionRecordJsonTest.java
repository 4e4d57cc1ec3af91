package dev.ferry.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.types.Row;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming writer of the log line must give exactly the bytes Jackson's own map serializer
 * gives for {@link PredictionRecordJson#toMap}, the layout every reader of the log was built on.
 */
class PredictionRecordJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void streamingLineEqualsTheMapSerializedByJackson() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            PredictionRecord r = randomRecord(random, i);
            String expected = MAPPER.writeValueAsString(PredictionRecordJson.toMap(r));
            String actual = new String(PredictionRecordJson.toBytes(r), StandardCharsets.UTF_8);
            assertEquals(expected, actual, "record " + i);
        }
    }

    @Test
    void aFallbackWithoutFeaturesOrOutputWritesNulls() throws Exception {
        PredictionRecord r = new PredictionRecord("r-1", Instant.parse("2026-11-25T10:00:00.123456Z"), "ctr", "stable", "", 0,
                false, AnswerSource.STATIC_DEFAULT, true, Map.of("user_id", "u\"1\u00e9"), null, null);
        assertEquals(MAPPER.writeValueAsString(PredictionRecordJson.toMap(r)),
                new String(PredictionRecordJson.toBytes(r), StandardCharsets.UTF_8));
    }

    private static PredictionRecord randomRecord(Random random, int i) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("user_id", random.nextBoolean() ? (Object) ("u" + i) : (Object) (long) i);
        Map<String, Object> features = new LinkedHashMap<>();
        for (int f = 0; f < 1 + random.nextInt(8); f++) {
            features.put("f" + f, randomValue(random));
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("probability", random.nextBoolean() ? (Object) random.nextDouble() : (Object) new float[] {random.nextFloat(), 1f});
        AnswerSource[] sources = AnswerSource.values();
        return new PredictionRecord("req-" + i, Instant.ofEpochSecond(1_700_000_000L + i, random.nextInt(1_000_000_000)),
                "dep", random.nextBoolean() ? "a" : "b", "ctr", 1 + random.nextInt(3), random.nextBoolean(),
                sources[random.nextInt(sources.length)], random.nextBoolean(), entity, new Row(features), new Row(output));
    }

    private static Object randomValue(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> random.nextLong();
            case 3 -> random.nextFloat();
            case 4 -> random.nextGaussian() * 1e9;
            case 5 -> Double.NaN;
            case 6 -> "text \u2603 \"quoted\" \\ " + random.nextInt(100);
            case 7 -> random.nextBoolean();
            case 8 -> new float[] {random.nextFloat(), -0.0f, Float.MIN_VALUE};
            case 9 -> new double[] {random.nextDouble(), 1e-300};
            case 10 -> new long[] {Long.MIN_VALUE, 7};
            case 11 -> new ArrayList<>(Arrays.asList(1, "two", null, 3.5));
            case 12 -> List.of(BigInteger.TEN.pow(30));
            default -> new LinkedHashMap<>(Map.of("nested", 1.25));
        };
    }
}
