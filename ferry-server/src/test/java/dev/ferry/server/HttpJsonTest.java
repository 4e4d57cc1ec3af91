package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The server's JSON mapper: buffers shared across request threads, doubles parsed exactly. */
class HttpJsonTest {

    @Test
    void buffersReleasedOnOneVirtualThreadAreReusedOnTheNext() throws Exception {
        AtomicReference<BufferRecycler> first = new AtomicReference<>();
        AtomicReference<BufferRecycler> second = new AtomicReference<>();
        for (AtomicReference<BufferRecycler> seen : List.of(first, second)) {
            Thread.ofVirtual().start(() -> {
                BufferRecycler r = Http.JSON.getFactory()._getRecyclerPool().acquireAndLinkPooled();
                seen.set(r);
                r.releaseToPool();
            }).join();
        }

        assertThat(second.get()).as("a new virtual thread gets the recycler the last one released").isSameAs(first.get());
    }

    @Test
    void doublesParseExactlyAsTheJdkParsesThem() throws Exception {
        List<String> texts = new ArrayList<>(List.of("0.1", "1e23", "2.2250738585072012e-308", "4.9e-324", "1.7976931348623157e308",
                "9007199254740993.0", "0.30000000000000004", "-0.0", "123456789012345678901234567890.5", "1.0000000000000002"));
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                texts.add(Double.toString(d));
            }
            texts.add(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-20, 20))));
        }
        String json = "[" + String.join(",", texts) + "]";

        try (JsonParser p = Http.JSON.getFactory().createParser(json.getBytes(StandardCharsets.UTF_8))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            for (String t : texts) {
                p.nextToken();
                assertThat(Double.doubleToRawLongBits(p.getDoubleValue())).as(t).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(t)));
            }
        }
    }
}
