package dev.ferry.bench;

import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.EntityMerge;
import dev.ferry.online.ValueCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding alone: 100 stored entities of 50 double features each (the bytes the RocksDB and
 * Redis stores keep, as {@link OnlineReadBenchmark} writes them) turned into read answers, with
 * no store and no network. Divide the time by 5,000 for the cost of one value.
 *
 * <pre>java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' \
 *     org.openjdk.jmh.Main EntityDecodeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class EntityDecodeBenchmark {

    private static final int ENTITIES = 100;

    private final List<byte[]> stored = new ArrayList<>();
    private final List<EntityKey> keys = new ArrayList<>();
    private ValueCodec.Wanted wanted;
    private Instant now;

    @Setup
    public void setUp() {
        List<String> features = new ArrayList<>();
        for (int f = 0; f < OnlineReadBenchmark.FEATURES; f++) {
            features.add("feature_" + f);
        }
        Instant eventTime = Instant.parse("2026-11-25T10:00:00Z");
        for (int e = 0; e < ENTITIES; e++) {
            Map<String, byte[]> values = new LinkedHashMap<>();
            for (String f : features) {
                values.put(f, ValueCodec.encode(e * 0.5 + features.indexOf(f), eventTime));
            }
            stored.add(ValueCodec.encodeEntity(values));
            keys.add(EntityKey.of((long) e));
        }
        wanted = ValueCodec.Wanted.of(features);
        now = eventTime.plusSeconds(60);
    }

    @Benchmark
    public void decode100x50(Blackhole bh) {
        for (int e = 0; e < ENTITIES; e++) {
            EntityFeatures answer = EntityMerge.answer(keys.get(e), stored.get(e), wanted, now, Duration.ofDays(1));
            bh.consume(answer);
        }
    }
}
